"""What staff do between builds: start a record, record an answer, check content.

The `huiyin` command line is a thin shell around these functions. Each either
does its job or raises StaffError saying what is wrong and what to do, in the
same `path:line: message — hint` form as a build. Nothing is written unless the
result is a record the build will accept at least as well as before.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..base.clock import today
from ..records.cache import CACHE_FOLDER
from ..records.fields import SLUG, join_hints, parse_day, suggest, unsafe_url
from ..records.files import ContentFiles
from ..records.loader import load_records
from ..records.problems import ContentError, Problem, display_path, problems_added
from ..records.registry import read_registry
from ..records.sessions import SessionFile, read_session
from ..records.source import Mapping, SourceError, decode, parse_yaml, split_record
from ..records.vocab import CONCLUDED_STATUSES, Satisfaction, Status
from .record_edit import EditError, NewUpdate, append_update
from .scaffold import SessionDraft, pinyin_available, session_template, slug_from_title


class StaffError(Exception):
    """A request that cannot be carried out, with what to do about it."""

    def __init__(self, message: str, hint: str = "", path: str | None = None, line: int | None = None,
                 problems: list[Problem] | None = None):
        super().__init__(message)
        self.message, self.hint, self.path, self.line = message, hint, path, line
        self.problems = problems or []

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: " if self.path and self.line else f"{self.path}: " if self.path else ""
        text = f"{where}{self.message}"
        return f"{text} — {self.hint}" if self.hint else text


# -- reading a little of the content folder -----------------------------------


def _front_matter(path: Path) -> Mapping | None:
    try:
        return split_record(decode(path.read_bytes())).meta
    except (OSError, SourceError):
        return None


def platform_names(root: Path) -> dict[str, str]:
    """Platform slug → display name, for every platform file."""
    names: dict[str, str] = {}
    for path in sorted((root / "platforms").glob("*.md")):
        meta = _front_matter(path)
        name = meta.get("name") if meta is not None else None
        names[path.stem] = str(name) if name else path.stem
    return names


def resolve_platform(root: Path, written: str) -> str:
    """The slug of the platform staff named by slug or by its exact name."""
    written = written.strip()
    names = platform_names(root)
    if written in names:
        return written
    by_name = [slug for slug, name in names.items() if name == written]
    if len(by_name) == 1:
        return by_name[0]
    raise StaffError(f"未知的平台「{written}」", _platform_hint(written, names))


def _platform_hint(written: str, names: dict[str, str]) -> str:
    if not names:
        return "内容目录里还没有平台文件，先在 platforms/ 下建立"
    slug_of = {name: slug for slug, name in names.items()}
    close = difflib.get_close_matches(written, sorted(names), n=3, cutoff=0.4)
    close += [slug_of[name] for name in difflib.get_close_matches(written, sorted(slug_of), n=3, cutoff=0.4)]
    shown = list(dict.fromkeys(close)) or sorted(names)[:8]
    listed = "、".join(f"{slug}（{names[slug]}）" for slug in shown)
    return ("相近的有：" if close else "已有平台如：") + listed + "；写 platforms/ 下的平台 slug 或平台名称"


def _department_example(root: Path) -> str:
    """A real department name, so the template's examples validate once uncommented."""
    try:
        entries = parse_yaml(decode((root / "departments.yml").read_bytes()))
    except (OSError, SourceError):
        return "承办单位名称"
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and entry.get("name"):
            return str(entry["name"])
    return "承办单位名称"


def session_problems(root: Path, path: Path, text: str, now: datetime) -> list[Problem]:
    """Problems of one session record as the build would report them.

    Departments and platforms are read too (records refer to them), but only
    the session's own problems are returned: rules across sessions, such as
    duplicate numbers, cannot change by editing a session's outcomes.
    """
    root, path = root.resolve(), path.resolve()
    files = ContentFiles(root)
    registry = read_registry(files)
    files.problems.clear()  # the registry's own problems are not this session's
    log = files.log_for(path)
    try:
        record = split_record(decode(text.encode("utf-8")))
    except SourceError as error:
        log.add(error.line, error.message, error.hint)
        return files.problems
    read_session(registry, SessionFile(files.relative(path), int(path.parent.name)), record, log)
    return files.problems


# -- huiyin new session -------------------------------------------------------


def parse_date_option(raw: str, what: str) -> date:
    parsed = parse_day(raw)
    if parsed is None:
        raise StaffError(f"{what}「{raw}」不是有效日期", "写作 YYYY-MM-DD，如 2026-11-22")
    return parsed


