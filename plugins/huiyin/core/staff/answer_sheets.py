"""The answer sheet (答复表): its columns, and reading and writing it as .xlsx or .csv.

Departments answer 督办 offices in spreadsheets. ``huiyin export answers``
writes a sheet of what a department holds, the department fills in the right
half, and ``huiyin import`` reads it back (staff/answers_import.py). Both
directions use the one layout of the contract (content-model.md, *Answer
sheets*), declared once in ``COLUMNS`` below: the workbook, its 说明 sheet, the
CSV, the import's header check and the staff guide's table (checked by
tests/test_staff_guide.py) all come from it.

The table lives here rather than in records/schema.py because it is not a
record field: it is the layout of a staff tool, with widths and fill-in roles
that no record has.

Workbooks are written and read with openpyxl (it must read as well as write,
which rules out xlsxwriter). A sheet that comes back is whatever a person did
to it in Excel or WPS: a title row merged above the header, dates typed as
text or as date cells, a CSV saved in GB18030 on Chinese Windows. Each is
either read or reported as ``FILE:第N行: what is wrong — what to do``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..records.entities import Department, Outcome
from ..records.vocab import Satisfaction, Status, Vocabulary


@dataclass(frozen=True)
class SheetColumn:
    key: str  # the name the code uses
    label: str  # the header as written in the sheet
    fill_in: bool  # False: to read (exported, ignored on import but for 建议编号)
    explanation: str  # Chinese: the 说明 sheet and the staff guide
    width: int  # in characters, for the workbook
    alias: str | None = None  # an English header accepted on import (the contract's keys)
    is_date: bool = False
    vocabulary: type[Vocabulary] | None = None
    wrap: bool = False  # long text: wrapped in the workbook


COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn("id", "建议编号", False, "建议的编号（活动 id#建议 id），导入时凭它找到这条建议；不要修改，也不要删去这一列", 34,
                alias="id"),
    SheetColumn("text", "建议内容", False, "协商形成的问题及建议", 40, wrap=True),
    SheetColumn("session", "协商活动", False, "建议来自哪一期协商活动（议题）", 28, wrap=True),
    SheetColumn("platform", "平台", False, "举办这期活动的协商平台", 16),
    SheetColumn("departments", "承办单位", False, "全部承办单位，以“、”分隔", 26, wrap=True),
    SheetColumn("lead", "主办单位", False, "牵头办理的单位；空白表示各承办单位共同办理", 20),
    SheetColumn("deadline", "答复期限", False, "应当答复的日期；批准延期的，是延期后的日期", 12, is_date=True),
    SheetColumn("current_status", "当前状态", False, "网站上现在显示的办理状态", 10),
    SheetColumn("last_update", "最近进展", False, "最近一条办理进展的日期和答复摘要", 36, wrap=True),
    SheetColumn("date", "日期", True, "这次进展的日期；不填即导入当天（北京时间）。用日期格式，或写作 2025-11-20", 12,
                alias="date", is_date=True),
    SheetColumn("status", "状态", True, "有进展时必填，从下拉列表中选：" + "、".join(s.label for s in Status), 10,
                alias="status", vocabulary=Status),
    SheetColumn("note", "答复摘要", True, "答复的要点，会公开发布；选“未采纳”或填写“延期至”时必须写明理由", 40, alias="note", wrap=True),
    SheetColumn("document_title", "文件标题", True,
                "相关文件的标题，选填；多个文件用英文分号 ; 隔开", 28, alias="document_title", wrap=True),
    SheetColumn("document_url", "文件链接", True,
                "与文件标题一一对应的链接（https://…），选填；多个用 ; 隔开，顺序与标题相同，没有链接的文件留空，如 ;https://…", 32,
                alias="document_url"),
    SheetColumn("extend_to", "延期至", True, "经批准延期的，填新的答复期限（须晚于原期限），并在答复摘要里写明延期理由", 12,
                alias="extend_to", is_date=True),
    SheetColumn("satisfaction", "回访满意度", True, "回访时提出人或群众的评价，选填：" + "、".join(s.label for s in Satisfaction)
                + "；选“不满意”时，状态不能是已落实或未采纳", 12, alias="satisfaction", vocabulary=Satisfaction),
)

FILL_IN = tuple(c for c in COLUMNS if c.fill_in)
ID = COLUMNS[0]
DATA_SHEET = "答复"
HELP_SHEET = "说明"
HELP_LINES = (
    "怎样填写这张答复表",
    "1. 每条建议一行。左边灰底的列只供阅读，不要修改；在右边的列填写这次的办理进展。",
    "2. 没有新进展的行留空即可，导入时会跳过。",
    "3. 不要增删列，不要合并单元格，也不要在表头上面加标题行。",
    "4. 填好后保存为 .xlsx（或 CSV），交回政协，由工作人员运行 huiyin import 导入。",
)


# -- what the sheet shows of an outcome --------------------------------------


@dataclass(frozen=True)
class Handling:
    lead: Department | None
    deadline: date | None


def handling_of(outcome: Outcome) -> Handling:
    """主办单位 as written, and the effective deadline (答复期限: the last extension, else
    ``due``, else the one computed from ``due_in`` or the platform's ``answer_within``)."""
    return Handling(outcome.lead, outcome.deadline.day if outcome.deadline else None)


def sheet_values(outcome: Outcome) -> dict[str, object]:
    """The to-read columns of one outcome's row; the fill-in columns are left empty."""
    assert outcome.session is not None
    handling = handling_of(outcome)
    last = outcome.last_update
    return {
        "id": outcome.global_id,
        "text": outcome.text,
        "session": outcome.session.title,
        "platform": outcome.session.platform.name,
        "departments": "、".join(d.name for d in outcome.departments),
        "lead": handling.lead.name if handling.lead is not None else "",
        "deadline": handling.deadline,
        "current_status": outcome.status.label,
        "last_update": f"{last.date.isoformat()} {last.note}".strip(),
    }


# -- writing ------------------------------------------------------------------


_FORMULA_START = ("=", "+", "-", "@")


def _csv_text(value: object) -> str:
    """A cell of the CSV: dates in ISO form; text that spreadsheet software would
    run as a formula (``=…``, ``+…``) is prefixed with ``'``, which it shows as text.

    Only to-read columns carry text from records, and the import ignores them
    (but for 建议编号, which never starts so), so the round trip loses nothing.
    """
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, date) else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_bytes(rows: list[dict[str, object]]) -> bytes:
    """The sheet as CSV: UTF-8 with a BOM, so that Excel and WPS open the Chinese correctly."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.label for c in COLUMNS])
    for row in rows:
        writer.writerow([_csv_text(row.get(c.key)) for c in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def workbook_bytes(rows: list[dict[str, object]]) -> bytes:
    """The sheet as an .xlsx workbook, made for the person filling it in.

    The header row and 建议编号 stay in view when scrolling, the to-read columns
    are shaded, 状态 and 回访满意度 offer drop-down lists of their Chinese labels,
    the date columns are date cells, and a second sheet explains every column.
    """
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = DATA_SHEET
    sheet.append([c.label for c in COLUMNS])
    for row in rows:
        sheet.append([None for _ in COLUMNS])
        for index, column in enumerate(COLUMNS, start=1):
            _put(sheet.cell(row=sheet.max_row, column=index), row.get(column.key))
    _lay_out(sheet, len(rows))
    _add_validations(sheet, len(rows))
    _add_help_sheet(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _put(cell: Any, value: object) -> None:
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # record text, never a formula


def _lay_out(sheet: Any, count: int) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    read_fill = PatternFill("solid", start_color="FFEDEDED")
    read_head = PatternFill("solid", start_color="FFD0D0D0")
    fill_head = PatternFill("solid", start_color="FFFFF2CC")
    last_row = max(count + 1, 2)
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        head = sheet.cell(row=1, column=index)
        head.font = Font(bold=True)
        head.fill = fill_head if column.fill_in else read_head
        head.alignment = Alignment(vertical="center", wrap_text=True)
        for row in range(2, last_row + 1):
            cell = sheet.cell(row=row, column=index)
            if column.is_date:
                cell.number_format = "yyyy-mm-dd"
            if not column.fill_in:
                cell.fill = read_fill
            cell.alignment = Alignment(vertical="top", wrap_text=column.wrap)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last_row}"


def _add_validations(sheet: Any, count: int) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    last_row = max(count + 1, 2)
    for index, column in enumerate(COLUMNS, start=1):
        where = f"{get_column_letter(index)}2:{get_column_letter(index)}{last_row}"
        if column.vocabulary is not None:
            labels = ",".join(m.label for m in column.vocabulary)
            check = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True, showErrorMessage=True,
                                   errorTitle=column.label, error=f"请从下拉列表中选择：{labels}")
        elif column.is_date and column.fill_in:
            check = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True,
                                   showErrorMessage=True, errorTitle=column.label,
                                   error="请填写日期，如 2025-11-20")  # 36526: 2000-01-01 as Excel counts days
        else:
            continue
        check.add(where)
        sheet.add_data_validation(check)


def _add_help_sheet(book: Any) -> None:
    from openpyxl.styles import Alignment, Font

    sheet = book.create_sheet(HELP_SHEET)
    for line in HELP_LINES:
        sheet.append([line])
    sheet.append([])
    sheet.append(["列名", "填写还是只读", "说明"])
    heading = sheet.max_row
    for column in COLUMNS:
        sheet.append([column.label, "填写" if column.fill_in else "只读", column.explanation])
    sheet["A1"].font = Font(bold=True, size=13)
    for cell in sheet[heading]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 90
    for row in sheet.iter_rows(min_row=heading + 1):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")


# -- reading ------------------------------------------------------------------


@dataclass(frozen=True)
class SheetProblem:
    """One thing wrong with a sheet, as ``FILE:第N行: what is wrong — what to do``."""

    file: str
    row: int | None
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:第{self.row}行" if self.row else self.file
        text = f"{where}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text


class SheetLog:
    """Collects the problems of one sheet file."""

    def __init__(self, file: str, sink: list[SheetProblem]):
        self.file = file
        self.sink = sink

    def add(self, row: int | None, message: str, hint: str = "") -> None:
        self.sink.append(SheetProblem(self.file, row, message, hint))


@dataclass
class SheetRow:
    number: int  # as the spreadsheet shows it, from 1 (the header's row counts)
    cells: dict[str, object]  # column key → the value as read (str, date, datetime, number or None)

    def text(self, key: str) -> str:
        value = self.cells.get(key)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    @property
    def is_empty(self) -> bool:
        return all(self.text(c.key) == "" for c in FILL_IN)


@dataclass
class Sheet:
    file: str  # as staff named it
    kind: str  # what was read: "Excel 工作簿（工作表「答复」）", "CSV（GB18030 编码）"
    rows: list[SheetRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # said in the output, not problems


MAX_HEADER_ROW = 20  # how far down a header is looked for, under title rows someone added
_HEADERS = {c.label: c.key for c in COLUMNS} | {c.alias: c.key for c in COLUMNS if c.alias}
_OLE_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")  # an encrypted .xlsx, or an old .xls


def read_sheet(path: Path, shown: str, log: SheetLog) -> Sheet | None:
    """The rows of one answer sheet, or None with the reason in ``log``."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        log.add(None, f"无法打开文件（{error.strerror or error}）", "检查文件名和路径；文件在表格软件里打开着的，先关闭")
        return None
    if not raw.strip():
        log.add(None, "文件是空的", "导出的答复表要填好并保存后再导入")
        return None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text = _decode_csv(raw, log)
        if text is None:
            return None
        table = list(csv.reader(io.StringIO(text, newline="")))
        return _read_table(Sheet(shown, f"CSV（{text_encoding(raw)} 编码）"), table, [], log)
    if suffix in (".xlsx", ".xlsm"):
        return _read_workbook(raw, Sheet(shown, "Excel 工作簿"), log)
    if suffix in (".xls", ".et", ".ods", ".numbers"):
        log.add(None, f"不能直接读取 {suffix} 格式", "在表格软件里“另存为” Excel 工作簿（.xlsx）后再导入")
    else:
        log.add(None, f"不认识的文件类型「{suffix or path.name}」", "只能导入 .xlsx 或 .csv 答复表")
    return None


