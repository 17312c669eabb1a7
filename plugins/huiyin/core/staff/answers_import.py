"""``huiyin import``: filled-in answer sheets back into the records, all or nothing.

Every row of every sheet is checked before any file is written, by the rules
of ``huiyin update`` (its ``build_update``: status, dates, declined without a
note, documents) plus the sheet's own (建议编号, 延期至, 回访满意度, titles and
links that pair up). Then each record's new text is made by the round-trip
editor (record_edit.append_updates: appended lines only) and read by the
loader as the build would; a problem the record did not have before is
blamed on the row that brought it. One problem anywhere: nothing is written.

A row equal to its outcome's last update (same date, status and note) is
skipped, and so is one equal to any earlier update of it (the rows before it
in the same import included): importing a sheet twice changes nothing even
when it answers one outcome in two rows, and an import that was interrupted
while writing can simply be run again.

Files are written by base/atomic.py: all temporary files first, then the
renames, so each record is either exactly as it was or fully updated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from ..base.atomic import PartlyReplaced, replace_files
from ..base.clock import today
from ..records.entities import Outcome, Session
from ..records.fields import join_hints, suggest
from ..records.files import ContentFiles
from ..records.loader import read_session_files
from ..records.problems import Problem, ProblemLog, display_path, problems_added
from ..records.registry import read_registry
from ..records.rules import check_unique_sessions
from ..records.sessions import SessionFile, read_session
from ..records.source import Mapping, SourceError, decode, split_record
from ..records.vocab import CONCLUDED_STATUSES, Satisfaction, Status
from .answer_sheets import (
    Sheet,
    SheetLog,
    SheetProblem,
    SheetRow,
    cell_date,
    handling_of,
    read_sheet,
)
from .record_edit import EditError, NewUpdate, append_updates
from .workflow import StaffError, UpdateRequest, build_update


@dataclass(frozen=True)
class RowRef:
    file: str
    row: int


@dataclass
class _Target:
    """An outcome that rows go to, with its last update as the import so far leaves it."""

    outcome: Outcome
    record: _Record
    last_date: date
    last_status: Status
    last_written: str  # the last status as spelled in the file (English or Chinese)
    last_note: str
    deadline: date | None
    # (date, status, note) of every update it has, this import's included: a row
    # equal to one of them is already recorded. The last update alone would do
    # for a sheet with one row per outcome; with two rows for one outcome (two
    # departments answering, or two steps), the first is no longer the last
    # once imported, and importing the sheet again must still change nothing.
    recorded: set[tuple[date, Status, str]] = field(default_factory=set)


@dataclass
class _Record:
    """A session file and the updates the import adds to it."""

    path: Path
    text: str
    additions: list[tuple[RowRef, str, NewUpdate]] = field(default_factory=list)  # (row, outcome id, update)
    _statuses: dict[str, str] | None = None

    def written_status(self, outcome_id: str) -> str:
        """How an outcome's last update spells its status in the file (English or Chinese).

        Read once per file, not once per outcome: a province's sheet has several
        rows per record, and a parse is a millisecond or two.
        """
        if self._statuses is None:
            self._statuses = _last_statuses(self.text)
        return self._statuses.get(outcome_id, "")


@dataclass
class ImportResult:
    sheets: list[Sheet]
    problems: list[SheetProblem]
    applied: int = 0
    skipped_empty: int = 0
    skipped_recorded: int = 0
    changed: dict[Path, int] = field(default_factory=dict)  # record file → updates added
    outcomes_changed: int = 0
    written: bool = False


def import_sheets(root: Path, files: list[Path], now: datetime, dry_run: bool = False) -> ImportResult:
    """Check every row of ``files``; unless there is a problem or ``dry_run``, write them all."""
    if not root.is_dir():
        raise StaffError(f"找不到内容目录「{root}」", "在网站目录（有 mkdocs.yml 的目录）下运行，或用 --content 指定")
    importer = _Importer(root.resolve(), now)
    for path in files:
        importer.read(path)
    contents = importer.new_contents()
    result = importer.result
    if result.problems or dry_run or not contents:
        return result
    _write(contents, root)
    result.written = True
    return result


def _write(contents: dict[Path, bytes], root: Path) -> None:
    try:
        replace_files(contents)
    except PartlyReplaced as stopped:
        raise StaffError(
            f"写入中途停止（{stopped.cause}）：{len(stopped.replaced)} 个记录已完整更新，"
            f"{len(stopped.unchanged)} 个原样未动（如 {display_path(stopped.unchanged[0], root)}）",
            "排除原因后再运行一次同样的 huiyin import：已写入的行会作为“已记录”跳过，其余的补上",
        ) from None
    except OSError as error:
        raise StaffError(f"写入失败，没有改动任何记录（{error.strerror or error}）",
                         "检查磁盘空间和文件权限后再运行一次") from None


class _Importer:
    def __init__(self, root: Path, now: datetime):
        self.root, self.now = root, now
        self.result = ImportResult([], [])
        # The loader's own steps (records/loader.py), kept: each changed record is
        # checked against this registry rather than reading it again per record.
        self.files = ContentFiles(root)
        self.registry = read_registry(self.files)
        batch = read_session_files(self.files, self.registry, self.files.session_files())
        check_unique_sessions(batch.sessions, batch.origins, self.files.log_for_source)
        # With problems, rows for the outcomes that did load can still be checked.
        self.content_ok = not (self.files.problems or batch.problems)
        self.sessions: list[Session] = batch.sessions
        self.by_id = {o.global_id: o for s in self.sessions for o in s.outcomes}
        self.session_by_id = {s.id: s for s in self.sessions}
        self.targets: dict[str, _Target] = {}
        self.records: dict[Path, _Record] = {}

    # -- reading sheets ----------------------------------------------------

    def read(self, path: Path) -> None:
        log = SheetLog(str(path), self.result.problems)
        sheet = read_sheet(path, str(path), log)
        if sheet is None:
            return
        self.result.sheets.append(sheet)
        for row in sheet.rows:
            self.take_row(row, log)

    def take_row(self, row: SheetRow, log: SheetLog) -> None:
        if row.is_empty:
            self.result.skipped_empty += 1
            return
        reference = row.text("id")
        if not reference:
            log.add(row.number, "这一行填了进展，但没有建议编号", "建议编号从导出的答复表原样保留，不要删改")
            return
        target = self.target(reference, row.number, log)
        if target is None:
            return
        before = len(log.sink)
        update = _row_update(row, target, log, self.now)
        if update is None or len(log.sink) > before:
            return
        if isinstance(update, str):  # RECORDED
            self.result.skipped_recorded += 1
            return
        target.record.additions.append((RowRef(log.file, row.number), target.outcome.id, update))
        target.last_date, target.last_written, target.last_note = update.date, update.status, update.note
        status = Status.parse(update.status)
        target.last_status = status if isinstance(status, Status) else target.last_status
        target.deadline = update.extend_to or target.deadline
        target.recorded.add((target.last_date, target.last_status, target.last_note))
        self.result.applied += 1

    def target(self, reference: str, number: int, log: SheetLog) -> _Target | None:
        if reference in self.targets:
            return self.targets[reference]
        outcome = self.by_id.get(reference)
        if outcome is None:
            log.add(number, f"找不到建议「{reference[:80]}」", self.unknown_hint(reference))
            return None
        assert outcome.session is not None
        record = self.record(self.root / outcome.session.source_path, number, log)
        if record is None:
            return None
        last = outcome.last_update
        target = _Target(outcome, record, last.date, last.status, record.written_status(outcome.id),
                         last.note, handling_of(outcome).deadline,
                         {(u.date, u.status, u.note.strip()) for u in outcome.updates})
        self.targets[reference] = target
        return target

    def unknown_hint(self, reference: str) -> str:
        session_id, _, outcome_id = reference.rpartition("#")
        session = self.session_by_id.get(session_id)
        if session is not None:
            known = [o.id for o in session.outcomes]
            close = suggest(outcome_id, known) or "这次活动的建议有：" + ("、".join(known) or "（无）")
            return join_hints(close, "建议编号从导出的答复表原样保留，不要删改")
        hint = join_hints(suggest(reference, sorted(self.by_id)), "建议编号写作“活动 id#建议 id”，从导出的答复表原样保留")
        if not self.content_ok:
            hint = join_hints(hint, "内容本身有问题时，有问题的建议认不出来：先运行 huiyin check 改正")
        return hint

    def record(self, path: Path, number: int, log: SheetLog) -> _Record | None:
        if path not in self.records:
            try:
                self.records[path] = _Record(path, path.read_bytes().decode("utf-8"))
            except (OSError, UnicodeDecodeError):
                log.add(number, f"记录文件 {display_path(path, self.root)} 无法读取或不是 UTF-8 编码",
                        "先运行 huiyin check，按提示改正这个文件")
                return None
        return self.records[path]

    # -- making the new records ---------------------------------------------

    def new_contents(self) -> dict[Path, bytes]:
        """The new bytes of every record that gains updates; any problem goes to the result."""
        contents: dict[Path, bytes] = {}
        for record in self.records.values():
            if not record.additions:
                continue
            new_text = self.appended(record, record.additions)
            if new_text is None:
                continue
            after = self.problems_of(record.path, new_text)
            # The record as it was is read only when the new one has problems: most have none.
            if after and problems_added(self.problems_of(record.path, record.text), after):
                self.blame(record)
                continue
            contents[record.path] = new_text.encode("utf-8")
            self.result.changed[record.path] = len(record.additions)
        self.result.outcomes_changed = len({(r.path, oid) for r in self.records.values() if r.path in contents
                                            for _, oid, _ in r.additions})
        return contents

    def appended(self, record: _Record, additions: list[tuple[RowRef, str, NewUpdate]]) -> str | None:
        try:
            return append_updates(record.text, [(oid, update) for _, oid, update in additions])
        except EditError as error:
            for ref, _, _ in additions:
                self.row_problem(ref, f"无法写进记录 {display_path(record.path, self.root)}：{error.message}", error.hint)
            return None

    def blame(self, record: _Record) -> None:
        """Find which rows bring new problems into a record: add them one at a time (only on failure)."""
        text = record.text
        before = self.problems_of(record.path, text)
        for count, (ref, _, _) in enumerate(record.additions, start=1):
            after_text = self.appended(record, record.additions[:count])
            if after_text is None:
                return
            after = self.problems_of(record.path, after_text)
            for problem in problems_added(before, after):
                self.row_problem(ref, f"这一行写进记录后会出现问题，没有写入：{problem}", "")
            before = after

    def row_problem(self, ref: RowRef, message: str, hint: str) -> None:
        self.result.problems.append(SheetProblem(ref.file, ref.row, message, hint))

    def problems_of(self, path: Path, text: str) -> list[Problem]:
        """The problems of one session text as the build reports them.

        workflow.session_problems does the same but reads every department and
        platform again on each call (tens of milliseconds at provincial scale,
        twice per record changed); the loader already holds them here.
        """
        problems: list[Problem] = []
        log = ProblemLog(self.files.shown(path, self.files.root), problems)
        try:
            source = split_record(decode(text.encode("utf-8")))
        except SourceError as error:
            log.add(error.line, error.message, error.hint)
            return problems
        read_session(self.registry, SessionFile(self.files.relative(path), int(path.parent.name)), source, log)
        return problems



def _last_statuses(text: str) -> dict[str, str]:
    """Outcome id → its last update's status as written in the record."""
    try:
        meta = split_record(decode(text.encode("utf-8"))).meta
    except SourceError:
        return {}
    found: dict[str, str] = {}
    for outcome in meta.get("outcomes") or []:
        if isinstance(outcome, dict):
            updates = [u for u in outcome.get("updates") or [] if isinstance(u, dict)]
            found[str(outcome.get("id"))] = str(updates[-1].get("status", "")) if updates else ""
    return found