def plan_session(root: Path, *, title: str, platform: str, held_on: date, slug: str | None, now: datetime) -> SessionDraft:
    title = title.strip()
    if not title or "\n" in title:
        raise StaffError("议题（--title）不能为空，也不能换行", "如 --title 破解停车难")
    platform_slug = resolve_platform(root, platform)
    if slug is None:
        slug = slug_from_title(title)
        if slug is None:
            why = "未安装拼音库 pypinyin，" if not pinyin_available() else ""
            raise StaffError(f"{why}无法从议题自动生成文件名", "请用 --slug 指定，只用小写字母、数字和连字符，如 --slug tingche-nan")
    if not SLUG.match(slug):
        raise StaffError(f"文件名「{slug}」不合规", "--slug 只用小写英文字母、数字和连字符（拼音），如 tingche-nan")
    draft = SessionDraft(title, platform_slug, held_on, slug, _department_example(root), planned=held_on > today(now))
    target = root / draft.relative_path
    if target.exists():
        raise StaffError(
            "文件已存在，未覆盖",
            "换一个文件名（--slug …），或直接编辑该文件",
            path=display_path(target, root),
        )
    return draft


def create_session(root: Path, draft: SessionDraft, now: datetime) -> tuple[Path, list[Problem]]:
    """Write the new record; returns its path and any problem the build would see."""
    target = root / draft.relative_path
    text = session_template(draft)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite
        handle.write(text)
    return target, session_problems(root, target, text, now)


# -- huiyin update ------------------------------------------------------------


@dataclass
class UpdateRequest:
    reference: str  # "<session id>#<outcome id>", or "<path>#<outcome id>"
    status: str
    note: str = ""
    on: str | None = None  # YYYY-MM-DD as written; None: today in Beijing
    documents: list[str] = field(default_factory=list)  # "TITLE=URL" or "TITLE"
    extend_to: str | None = None  # YYYY-MM-DD as written: 延期 (the loader checks it is later than the deadline)
    satisfaction: str = ""  # 回访, a value or label of Satisfaction


@dataclass
class UpdateResult:
    path: Path
    update: NewUpdate
    remaining: list[Problem]  # problems the file had before and still has


def split_reference(reference: str) -> tuple[str, str]:
    session_ref, hash_sign, outcome_id = reference.strip().rpartition("#")
    if not hash_sign or not session_ref or not outcome_id:
        raise StaffError(
            f"「{reference}」应写作 活动id#建议id",
            "如 2021/qtysl-04-tingche#parking-sharing（活动 id 默认是“年份/文件名”）",
        )
    return session_ref.strip(), outcome_id.strip()


def session_ids(root: Path) -> dict[str, Path]:
    """Every session id (pinned or default) → its file."""
    found: dict[str, Path] = {}
    for path in sorted((root / "sessions").glob("*/*.md")):
        meta = _front_matter(path)
        pinned = meta.get("id") if meta is not None else None
        found[str(pinned).strip() if pinned else f"{path.parent.name}/{path.stem}"] = path
    return found


def find_session_file(root: Path, session_ref: str) -> Path:
    """The record file of a session id, a default id, or a path to the file."""
    as_path = Path(session_ref)
    if as_path.suffix == ".md" and as_path.is_file():
        if as_path.resolve().parent.parent != (root / "sessions").resolve():
            raise StaffError(f"「{session_ref}」不是内容目录里的协商活动文件",
                             "活动文件在 sessions/<年份>/ 下；或用 --content 指定内容目录")
        return as_path
    direct = root / "sessions" / f"{session_ref}.md"
    if re.fullmatch(r"\d{4}/[a-z0-9-]+", session_ref) and direct.is_file():
        return direct  # the default id names the file: no need to read every record
    ids = session_ids(root)
    if session_ref in ids:
        return ids[session_ref]
    raise StaffError(
        f"找不到活动「{session_ref}」",
        join_hints(suggest(session_ref, sorted(ids)), "活动 id 默认是“年份/文件名”，如 2021/qtysl-04-tingche；文件里写了 id: 的以它为准"),
    )


def written_like(status: Status, example: object) -> str:
    """The status spelled the way the outcome's last update spells its status."""
    example_status = Status.parse(example)
    if example_status is None or str(example).strip().isascii():
        return str(status.value)
    index = example_status.spellings.index(str(example).strip())
    return status.spellings[min(index, len(status.spellings) - 1)]


def parse_documents(written: list[str]) -> tuple[tuple[str, str], ...]:
    documents: list[tuple[str, str]] = []
    for item in written:
        title, _, url = item.partition("=")
        title, url = title.strip(), url.strip()
        if not title or "://" in title:
            raise StaffError(f"文件「{item}」应写作 标题=链接", "如 --document 青岛市停车设施建设管理实施方案=https://…；没有链接时只写标题")
        problem = unsafe_url(url) if url else ""
        if problem:
            raise StaffError(f"文件「{title}」的链接不安全或无效：「{url[:80]}」", problem)
        documents.append((title, url))
    return tuple(documents)


def _outcome_updates(meta: Mapping, outcome_id: str) -> list[Mapping]:
    for outcome in meta.get("outcomes") or []:
        if isinstance(outcome, dict) and str(outcome.get("id")) == outcome_id:
            updates = outcome.get("updates")
            return [u for u in updates if isinstance(u, Mapping)] if isinstance(updates, list) else []
    return []