def text_encoding(raw: bytes) -> str:
    """Which of the accepted encodings a CSV is in (call only on bytes that decode)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "UTF-8（带 BOM）"
    try:
        raw.decode("utf-8")
        return "UTF-8"
    except UnicodeDecodeError:
        return "GB18030"


def _decode_csv(raw: bytes, log: SheetLog) -> str | None:
    """UTF-8 (with or without BOM) or GB18030, what Excel and WPS save on Chinese Windows.

    UTF-8 is tried first: a GB18030 file with Chinese in it is almost never
    valid UTF-8, while every UTF-8 file would also decode, wrongly, as GB18030.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        log.add(None, "文件是 UTF-16 编码（“Unicode 文本”）", "在表格软件里另存为“CSV UTF-8（逗号分隔）”或 Excel 工作簿（.xlsx）")
        return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    log.add(None, "文件的编码无法识别（既不是 UTF-8，也不是 GB18030/GBK）",
            "在表格软件里另存为“CSV UTF-8（逗号分隔）”或 Excel 工作簿（.xlsx）")
    return None


def _read_workbook(raw: bytes, sheet: Sheet, log: SheetLog) -> Sheet | None:
    if raw.startswith(_OLE_SIGNATURE):
        if "EncryptionInfo".encode("utf-16-le") in raw:
            log.add(None, "工作簿设置了打开密码，无法读取",
                    "在表格软件里取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后另存再导入")
        else:
            log.add(None, "这是旧版 Excel 97-2003 格式（.xls），只是扩展名写成了 .xlsx",
                    "在表格软件里“另存为” Excel 工作簿（.xlsx）后再导入")
        return None
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises zipfile, XML, KeyError and its own errors alike
        log.add(None, f"无法读取工作簿（{type(error).__name__}）",
                "文件可能已损坏或不是 .xlsx：在表格软件里打开，另存为 Excel 工作簿（.xlsx）后再导入")
        return None
    names = book.sheetnames
    chosen = DATA_SHEET if DATA_SHEET in names else next((n for n in names if n != HELP_SHEET), names[0])
    worksheet = book[chosen]
    sheet.kind = f"Excel 工作簿（工作表「{chosen}」）"
    table = [list(row) for row in worksheet.iter_rows(values_only=True)]
    merged = [(r.min_row, r.max_row, str(r.coord)) for r in worksheet.merged_cells.ranges]
    return _read_table(sheet, table, merged, log)