# -- one row ----------------------------------------------------------------------


RECORDED = "recorded"  # what _row_update returns for a row its outcome's last update already says


def _row_update(row: SheetRow, target: _Target, log: SheetLog, now: datetime) -> NewUpdate | str | None:
    """The update a row asks for, RECORDED when the outcome has that update already, or None."""
    on = cell_date(row.cells.get("date"))
    if isinstance(on, str):
        log.add(row.number, f"日期「{on[:30]}」不是有效日期", "写作 2025-11-20，或用表格软件的日期格式；不填即今天")
        return None
    on = on or today(now)
    status_text = row.text("status")
    if not status_text:
        log.add(row.number, "填了进展，但没有填「状态」", f"从下拉列表中选；状态没有变化，就选当前状态「{target.last_status.label}」")
        return None
    note = row.text("note")
    status = Status.parse(status_text)
    if isinstance(status, Status) and (on, status, note) in target.recorded:
        return RECORDED
    extend_to = _extension(row, target, note, log)
    satisfaction = _satisfaction(row, status_text, target, log)
    documents = _documents(row, log)
    request = UpdateRequest(row.text("id"), status_text, note, on.isoformat(), documents or [])
    try:
        last = Mapping(date=target.last_date.isoformat(), status=target.last_written)  # as build_update reads a record
        update = build_update(request, [last], now)
    except StaffError as error:
        log.add(row.number, error.message, _for_sheet(error.hint))
        return None
    if documents is None:
        return None
    return replace(update, extend_to=extend_to, satisfaction=satisfaction)


