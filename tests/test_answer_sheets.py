"""The answer-sheet round trip as staff and departments run it.

Export a sheet with `huiyin export answers`, fill it in the way a person does
in Excel or WPS (date cells, empty rows, a title merged above the header, a
CSV saved in GB18030), read it back with `huiyin import`, and look at what
staff see: the messages, the exit code, the records (`git diff`), `huiyin
check` and a strict build. Workbooks are made and read with openpyxl, the
library a reader's own script would use.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from huiyin.core.base import atomic
from huiyin.core.base.clock import SHANGHAI
from huiyin.core.records import schema
from huiyin.core.staff.answer_sheets import COLUMNS, HELP_SHEET
from huiyin.core.staff.answers_import import import_sheets
from huiyin.core.staff.record_edit import NewUpdate, append_update
from huiyin.core.staff.workflow import StaffError
from sitebuilder import FIXED_EPOCH, SiteFolder, outcome, session
from test_cli import huiyin, only_added_lines

LABELS = [c.label for c in COLUMNS]
NOW = datetime.fromtimestamp(int(FIXED_EPOCH), tz=SHANGHAI)  # 2025-11-21 in Beijing

PARKING = "2025/tingche#parking-sharing"  # 住建局 (with 公安局), claimed, due 2025-12-31
SMART = "2025/tingche#smart-parking"  # 公安局, implemented: concluded
SPACES = "2025/tingche#new-spaces"  # 住建局, submitted
MEALS = "2025/yanglao#meals"  # 卫健委, on 市北议事厅 under 倾听与商量
RIVER = "2025/hedao#river"  # 住建局, on 请你来协商 (another tree)


def make_site(root: Path) -> SiteFolder:
    """Five sessions (one a draft, one embargoed) in a git repository, committed."""
    site = SiteFolder(root)
    site.write("sessions/2025/tingche.md", session("破解停车难", "qingdao", "2025-03-18", outcomes=[
        outcome("parking-sharing", "推动机关事业单位停车场错时开放", ["市住建局", "市公安局"],
                ("2025-04-02", "submitted"), ("2025-04-10", "claimed", "市住建局已认领。"), due="2025-12-31"),
        outcome("smart-parking", "建设智慧停车平台", ["市公安局"],
                ("2025-04-02", "submitted"), ("2025-09-01", "implemented", "平台已上线。")),
        outcome("new-spaces", "老旧小区挖潜增设车位", ["市住建局"], ("2025-04-02", "submitted")),
    ]))
    site.write("sessions/2025/yanglao.md", session("社区养老", "shibei", "2025-05-20", outcomes=[
        outcome("meals", "扩大老年助餐", ["市卫生健康委"], ("2025-05-30", "submitted"), ("2025-06-10", "in_progress", "正在选点。")),
    ]))
    site.write("sessions/2025/hedao.md", session("河道治理", "zhejiang", "2025-02-01", outcomes=[
        outcome("river", "推进河道综合治理", ["市住建局"], ("2025-02-10", "submitted")),
    ]))
    site.write("sessions/2025/caogao.md", session("草稿活动", "qingdao", "2025-06-01", draft=True, outcomes=[
        outcome("secret", "未发布的草稿建议", ["市住建局"], ("2025-06-02", "submitted")),
    ]))
    site.write("sessions/2025/dingshi.md", session("定时活动", "qingdao", "2025-07-01", publish_date="2030-01-01", outcomes=[
        outcome("later", "未到发布时间的建议", ["市住建局"], ("2025-07-02", "submitted")),
    ]))
    git(site.root, "init", "-q")
    git(site.root, "add", "-A")
    git(site.root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "records")
    return site


def update_keys() -> set[str]:
    """The update keys the loader accepts: the handling fields once issue 14 has landed."""
    return {f.key for f in schema.UPDATE.fields}


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def diff(site: SiteFolder) -> str:
    return git(site.root, "diff", "--", "content")


@pytest.fixture
def answers_site(tmp_path: Path) -> SiteFolder:
    return make_site(tmp_path / "site")


def export(site: SiteFolder, *args: str, epoch: str = FIXED_EPOCH) -> subprocess.CompletedProcess[str]:
    done = huiyin("export", "answers", *args, cwd=site.root, epoch=epoch)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def sheet_rows(path: Path) -> list[dict[str, object]]:
    """The data sheet as a reader's script sees it: one dict per row, by header."""
    sheet = openpyxl.load_workbook(path)["答复"]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def fill(path: Path, target: Path, answers: dict[str, dict[str, object]]) -> Path:
    """Fill in an exported workbook as a department does: by 建议编号, column by column."""
    book = openpyxl.load_workbook(path)
    sheet = book["答复"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        for label, value in answers.get(str(row[0].value), {}).items():
            row[header.index(label)].value = value
    book.save(target)
    return target


def workbook(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


# -- export ---------------------------------------------------------------------


def test_export_for_a_department_lists_exactly_its_open_published_outcomes(answers_site: SiteFolder) -> None:
    done = export(answers_site, "--department", "市住建局", "--out", "zhujian.xlsx")
    assert "已导出 zhujian.xlsx" in done.stdout and "3 条未办结的建议" in done.stdout
    rows = sheet_rows(answers_site.root / "zhujian.xlsx")
    # Oldest session first; not 公安局's concluded one, not the draft's, not the embargoed one's.
    assert [r["建议编号"] for r in rows] == [RIVER, PARKING, SPACES]
    parking = rows[1]
    assert parking["建议内容"] == "推动机关事业单位停车场错时开放"
    assert parking["协商活动"] == "破解停车难" and parking["平台"] == "倾听与商量"
    assert parking["承办单位"] == "青岛市住房和城乡建设局、青岛市公安局"
    assert parking["答复期限"] == datetime(2025, 12, 31)  # a date cell
    assert parking["当前状态"] == "已认领" and parking["最近进展"] == "2025-04-10 市住建局已认领。"
    assert all(parking[c.label] is None for c in COLUMNS if c.fill_in)


def test_nothing_unpublished_reaches_any_sheet(answers_site: SiteFolder) -> None:
    export(answers_site, "--all", "--out", "all.xlsx")
    export(answers_site, "--all", "--out", "all.csv")
    book = openpyxl.load_workbook(answers_site.root / "all.xlsx")
    cells = " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row)
    text = (answers_site.root / "all.csv").read_text(encoding="utf-8-sig")
    for unpublished in ("草稿", "未发布", "定时活动", "未到发布时间", "secret", "later"):
        assert unpublished not in cells and unpublished not in text


def test_the_workbook_is_made_for_the_person_filling_it_in(answers_site: SiteFolder) -> None:
    export(answers_site, "--department", "市住建局", "--out", "zhujian.xlsx")
    book = openpyxl.load_workbook(answers_site.root / "zhujian.xlsx")
    sheet = book["答复"]
    assert [c.value for c in sheet[1]] == LABELS
    assert sheet.freeze_panes == "B2"  # the header row and 建议编号 stay in view
    letter = {c.value: c.column_letter for c in sheet[1]}
    read_only = sheet[f"{letter['建议内容']}2"].fill.fgColor.rgb
    assert read_only not in (None, "00000000") and sheet[f"{letter['状态']}2"].fill.fill_type is None
    for label in ("日期", "延期至", "答复期限"):
        assert sheet[f"{letter[label]}2"].number_format == "yyyy-mm-dd"
    lists = {str(v.sqref).split(":")[0][0]: v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"}
    assert lists[letter["状态"]] == '"已交办,已认领,办理中,已采纳,已落实,未采纳"'
    assert lists[letter["回访满意度"]] == '"满意,基本满意,不满意"'
    assert sheet.column_dimensions[letter["建议内容"]].width >= 30
    explained = {row[0]: row for row in book[HELP_SHEET].iter_rows(values_only=True) if row and row[0] in LABELS}
    for column in COLUMNS:
        assert explained[column.label][1:] == ("填写" if column.fill_in else "只读", column.explanation)


def test_export_by_platform_takes_its_sub_platforms_and_all_takes_concluded(answers_site: SiteFolder) -> None:
    export(answers_site, "--platform", "qingdao", "--out", "open.xlsx")
    assert [r["建议编号"] for r in sheet_rows(answers_site.root / "open.xlsx")] == [PARKING, SPACES, MEALS]
    export(answers_site, "--platform", "倾听与商量", "--all", "--out", "all.xlsx")
    assert [r["建议编号"] for r in sheet_rows(answers_site.root / "all.xlsx")] == [PARKING, SMART, SPACES, MEALS]


def test_export_as_csv_is_utf8_with_a_bom(answers_site: SiteFolder) -> None:
    export(answers_site, "--department", "青岛市卫生健康委员会", "--out", "weijian.csv")
    raw = (answers_site.root / "weijian.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == LABELS
    assert [(r["建议编号"], r["当前状态"], r["平台"]) for r in rows] == [(MEALS, "办理中", "市北议事厅")]


def test_record_text_that_looks_like_a_formula_stays_text(answers_site: SiteFolder) -> None:
    """A note such as =HYPERLINK(…) must reach the department as text, not run as a formula."""
    answers_site.write("sessions/2025/gongshi.md", session("公式", "qingdao", "2025-08-01", outcomes=[
        outcome("formula", '=HYPERLINK("https://example.org/","点此")', ["市住建局"], ("2025-08-02", "submitted")),
    ]))
    export(answers_site, "--department", "市住建局", "--out", "f.xlsx")
    export(answers_site, "--department", "市住建局", "--out", "f.csv")
    cell = next(row for row in openpyxl.load_workbook(answers_site.root / "f.xlsx")["答复"].iter_rows()
                if row[0].value == "2025/gongshi#formula")[1]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("https://example.org/","点此")'
    rows = list(csv.DictReader(io.StringIO((answers_site.root / "f.csv").read_text(encoding="utf-8-sig"))))
    assert next(r for r in rows if r["建议编号"] == "2025/gongshi#formula")["建议内容"].startswith("'=HYPERLINK(")


def test_split_by_department_writes_one_workbook_named_by_each(answers_site: SiteFolder) -> None:
    done = export(answers_site, "--split-by-department", "sheets")
    folder = answers_site.root / "sheets"
    assert sorted(p.name for p in folder.iterdir()) == [
        "青岛市住房和城乡建设局.xlsx", "青岛市公安局.xlsx", "青岛市卫生健康委员会.xlsx"]
    assert [r["建议编号"] for r in sheet_rows(folder / "青岛市公安局.xlsx")] == [PARKING]  # the assisting one too
    assert len(sheet_rows(folder / "青岛市住房和城乡建设局.xlsx")) == 3
    assert "sheets/青岛市公安局.xlsx" in done.stdout


def test_export_never_overwrites_and_names_unknown_departments(answers_site: SiteFolder) -> None:
    export(answers_site, "--out", "a.xlsx")
    again = huiyin("export", "answers", "--out", "a.xlsx", cwd=answers_site.root)
    assert again.returncode == 1 and "文件已存在，未覆盖" in again.stderr
    unknown = huiyin("export", "answers", "--department", "市住建", "--out", "b.xlsx", cwd=answers_site.root)
    assert unknown.returncode == 1 and "未知的承办单位「市住建」" in unknown.stderr and "市住建局" in unknown.stderr
    assert not (answers_site.root / "b.xlsx").exists()


# -- the round trip -------------------------------------------------------------


def filled_zhujian_sheet(site: SiteFolder) -> Path:
    """住建局's sheet as it comes back: two answers, one untouched row, an empty row added."""
    export(site, "--department", "市住建局", "--out", "zhujian.xlsx")
    filled = fill(site.root / "zhujian.xlsx", site.root / "zhujian-filled.xlsx", {
        PARKING: {"日期": datetime(2025, 11, 20), "状态": "辦理中", "答复摘要": "已梳理可开放的单位停车场 37 处。",
                  "文件标题": "错时开放工作方案;停车场名单", "文件链接": "https://example.org/fangan.html;"},
        SPACES: {"状态": "已认领", "答复摘要": "市住建局已认领。"},
    })
    book = openpyxl.load_workbook(filled)
    book["答复"].insert_rows(3)  # an empty row between the answers
    book.save(filled)
    return filled


def test_a_filled_sheet_imports_and_only_adds_lines(answers_site: SiteFolder) -> None:
    filled = filled_zhujian_sheet(answers_site)
    record = answers_site.content / "sessions/2025/tingche.md"
    before = record.read_text(encoding="utf-8")
    done = huiyin("import", filled.name, cwd=answers_site.root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "导入完成" in done.stdout
    assert "应用 2 行，改动 1 个记录文件、2 条建议；跳过空行 2 行，跳过已记录的 0 行" in done.stdout
    added = only_added_lines(before, record.read_text(encoding="utf-8"))
    lines = [line.strip() for line in added]
    assert lines == [
        "- date: '2025-11-20'",  # quoted, as the record quotes its dates
        "status: in_progress",  # 辦理中 written the way the record writes statuses
        "note: 已梳理可开放的单位停车场 37 处。",
        "documents:",
        "- title: 错时开放工作方案",
        "url: https://example.org/fangan.html",
        "- title: 停车场名单",  # the empty place after ";" in 文件链接: no link
        "- date: '2025-11-21'",  # no 日期: today in Beijing
        "status: claimed",
        "note: 市住建局已认领。",
    ]
    changed = [line for line in diff(answers_site).splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed and all(line.startswith("+") for line in changed)
    check = huiyin("check", cwd=answers_site.root)
    assert check.returncode == 0, check.stdout + check.stderr

    imported = record.read_bytes()
    again = huiyin("import", filled.name, cwd=answers_site.root)
    assert again.returncode == 0, again.stderr
    assert "应用 0 行" in again.stdout and "跳过已记录的 2 行" in again.stdout and "没有新的进展需要写入" in again.stdout
    assert record.read_bytes() == imported

    built = answers_site.build()
    assert built.returncode == 0, built.log
    assert "已梳理可开放的单位停车场 37 处。" in built.page("sessions/2025/tingche/")


def test_dry_run_checks_and_changes_nothing(answers_site: SiteFolder) -> None:
    filled = filled_zhujian_sheet(answers_site)
    done = huiyin("import", filled.name, "--dry-run", cwd=answers_site.root)
    assert done.returncode == 0, done.stderr
    assert "试运行，没有改动任何文件" in done.stdout and "将追加 2 条进展" in done.stdout
    assert diff(answers_site) == ""


def test_one_bad_row_among_good_ones_stops_the_whole_import(answers_site: SiteFolder) -> None:
    sheet = workbook(answers_site.root / "mixed.xlsx", ["建议编号", "日期", "状态", "答复摘要"], [
        [PARKING, datetime(2025, 11, 1), "办理中", "正在推进。"],
        [SPACES, datetime(2025, 11, 2), "完成", "已建成。"],
        [MEALS, datetime(2025, 11, 3), "已落实", "助餐点已开放。"],
    ])
    done = huiyin("import", sheet.name, cwd=answers_site.root)
    assert done.returncode == 1
    assert "mixed.xlsx:第3行: 状态「完成」不在可选范围内 — 可选：submitted（已交办）" in done.stderr
    assert "没有写入任何记录" in done.stderr and "第2行" not in done.stderr and "第4行" not in done.stderr
    assert diff(answers_site) == ""


def test_every_wrong_row_is_named_in_one_run(answers_site: SiteFolder) -> None:
    header = ["建议编号", "日期", "状态", "答复摘要", "文件标题", "文件链接", "延期至", "回访满意度"]
    cases = [
        ([PARKING.replace("sharing", "sharin"), None, "办理中", "", "", "", None, ""], "找不到建议「2025/tingche#parking-sharin」 — 相近的有：parking-sharing"),
        ([PARKING, datetime(2025, 4, 1), "办理中", "", "", "", None, ""], "日期 2025-04-01 早于上一条进展的 2025-04-10 — 进展按时间先后追加；请核对「日期」"),
        ([PARKING, datetime(2025, 12, 1), "办理中", "", "", "", None, ""], "日期 2025-12-01 晚于今天（2025-11-21）"),
        ([PARKING, "下周一", "办理中", "", "", "", None, ""], "日期「下周一」不是有效日期"),
        ([PARKING, None, "完成", "", "", "", None, ""], "状态「完成」不在可选范围内"),
        ([PARKING, None, "未采纳", "", "", "", None, ""], "状态为未采纳（declined）时必须写明原因 — 在「答复摘要」里说明未采纳的理由"),
        ([PARKING, None, "办理中", "", "", "", datetime(2026, 3, 31), ""], "填了「延期至」，但没有写延期理由"),
        ([PARKING, None, "办理中", "延期。", "", "", datetime(2025, 12, 1), ""], "延期至 2025-12-01 不晚于原答复期限 2025-12-31"),
        ([PARKING, None, "办理中", "", "方案", "javascript:alert(1)", None, ""], "文件「方案」的链接不安全或无效：「javascript:alert(1)」"),
        ([PARKING, None, "办理中", "", "甲;乙;丙", "https://a.example/;https://b.example/", None, ""], "有 3 个文件标题，却有 2 个文件链接"),
        ([PARKING, None, "办理中", "", "", "https://a.example/", None, ""], "填了「文件链接」，但没有「文件标题」"),
        ([PARKING, None, "办理中", "", "", "", None, "很好"], "回访满意度「很好」不在可选范围内 — 可选：satisfied（满意）"),
        ([PARKING, None, "已落实", "已办结。", "", "", None, "不满意"], "回访“不满意”时，状态不能是已落实或未采纳"),
        ([PARKING, None, "", "只写了摘要。", "", "", None, ""], "填了进展，但没有填「状态」 — 从下拉列表中选；状态没有变化，就选当前状态「已认领」"),
        (["", None, "办理中", "", "", "", None, ""], "这一行填了进展，但没有建议编号"),
        ([MEALS, None, "办理中", "联系人电话 13912345678。", "", "", None, ""], "这一行写进记录后会出现问题，没有写入：content/sessions/2025/yanglao.md:"),
    ]
    sheet = workbook(answers_site.root / "wrong.xlsx", header, [row for row, _ in cases])
    done = huiyin("import", sheet.name, cwd=answers_site.root)
    assert done.returncode == 1
    for number, (_, message) in enumerate(cases, start=2):
        assert f"wrong.xlsx:第{number}行: {message}" in done.stderr, (number, message, done.stderr)
    assert "疑似手机号码" in done.stderr
    assert diff(answers_site) == ""


def test_the_same_answer_from_two_departments_is_recorded_once(answers_site: SiteFolder) -> None:
    export(answers_site, "--split-by-department", "sheets")
    answer = {PARKING: {"日期": datetime(2025, 11, 18), "状态": "已采纳", "答复摘要": "两部门联合印发方案。"}}
    folder = answers_site.root / "sheets"
    for name in ("青岛市住房和城乡建设局", "青岛市公安局"):
        fill(folder / f"{name}.xlsx", folder / f"{name}.xlsx", answer)
    done = huiyin("import", "sheets/青岛市住房和城乡建设局.xlsx", "sheets/青岛市公安局.xlsx", cwd=answers_site.root)
    assert done.returncode == 0, done.stderr
    assert "应用 1 行" in done.stdout and "跳过已记录的 1 行" in done.stdout
    assert diff(answers_site).count("两部门联合印发方案。") == 1


def test_two_steps_for_one_outcome_import_once_and_again_change_nothing(answers_site: SiteFolder) -> None:
    sheet = workbook(answers_site.root / "steps.xlsx", ["建议编号", "日期", "状态", "答复摘要"], [
        [SPACES, datetime(2025, 11, 3), "已认领", "已认领。"],
        [SPACES, datetime(2025, 11, 17), "办理中", "已选定 5 个小区。"],
    ])
    first = huiyin("import", sheet.name, cwd=answers_site.root)
    assert first.returncode == 0, first.stderr
    assert "应用 2 行" in first.stdout
    imported = diff(answers_site)
    again = huiyin("import", sheet.name, cwd=answers_site.root)
    assert again.returncode == 0, again.stderr  # the first row is no longer the last update, and is still skipped
    assert "跳过已记录的 2 行" in again.stdout and diff(answers_site) == imported


# -- CSV as spreadsheet software saves it ---------------------------------------------


@pytest.mark.parametrize("encoding, said", [("gb18030", "GB18030"), ("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8（带 BOM）")])
def test_a_csv_imports_in_each_accepted_encoding(answers_site: SiteFolder, encoding: str, said: str) -> None:
    """As Excel on Chinese Windows writes "CSV (逗号分隔)": GB18030, CRLF, dates as 2025/11/20."""
    text = "\r\n".join([
        ",".join(LABELS),
        (f"{MEALS},扩大老年助餐,社区养老,市北议事厅,青岛市卫生健康委员会,,,办理中,2025-06-10 正在选点。,"
         "2025/11/20,已落实,\"首批 12 个助餐点开放，日均服务 800 人次。\",,,,满意"),
        f"{PARKING},推动机关事业单位停车场错时开放,破解停车难,倾听与商量,,,2025/12/31,已认领,,,,,,,,",
    ]) + "\r\n"
    sheet = answers_site.root / "answers.csv"
    sheet.write_bytes(text.encode(encoding))
    done = huiyin("import", "answers.csv", "--dry-run", cwd=answers_site.root)
    if "satisfaction" not in update_keys():
        # Until issue 14's fields are in the loader, 回访满意度 reaches the record as a key it refuses.
        assert done.returncode == 1 and "answers.csv:第2行: 这一行写进记录后会出现问题" in done.stderr
        assert "satisfaction" in done.stderr
        sheet.write_bytes(text.replace(",满意\r\n", ",\r\n").encode(encoding))
        done = huiyin("import", "answers.csv", cwd=answers_site.root)
    else:
        done = huiyin("import", "answers.csv", cwd=answers_site.root)
    assert done.returncode == 0, done.stderr
    assert f"CSV（{said} 编码）" in done.stdout
    assert "应用 1 行" in done.stdout and "跳过空行 1 行" in done.stdout
    added = only_added_lines(git(answers_site.root, "show", "HEAD:content/sessions/2025/yanglao.md"),
                             (answers_site.content / "sessions/2025/yanglao.md").read_text(encoding="utf-8"))
    assert [line.strip() for line in added][:2] == ["- date: '2025-11-20'", "status: implemented"]


def test_english_headers_and_missing_read_only_columns_are_fine(answers_site: SiteFolder) -> None:
    sheet = answers_site.root / "en.csv"
    sheet.write_text(f"id,date,status,note,document_title,document_url\n{SPACES},2025-11-19,claimed,已认领。,方案,https://example.org/\n",
                     encoding="utf-8")
    done = huiyin("import", "en.csv", cwd=answers_site.root)
    assert done.returncode == 0, done.stderr
    assert "应用 1 行" in done.stdout


# -- the sheet itself -------------------------------------------------------------


def test_a_title_merged_above_the_header_is_skipped_and_said(answers_site: SiteFolder) -> None:
    export(answers_site, "--department", "市住建局", "--out", "zhujian.xlsx")
    book = openpyxl.load_workbook(answers_site.root / "zhujian.xlsx")
    sheet = book["答复"]
    sheet.insert_rows(1, amount=2)
    sheet["A1"] = "青岛市住房和城乡建设局答复表（2025年11月）"
    sheet.merge_cells("A1:P1")
    header = [c.value for c in sheet[3]]
    sheet.cell(row=5, column=header.index("状态") + 1, value="办理中")  # PARKING, row 5 as Excel shows it
    sheet.cell(row=6, column=header.index("状态") + 1, value="完成")  # SPACES
    book.save(answers_site.root / "titled.xlsx")
    done = huiyin("import", "titled.xlsx", cwd=answers_site.root)
    assert "表头在第 3 行：上面的 2 行是标题，其中合并的单元格 A1:P1，已略过" in done.stdout
    assert done.returncode == 1 and "titled.xlsx:第6行: 状态「完成」" in done.stderr  # numbered as the sheet shows
    sheet.cell(row=6, column=header.index("状态") + 1, value="已认领")
    book.save(answers_site.root / "titled.xlsx")
    done = huiyin("import", "titled.xlsx", cwd=answers_site.root)
    assert done.returncode == 0, done.stderr
    assert "应用 2 行" in done.stdout


def encrypted_workbook(path: Path) -> Path:
    """A workbook with an opening password, encrypted the way Excel does it (ECMA-376 agile)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(LABELS)
    book.save(plain)
    plain.seek(0)
    with path.open("wb") as out:
        OOXMLFile(plain).encrypt("mima123", out)
    return path


def merged_data(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["建议编号", "状态", "答复摘要"])
    sheet.append([PARKING, "办理中", "甲"])
    sheet.append([SPACES, "办理中", "乙"])
    sheet.merge_cells("C2:C3")
    book.save(path)
    return path


def put(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("make, message", [
    (lambda p: put(p.with_suffix(".xlsx"), b""), "empty.xlsx: 文件是空的"),
    (lambda p: put(p.with_suffix(".xlsx"), b"PK\x03\x04 not really a zip"), "empty.xlsx: 无法读取工作簿（BadZipFile）"),
    (lambda p: encrypted_workbook(p.with_suffix(".xlsx")), "empty.xlsx: 工作簿设置了打开密码，无法读取"),
    (lambda p: workbook(p.with_suffix(".xlsx"), ["状态", "答复摘要", "日期"], [["办理中", "甲", None]]),
     "empty.xlsx:第1行: 表头里没有「建议编号」列"),
    (lambda p: workbook(p.with_suffix(".xlsx"), ["建议编号", "状态", "备注"], [[PARKING, "办理中", "甲"]]),
     "empty.xlsx:第1行: 不认识的列「备注」 — 表头只能是：建议编号、建议内容"),
    (lambda p: workbook(p.with_suffix(".xlsx"), ["二〇二五年答复情况"], [["见附件"]]), "empty.xlsx: 前 20 行里找不到表头「建议编号」"),
    (lambda p: merged_data(p.with_suffix(".xlsx")), "empty.xlsx:第2行: 合并了单元格 C2:C3"),
    (lambda p: put(p.with_suffix(".csv"), "建议编号,状态\n".encode("utf-16")), "empty.csv: 文件是 UTF-16 编码"),
    (lambda p: put(p.with_suffix(".txt"), "建议编号\n".encode()), "empty.txt: 不认识的文件类型「.txt」"),
])
def test_a_sheet_that_cannot_be_read_says_why(answers_site: SiteFolder, make, message: str) -> None:
    path = make(answers_site.root / "empty")
    done = huiyin("import", path.name, cwd=answers_site.root)
    assert done.returncode == 1
    assert message in done.stderr, done.stderr
    assert diff(answers_site) == ""


def test_problems_of_several_files_are_reported_together(answers_site: SiteFolder) -> None:
    workbook(answers_site.root / "a.xlsx", ["建议编号", "状态"], [[PARKING, "完成"]])
    (answers_site.root / "b.xlsx").write_bytes(b"")
    workbook(answers_site.root / "c.xlsx", ["建议编号", "状态"], [[SPACES, "已认领"]])
    done = huiyin("import", "a.xlsx", "b.xlsx", "c.xlsx", cwd=answers_site.root)
    assert done.returncode == 1
    assert "答复表有 2 处问题" in done.stderr and "a.xlsx:第2行:" in done.stderr and "b.xlsx: 文件是空的" in done.stderr
    assert diff(answers_site) == ""


# -- nothing lost ------------------------------------------------------------------


def two_record_sheet(site: SiteFolder) -> Path:
    return workbook(site.root / "two.xlsx", ["建议编号", "日期", "状态", "答复摘要"], [
        [PARKING, datetime(2025, 11, 10), "办理中", "正在推进。"],
        [MEALS, datetime(2025, 11, 11), "已落实", "助餐点已开放。"],
    ])


def records(site: SiteFolder) -> dict[str, bytes]:
    return {str(p.relative_to(site.content)): p.read_bytes() for p in sorted(site.content.rglob("*")) if p.is_file()}


def failing_on_second(real):  # type: ignore[no-untyped-def]
    calls = []

    def fail(*args):  # type: ignore[no-untyped-def]
        calls.append(args)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(*args)
    return fail


def test_a_full_disk_while_writing_leaves_every_record_as_it_was(answers_site: SiteFolder, monkeypatch) -> None:
    sheet = two_record_sheet(answers_site)
    before = records(answers_site)
    monkeypatch.setattr(atomic, "stage_file", failing_on_second(atomic.stage_file))
    with pytest.raises(StaffError, match="写入失败，没有改动任何记录"):
        import_sheets(answers_site.content, [sheet], NOW)
    assert records(answers_site) == before  # no record changed, no temporary file left


def test_a_crash_between_renames_leaves_each_record_old_or_wholly_new(answers_site: SiteFolder, tmp_path: Path,
                                                                      monkeypatch) -> None:
    twin = make_site(tmp_path / "twin")
    import_sheets(twin.content, [two_record_sheet(twin)], NOW)  # the same import, uninterrupted
    expected = records(twin)
    sheet = two_record_sheet(answers_site)
    before = records(answers_site)
    with monkeypatch.context() as patch:
        patch.setattr(atomic, "rename", failing_on_second(atomic.rename))
        with pytest.raises(StaffError, match="写入中途停止.*1 个记录已完整更新，1 个原样未动") as stopped:
            import_sheets(answers_site.content, [sheet], NOW)
    assert "再运行一次同样的 huiyin import" in str(stopped.value)
    now = records(answers_site)
    assert set(now) == set(before)  # no temporary file left
    changed = [name for name in now if now[name] != before[name]]
    assert len(changed) == 1 and now[changed[0]] == expected[changed[0]]  # that one wholly new, the other as it was
    result = import_sheets(answers_site.content, [sheet], NOW)  # run again, as the message says
    assert (result.applied, result.skipped_recorded) == (1, 1)
    assert records(answers_site) == expected


# -- the handling fields (issue 14) and the editor --------------------------------------


def test_the_editor_writes_extension_and_follow_up_keys() -> None:
    text = "---\ntitle: t\noutcomes:\n  - id: a\n    updates:\n      - date: 2025-01-02\n        status: 办理中\n---\n"
    new = append_update(text, "a", NewUpdate(date(2025, 3, 1), "办理中", "需要协调用地，申请延期。",
                                             extend_to=date(2025, 6, 30), satisfaction="满意"))
    assert only_added_lines(text, new) == [
        "      - date: 2025-03-01\n", "        status: 办理中\n", "        note: 需要协调用地，申请延期。\n",
        "        extend_to: 2025-06-30\n", "        satisfaction: 满意\n",
    ]


def test_an_extension_row_reaches_the_record_once_the_loader_knows_it(answers_site: SiteFolder) -> None:
    sheet = workbook(answers_site.root / "ext.xlsx", ["建议编号", "日期", "状态", "答复摘要", "延期至"], [
        [PARKING, datetime(2025, 11, 20), "办理中", "涉及用地调整，经批准延期。", datetime(2026, 3, 31)],
    ])
    done = huiyin("import", sheet.name, cwd=answers_site.root)
    if "extend_to" in update_keys():
        assert done.returncode == 0, done.stderr
        assert "extend_to: '2026-03-31'" in diff(answers_site)
    else:  # before issue 14: the loader refuses the key, so the import names the row and writes nothing
        assert done.returncode == 1
        assert "ext.xlsx:第2行: 这一行写进记录后会出现问题，没有写入：" in done.stderr and "extend_to" in done.stderr
        assert diff(answers_site) == ""


# -- help ---------------------------------------------------------------------------


@pytest.mark.parametrize("command, chinese, english", [
    (["export", "answers"], "导出答复表", "Export an answer sheet"),
    (["import"], "导入填好的答复表", "Read filled-in answer sheets"),
])
def test_help_is_in_chinese_and_english(tmp_path: Path, command: list[str], chinese: str, english: str) -> None:
    done = huiyin(*command, "--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert chinese in done.stdout and english in done.stdout


def test_the_sample_site_round_trips(tmp_path: Path) -> None:
    """The shipped sample: export everything open, answer every row, import, check."""
    site = SiteFolder(tmp_path, with_defaults=False)
    shutil.rmtree(site.content)
    shutil.copytree(Path(__file__).resolve().parents[1] / "content", site.content)
    export(site, "--out", "all.xlsx", epoch="1798761600")
    rows = sheet_rows(site.root / "all.xlsx")
    answers = {str(r["建议编号"]): {"状态": "办理中", "答复摘要": "正在办理。"} for r in rows}
    fill(site.root / "all.xlsx", site.root / "filled.xlsx", answers)
    done = huiyin("import", "filled.xlsx", cwd=site.root, epoch="1798761600")  # 2027-01-01: after every update
    assert done.returncode == 0, done.stderr
    assert f"应用 {len(rows)} 行" in done.stdout
    check = huiyin("check", cwd=site.root, epoch="1798761600")
    assert check.returncode == 0, check.stdout + check.stderr