def _read_table(sheet: Sheet, table: list[list[Any]], merged: list[tuple[int, int, str]], log: SheetLog) -> Sheet | None:
    """Find the header (under any title rows), check it, and read the rows below it."""
    if not any(_cell_text(v) for row in table for v in row):
        log.add(None, "表里没有任何内容", "导出的答复表要填好并保存后再导入")
        return None
    header_at = next((i for i, row in enumerate(table[:MAX_HEADER_ROW]) if _is_header(row)), None)
    headless = next((i for i, row in enumerate(table[:MAX_HEADER_ROW]) if _known_headers(row) >= 2), None)
    if header_at is None and headless is not None:
        log.add(headless + 1, "表头里没有「建议编号」列", "导入凭建议编号找到每条建议：把导出时的「建议编号」列原样放回")
        return None
    if header_at is None:
        hint = "第一行应是表头（建议编号、建议内容……日期、状态……），请用 huiyin export answers 导出的表填写"
        if merged:
            hint = f"表头上面合并了单元格（{merged[0][2]}）、加了标题行，或表头被改动：" + hint
        log.add(None, f"前 {MAX_HEADER_ROW} 行里找不到表头「建议编号」", hint)
        return None
    header_row = header_at + 1
    if header_at:
        titles = "、".join(where for _, last, where in merged if last < header_row)
        merged_note = f"，其中合并的单元格 {titles}" if titles else ""
        sheet.notes.append(f"表头在第 {header_row} 行：上面的 {header_at} 行是标题{merged_note}，已略过")
    keys = _header_keys(table[header_at], header_row, log)
    for first, last, where in merged:
        if last >= header_row:
            log.add(first, f"合并了单元格 {where}", "取消合并（开始 → 合并居中 → 取消合并），每条建议占一行、每格一个值")
    if keys is None:
        return None
    for offset, row in enumerate(table[header_at + 1:], start=header_at + 2):
        cells = {key: row[i] if i < len(row) else None for i, key in keys.items()}
        extra = [v for i, v in enumerate(row) if i not in keys and _cell_text(v)]
        if extra:
            log.add(offset, f"表头之外的列里有内容「{_cell_text(extra[0])[:30]}」",
                    "每一格都要在有表头的列里；多余的内容请删去或移到「答复摘要」")
        sheet.rows.append(SheetRow(offset, cells))
    return sheet