def _extension(row: SheetRow, target: _Target, note: str, log: SheetLog) -> date | None:
    extend_to = cell_date(row.cells.get("extend_to"))
    if isinstance(extend_to, str):
        log.add(row.number, f"延期至「{extend_to[:30]}」不是有效日期", "写作 2026-01-31，或用表格软件的日期格式")
        return None
    if extend_to is None:
        return None
    if not note:
        log.add(row.number, "填了「延期至」，但没有写延期理由", "在「答复摘要」里写明延期的理由")
    if target.deadline is not None and extend_to <= target.deadline:
        log.add(row.number, f"延期至 {extend_to} 不晚于原答复期限 {target.deadline}", "延期后的期限要晚于原期限；请核对日期")
    return extend_to


def _satisfaction(row: SheetRow, status_text: str, target: _Target, log: SheetLog) -> str:
    """回访满意度 as it will be written: spelled like the record's statuses (English or Chinese)."""
    written = row.text("satisfaction")
    if not written:
        return ""
    verdict = Satisfaction.parse(written)
    if verdict is None:
        log.add(row.number, f"回访满意度「{written[:30]}」不在可选范围内", f"可选：{Satisfaction.describe()}")
        return ""
    if verdict.value == "dissatisfied" and Status.parse(status_text) in CONCLUDED_STATUSES:
        log.add(row.number, "回访“不满意”时，状态不能是已落实或未采纳", "不满意说明还要继续办理：状态选“办理中”等")
    return verdict.value if target.last_written.isascii() else verdict.label