def build_update(request: UpdateRequest, last_updates: list[Mapping], now: datetime) -> NewUpdate:
    status = Status.parse(request.status)
    if status is None:
        raise StaffError(f"状态「{request.status}」不在可选范围内", f"可选：{Status.describe()}")
    on = parse_date_option(request.on, "日期 --date") if request.on else today(now)
    if on > today(now):
        raise StaffError(f"日期 {on} 晚于今天（{today(now)}）", "办理进展记录已经发生的事，请核对 --date")
    last = last_updates[-1] if last_updates else {}
    last_date = parse_day(last.get("date", ""))
    if last_date is not None and on < last_date:
        raise StaffError(f"日期 {on} 早于上一条进展的 {last_date}", "进展按时间先后追加；请核对 --date")
    note = request.note.strip()
    if status is Status.DECLINED and not note:
        raise StaffError("状态为未采纳（declined）时必须写明原因", "加上 --note 说明未采纳的理由")
    extend_to, satisfaction = _handling_options(request, status, note)
    return NewUpdate(on, written_like(status, last.get("status")), note, parse_documents(request.documents),
                     extend_to=extend_to, satisfaction=satisfaction)


def _handling_options(request: UpdateRequest, status: Status, note: str) -> tuple[date | None, str]:
    """--extend-to and --satisfaction, checked as the loader will check them."""
    extend_to = parse_date_option(request.extend_to, "延期至 --extend-to") if request.extend_to else None
    if extend_to is not None and not note:
        raise StaffError("延期（--extend-to）必须写明原因", "加上 --note 写明延期的理由和批准情况")
    written = request.satisfaction.strip()
    satisfaction = Satisfaction.parse(written) if written else None
    if written and satisfaction is None:
        raise StaffError(f"回访满意度「{written}」不在可选范围内", f"可选：{Satisfaction.describe()}")
    if satisfaction is Satisfaction.DISSATISFIED and status in CONCLUDED_STATUSES:
        raise StaffError(f"回访不满意时，状态不能是办结状态「{status.label}」",
                         "回访不满意即重新办理：--status 写 in_progress（办理中）等未办结状态")
    return extend_to, written


def record_update(root: Path, request: UpdateRequest, now: datetime) -> UpdateResult:
    """Append an update to an outcome's record, changing no other line of the file."""
    session_ref, outcome_id = split_reference(request.reference)
    path = find_session_file(root, session_ref)
    shown = display_path(path, root)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")  # a BOM stays in the text and so in the file
    except UnicodeDecodeError:
        raise StaffError("文件不是 UTF-8 编码", "请在编辑器中以 UTF-8 编码另存此文件", path=shown) from None
    meta = _front_matter(path)
    if meta is None:
        raise StaffError("文件无法读取", "先运行 huiyin check 查看并改正", path=shown)
    try:
        update = build_update(request, _outcome_updates(meta, outcome_id), now)
    except StaffError as error:
        error.path = shown
        raise
    try:
        new_text = append_update(text, outcome_id, update)
    except EditError as error:
        raise StaffError(error.message, error.hint, path=shown, line=error.line) from None
    old_problems = session_problems(root, path, text, now)
    new_problems = session_problems(root, path, new_text, now)
    added = problems_added(old_problems, new_problems)
    if added:
        raise StaffError("追加这条进展会让记录出现问题，未写入", "", path=shown, problems=added)
    path.write_bytes(new_text.encode("utf-8"))
    return UpdateResult(path, update, new_problems)



# -- huiyin check -------------------------------------------------------------


def _absolute(path: Path, root: Path) -> str:
    """Names files by absolute path, so problems can be matched to the paths asked about."""
    return str(path)  # absolute: the loader is given a resolved root


@dataclass
class CheckResult:
    problems: list[Problem]  # in the files asked about (all files when none were named)
    elsewhere: int  # problems in other files, not reported
    sessions: int = 0
    platforms: int = 0
    outcomes: int = 0
    skipped: list[str] = field(default_factory=list)  # paths outside the content folder


def check_content(root: Path, paths: list[Path], now: datetime) -> CheckResult:
    """Validate the whole content folder; report problems in ``paths`` (or all)."""
    if not root.is_dir():
        raise StaffError(f"找不到内容目录「{root}」", "在网站目录（有 mkdocs.yml 的目录）下运行，或用 --content 指定")
    for path in paths:
        if not path.exists():
            raise StaffError(f"找不到文件「{path}」", "检查路径拼写；路径相对于当前目录")
    result = CheckResult([], 0)
    try:
        records = load_records(root.resolve(), shown=_absolute, cache_dir=root.resolve().parent / CACHE_FOLDER)
        result.sessions, result.platforms = len(records.sessions), len(records.platforms)
        result.outcomes = sum(len(s.outcomes) for s in records.sessions)
        found: list[Problem] = []
    except ContentError as error:
        found = error.problems
    wanted = [path.resolve() for path in paths]
    content = root.resolve()
    result.skipped = [str(p) for p, w in zip(paths, wanted) if w != content and content not in w.parents]
    for problem in found:
        where = Path(problem.path)
        if not wanted or any(where == w or w in where.parents for w in wanted):
            result.problems.append(Problem(display_path(where, root), problem.line, problem.message, problem.hint))
        else:
            result.elsewhere += 1
    return result