def _cell_text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _normal_header(value: object) -> str:
    return re.sub(r"\s+", "", _cell_text(value)).lower()


def _known_headers(row: list[Any]) -> int:
    return sum(1 for v in row if _normal_header(v) in _HEADERS)


def _is_header(row: list[Any]) -> bool:
    return any(_HEADERS.get(_normal_header(v)) == "id" for v in row)


def _header_keys(row: list[Any], number: int, log: SheetLog) -> dict[int, str] | None:
    """Column index → key; None when the header is unusable (problems are in ``log``)."""
    keys: dict[int, str] = {}
    usable = True
    for index, value in enumerate(row):
        written = _normal_header(value)
        if not written:
            continue
        key = _HEADERS.get(written)
        if key is None:
            log.add(number, f"不认识的列「{_cell_text(value)[:30]}」", _unknown_header_hint(written))
            usable = False
        elif key in keys.values():
            log.add(number, f"「{_cell_text(value)}」列出现了两次", "删去重复的一列")
            usable = False
        else:
            keys[index] = key
    return keys if usable else None


def _unknown_header_hint(written: str) -> str:
    import difflib

    close = difflib.get_close_matches(written, list(_HEADERS), n=2, cutoff=0.5)
    listed = "、".join(c.label for c in COLUMNS)
    start = f"相近的有：{'、'.join(close)}；" if close else ""
    return f"{start}表头只能是：{listed}（或英文 id、date、status…）；多出的列请删去，要说明的内容写进「答复摘要」"


def cell_date(value: object) -> date | None | str:
    """A date cell or a date typed as text; the text itself (for the message) when it is no date.

    Accepts spreadsheet date cells, 2025-11-20, 2025/11/20 (what Excel on Chinese
    Windows writes into a CSV), 2025.11.20 and 2025年11月20日; a bare number is
    a date cell that lost its format (days since 1899-12-30, as Excel counts).
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _excel_serial(float(value)) or str(value)
    text = str(value).strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?", text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return text
    return text


def _excel_serial(days: float) -> date | None:
    if not 36526 <= days < 73051:  # 2000-01-01 … 2099-12-31: anything else is no date
        return None
    from openpyxl.utils.datetime import from_excel

    converted = from_excel(days)
    return converted.date() if isinstance(converted, datetime) else None