def _split(text: str) -> list[str]:
    return [item.strip() for item in re.split(r"[;；]", text)] if text.strip() else []


def _documents(row: SheetRow, log: SheetLog) -> list[str] | None:
    """Documents as ``huiyin update --document`` takes them (TITLE=URL), or None when they do not pair up.

    Titles and links pair by position. A ``;`` at the end of the titles is no
    further document; in the links, an empty place is a document without a
    link (``https://a;`` for two titles: the second has none).
    """
    titles, urls = _split(row.text("document_title")), _split(row.text("document_url"))
    while titles and not titles[-1]:
        titles.pop()
    while len(urls) > len(titles) and not urls[-1]:
        urls.pop()
    before = len(log.sink)
    if urls and not titles:
        log.add(row.number, "填了「文件链接」，但没有「文件标题」", "每个链接都要在「文件标题」里写上标题，顺序相同")
    elif urls and len(urls) != len(titles):
        log.add(row.number, f"有 {len(titles)} 个文件标题，却有 {len(urls)} 个文件链接",
                "标题和链接都用 ; 隔开、一一对应；没有链接的文件留空位，如 ;https://…")
    for title in titles:
        if not title:
            log.add(row.number, "「文件标题」里有空的一项", "删去多余的分号 ;")
        elif "://" in title:
            log.add(row.number, f"文件标题「{title[:40]}」像是链接", "链接写在「文件链接」列，这里写文件的名称")
        elif "=" in title:
            log.add(row.number, f"文件标题「{title[:40]}」里有“=”", "去掉等号，或换成“－”")
    if len(log.sink) > before:
        return None
    return [f"{title}={urls[i] if i < len(urls) else ''}" for i, title in enumerate(titles)]


# huiyin update's hints name its options; a sheet has columns instead.
_OPTIONS_AS_COLUMNS = (
    ("加上 --note ", "在「答复摘要」里"),
    ("请核对 --date", "请核对「日期」"),
    ("--date", "「日期」"),
    ("--note", "「答复摘要」"),
    ("--document", "「文件标题」「文件链接」"),
)


def _for_sheet(hint: str) -> str:
    for option, column in _OPTIONS_AS_COLUMNS:
        hint = hint.replace(option, column)
    return hint
