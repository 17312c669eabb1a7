"""Load a content folder into a validated corpus, or report every problem.

The order is: departments, platforms, sessions (each file on its own), then
the rules that span files (parents, cycles, duplicate ids and numbers), then
the staff-written pages (for personal numbers only). A file that cannot be
read at all is reported and skipped, so the other files are still checked in
the same run.

Session files are read and checked one by one, and there are thousands of
them at provincial scale: with two cores, a forked child reads the second half
while this process reads the first (see SessionBatch).
"""

from __future__ import annotations

import io
import pickle
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..base.forking import ForkedCall, ForkedCallFailed, can_fork
from .fields import SLUG, Fields, excerpt, join_hints, suggest
from .entities import Department, Document, Media, Outcome, Participants, Platform, Session, Update
from . import schema
from .links import check_body_links
from .privacy import check_personal_data
from .problems import ContentError, Problem, ProblemLog, display_path
from .source import Mapping, RecordSource, Sequence, SourceError, decode, parse_yaml, split_record
from .vocab import Level, MediaKind, Stage, Status, TopicSource

# Published as they are, these would run as code on the site's own domain.
ACTIVE_SUFFIXES = {".html", ".htm", ".xhtml", ".js", ".mjs"}

MAX_FILE_BYTES = 2_000_000  # a record is prose and a few lists; more is a mistake
YEAR_FOLDER = re.compile(r"^[1-9][0-9]{3}$")  # ASCII: "２０２１" or "0000" is no year

# The keys each kind of record may carry, from the one schema (records/schema.py).
PLATFORM_KEYS = schema.PLATFORM.keys()
SESSION_KEYS = schema.SESSION.keys()
OUTCOME_KEYS = schema.OUTCOME.keys()
UPDATE_KEYS = schema.UPDATE.keys()
DOCUMENT_KEYS = schema.DOCUMENT.keys()
MEDIA_KEYS = schema.MEDIA.keys()
PARTICIPANT_KEYS = schema.PARTICIPANTS.keys()
DEPARTMENT_KEYS = schema.DEPARTMENT.keys()


@dataclass
class DepartmentDirectory:
    """Resolves a department written by name or alias to its one entry."""

    departments: list[Department] = field(default_factory=list)
    by_name: dict[str, Department] = field(default_factory=dict)
    by_slug: dict[str, Department] = field(default_factory=dict)

    def resolve(self, written: str) -> Department | None:
        return self.by_name.get(written.strip())

    def names(self) -> list[str]:
        return sorted(self.by_name)


# Below this many session files, a second process costs more than it saves.
PARALLEL_FROM = 400


@dataclass(frozen=True)
class SessionOrigin:
    """What the rules across files need of a session's front matter: where its keys are."""

    line: int
    key_lines: dict[str, int]
    pinned_id: bool  # the file sets `id` itself rather than taking the default

    @classmethod
    def of(cls, meta: Mapping) -> SessionOrigin:
        lines = {key: meta.key_lines[key] for key in ("id", "title", "number") if key in meta.key_lines}
        return cls(meta.line, lines, "id" in meta)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


@dataclass
class SessionBatch:
    """Sessions read by a forked child, with their problems, sent back pickled.

    Platforms and departments are not copied: the child refers to them by
    slug and the parent puts its own objects back in their place, so every
    session points at the one platform tree and department directory.
    """

    sessions: list[Session]
    problems: list[Problem]
    origins: dict[str, SessionOrigin]


class _BatchPickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, loader: Loader):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.loader = loader

    def persistent_id(self, obj: Any) -> tuple[str, str] | None:
        if isinstance(obj, Platform) and self.loader.platforms.get(obj.slug) is obj:
            return ("platform", obj.slug)
        if isinstance(obj, Department) and self.loader.directory.by_slug.get(obj.slug) is obj:
            return ("department", obj.slug)
        return None


class _BatchUnpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, loader: Loader):
        super().__init__(file)
        self.loader = loader

    def persistent_load(self, pid: tuple[str, str]) -> Platform | Department:
        kind, slug = pid
        return self.loader.platforms[slug] if kind == "platform" else self.loader.directory.by_slug[slug]


@dataclass(frozen=True)
class Records:
    """Every record of a content folder, read and checked: what the model is made from."""

    platforms: dict[str, Platform]
    departments: list[Department]
    sessions: list[Session]  # drafts and embargoed ones included


def page_meta(meta: Mapping) -> dict[str, Any]:
    """The front matter meant for the site generator rather than the record."""
    return {key: meta[key] for key in schema.THEME_KEYS | {"title"} if key in meta}


class Loader:
    def __init__(self, content_dir: Path, now: datetime, parallel_from: int = PARALLEL_FROM):
        self.root = content_dir
        self.now = now
        self.parallel_from = parallel_from
        self.problems: list[Problem] = []
        self.directory = DepartmentDirectory()
        self.platforms: dict[str, Platform] = {}
        self.sessions: list[Session] = []
        self._platform_lines: dict[str, int] = {}
        self._session_origins: dict[str, SessionOrigin] = {}  # by source path

    # -- the story -------------------------------------------------------

    def load(self) -> Records:
        self.load_departments()
        self.load_platforms()
        self.link_platforms()
        self.load_sessions()
        self.check_unique_sessions()
        self.check_pages()
        self.check_no_active_files()
        if self.problems:
            raise ContentError(self.problems)
        return Records(self.platforms, self.directory.departments, self.sessions)

    # -- files -----------------------------------------------------------

    def shown(self, path: Path) -> str:
        return display_path(path, self.root)

    def log_for(self, path: Path) -> ProblemLog:
        return ProblemLog(self.shown(path), self.problems)

    def read_bytes(self, path: Path, log: ProblemLog) -> bytes | None:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            log.add(None, f"文件过大（{size // 1024} KB）", f"单个记录应小于 {MAX_FILE_BYTES // 1000} KB，请拆分或精简")
            return None
        return path.read_bytes()

    def read_record(self, path: Path, log: ProblemLog) -> RecordSource | None:
        raw = self.read_bytes(path, log)
        if raw is None:
            return None
        try:
            return split_record(decode(raw))
        except SourceError as error:
            log.add(error.line, error.message, error.hint)
            return None

    # -- departments -----------------------------------------------------

    def load_departments(self) -> None:
        path = self.root / "departments.yml"
        log = self.log_for(path)
        if not path.is_file():
            log.add(None, "找不到承办单位名录 departments.yml", "在内容目录下建立该文件，列出所有承办单位")
            return
        raw = self.read_bytes(path, log)
        if raw is None:
            return
        try:
            entries = parse_yaml(decode(raw))
        except SourceError as error:
            log.add(error.line, error.message, error.hint)
            return
        if entries is None:
            return
        if not isinstance(entries, Sequence):
            log.add(1, "departments.yml 应为列表，每个单位以“- slug: …”开头", "参见《录入指南》")
            return
        check_personal_data(log, entries, waivable=False)
        slugs: dict[str, int] = {}
        for index, entry in enumerate(entries):
            if not isinstance(entry, Mapping):
                log.add(entries.line_of(index), f"第 {index + 1} 项应为含 slug、name 的映射", "参见《录入指南》")
                continue
            self.add_department(Fields(entry, log, f"[{index + 1}].", schema.DEPARTMENT), slugs)

    def add_department(self, fields: Fields, slugs: dict[str, int]) -> None:
        fields.check_keys()
        slug = fields.text("slug")
        name = fields.text("name")
        aliases = fields.text_list("aliases")
        if slug is None or name is None:
            return
        if not SLUG.match(slug):
            fields.problem("slug", f"承办单位 slug「{excerpt(slug)}」不合规", "只用小写英文字母、数字和连字符，如 qd-zhujian")
        if slug in slugs:
            fields.problem("slug", f"承办单位 slug「{excerpt(slug)}」重复（第 {slugs[slug]} 行已用）", "每个单位的 slug 必须唯一")
            return
        slugs[slug] = fields.line("slug")
        department = Department(slug=slug, name=name, aliases=aliases)
        for written in (name, *aliases):
            holder = self.directory.by_name.get(written)
            if holder is not None and holder is not department:
                fields.problem(
                    "aliases" if written != name else "name",
                    f"名称或别名「{excerpt(written)}」同时属于「{holder.name}」",
                    "一个名称只能指向一个单位，请删去或改写其中一个",
                )
                continue
            self.directory.by_name[written] = department
        self.directory.departments.append(department)
        self.directory.by_slug[slug] = department

    def resolve_departments(self, fields: Fields, key: str, required: bool) -> tuple[Department, ...]:
        written = fields.text_list(key)
        if required and not written:
            fields.log.add(fields.mapping.line, f"缺少必填字段「{fields.name(key)}」", "写明承办单位，如 departments: [市住建局]")
        resolved: list[Department] = []
        for name in written:
            department = self.directory.resolve(name)
            if department is None:
                fields.problem(
                    key,
                    f"未知的承办单位「{excerpt(name)}」",
                    join_hints(suggest(name, self.directory.names()), "请使用 departments.yml 中的名称或别名，或先在其中登记该单位"),
                )
            elif department not in resolved:
                resolved.append(department)
        return tuple(resolved)

    # -- platforms -------------------------------------------------------

    def load_platforms(self) -> None:
        folder = self.root / "platforms"
        for path in sorted(folder.glob("**/*.md")) if folder.is_dir() else []:
            log = self.log_for(path)
            if path.parent != folder:
                log.add(None, "平台文件应直接放在 platforms/ 下", "移到 platforms/<slug>.md")
                continue
            if not SLUG.match(path.stem):
                log.add(None, f"文件名「{path.name}」不合规", "文件名即平台 slug：只用小写英文字母、数字和连字符（拼音），如 qingting-yu-shangliang.md")
                continue
            record = self.read_record(path, log)
            if record is not None:
                self.add_platform(path, Fields(record.meta, log, schema=schema.PLATFORM), record)

    def add_platform(self, path: Path, fields: Fields, record: RecordSource) -> None:
        fields.check_keys()
        name = fields.text("name")
        level = fields.vocabulary("level", Level)
        region = fields.text("region")
        parent = fields.text("parent")
        if parent is not None and not SLUG.match(parent):
            fields.problem("parent", f"上级平台「{excerpt(parent)}」不是平台 slug", "写上级平台文件名（不含 .md），如 youshi-lai-shangliang")
        logo = fields.text("logo")
        if logo is not None and not self.is_content_file(logo):
            fields.problem("logo", f"找不到标志图片「{excerpt(logo)}」", "写 content/ 下的相对路径，如 assets/logos/x.png，并确认文件存在")
            logo = None
        platform = Platform(
            slug=path.stem,
            name=name or path.stem,
            level=level or Level.CITY,
            region=region or "",
            source_path=path.relative_to(self.root).as_posix(),
            parent_slug=parent,
            organizers=fields.text_list("organizers"),
            launched=fields.month_or_day("launched"),
            annual_target=fields.integer("annual_target", minimum=1),
            venue=fields.text("venue"),
            hours=fields.text("hours"),
            contact=fields.text("contact"),
            logo=logo,
            body=record.body,
            page_meta=page_meta(record.meta),
        )
        self._platform_lines[platform.slug] = fields.line("parent")
        check_personal_data(fields.log, record.meta, record.body, record.body_line, path.name)
        check_body_links(fields.log, record.body, record.body_line)
        self.platforms[platform.slug] = platform

    def is_content_file(self, relative: str) -> bool:
        candidate = (self.root / relative).resolve()
        return candidate.is_file() and self.root.resolve() in candidate.parents

    def link_platforms(self) -> None:
        for platform in self.platforms.values():
            if platform.parent_slug is None:
                continue
            parent = self.platforms.get(platform.parent_slug)
            log = ProblemLog(self.shown(self.root / platform.source_path), self.problems)
            if parent is None:
                log.add(
                    self._platform_lines[platform.slug],
                    f"上级平台「{platform.parent_slug}」不存在",
                    join_hints(suggest(platform.parent_slug, sorted(self.platforms)), "写 platforms/ 下已有的平台 slug"),
                )
                continue
            platform.parent = parent
            parent.children.append(platform)
        for platform in self.platforms.values():
            if self.in_cycle(platform):
                log = ProblemLog(self.shown(self.root / platform.source_path), self.problems)
                log.add(
                    self._platform_lines[platform.slug],
                    "上级平台形成循环（某平台最终成了自己的上级）",
                    "检查这些平台的 parent：" + " → ".join(self.cycle_path(platform)),
                )
        for platform in self.platforms.values():
            platform.children.sort(key=lambda child: child.slug)

    def in_cycle(self, platform: Platform) -> bool:
        seen: set[str] = set()
        node: Platform | None = platform
        while node is not None:
            if node.slug in seen:
                return node is platform
            seen.add(node.slug)
            node = node.parent
        return False

    def cycle_path(self, platform: Platform) -> list[str]:
        path = [platform.slug]
        node = platform.parent
        while node is not None and node is not platform:
            path.append(node.slug)
            node = node.parent
        return path + [platform.slug]

    # -- sessions --------------------------------------------------------

    def load_sessions(self) -> None:
        files = self.session_files()
        if len(files) < self.parallel_from or not can_fork():
            self.read_sessions(files)
            return
        half = len(files) // 2
        child = ForkedCall(lambda: self.batch_bytes(files[half:]))
        self.read_sessions(files[:half])
        try:
            self.take_batch(child.result())
        except ForkedCallFailed:
            self.read_sessions(files[half:])  # whatever went wrong there, the same files are read here

    def session_files(self) -> list[tuple[Path, int]]:
        """Session files where they belong, with their year; the others are reported."""
        folder = self.root / "sessions"
        found: list[tuple[Path, int]] = []
        for path in sorted(folder.glob("**/*.md")) if folder.is_dir() else []:
            relative = path.relative_to(folder)
            if relative.as_posix() == "index.md":
                continue
            parts = relative.parts
            if len(parts) != 2 or not YEAR_FOLDER.match(parts[0]):
                self.log_for(path).add(None, "协商活动文件应放在 sessions/<年份>/<slug>.md", "如 sessions/2021/tingche-nan.md")
                continue
            if not SLUG.match(path.stem):
                self.log_for(path).add(None, f"文件名「{path.name}」不合规", "只用小写英文字母、数字和连字符（拼音），如 tingche-nan.md")
                continue
            found.append((path, int(parts[0])))
        return found

    def read_sessions(self, files: list[tuple[Path, int]]) -> None:
        for path, year in files:
            log = self.log_for(path)
            record = self.read_record(path, log)
            if record is not None:
                self.add_session(path, year, Fields(record.meta, log, schema=schema.SESSION), record)

    def batch_bytes(self, files: list[tuple[Path, int]]) -> bytes:
        """In the forked child: read these files and pickle what they added."""
        sessions_before, problems_before = len(self.sessions), len(self.problems)
        self.read_sessions(files)
        sessions = self.sessions[sessions_before:]
        batch = SessionBatch(sessions, self.problems[problems_before:],
                             {s.source_path: self._session_origins[s.source_path] for s in sessions})
        buffer = io.BytesIO()
        _BatchPickler(buffer, self).dump(batch)
        return buffer.getvalue()

    def take_batch(self, data: bytes) -> None:
        batch: SessionBatch = _BatchUnpickler(io.BytesIO(data), self).load()
        self.sessions += batch.sessions
        self.problems += batch.problems
        self._session_origins |= batch.origins

    def add_session(self, path: Path, year: int, fields: Fields, record: RecordSource) -> None:
        fields.check_keys()
        title = fields.text("title")
        platform = self.session_platform(fields)
        held_on = fields.day("date")
        if held_on is not None and held_on.year != year:
            fields.problem("date", f"日期 {held_on} 与所在年份文件夹 {year} 不符", f"把文件移到 sessions/{held_on.year}/，或改正日期")
        session_id = fields.text("id") or f"{year}/{path.stem}"
        session = Session(
            id=session_id,
            slug=path.stem,
            year=year,
            source_path=path.relative_to(self.root).as_posix(),
            title=title or "",
            platform=platform or Platform("?", "?", Level.CITY, "", ""),
            date=held_on or date(year, 1, 1),
            stage=fields.vocabulary("stage", Stage) or Stage.HELD,
            number=fields.integer("number", minimum=1),
            location=fields.text("location"),
            topic_source=fields.vocabulary("topic_source", TopicSource),
            tags=fields.text_list("tags"),
            participants=self.participants(fields),
            public_input=fields.integer("public_input", minimum=0),
            media=self.media(fields),
            draft=fields.boolean("draft"),
            publish_date=fields.moment("publish_date"),
            body=record.body,
            page_meta=page_meta(record.meta),
        )
        session.outcomes = self.outcomes(fields, session)
        # Embargoed sessions too: they go out on their own, with no one watching the build.
        if not session.draft:
            check_personal_data(fields.log, record.meta, record.body, record.body_line, path.name)
        check_body_links(fields.log, record.body, record.body_line)
        self._session_origins[session.source_path] = SessionOrigin.of(fields.mapping)
        self.sessions.append(session)

    def session_platform(self, fields: Fields) -> Platform | None:
        slug = fields.text("platform")
        if slug is None:
            return None
        platform = self.platforms.get(slug)
        if platform is None:
            by_name = [p.slug for p in self.platforms.values() if p.name == slug]
            hint = f"「{excerpt(slug)}」是平台名称，这里应写它的 slug：{by_name[0]}" if by_name else suggest(slug, sorted(self.platforms))
            fields.problem("platform", f"未知的平台「{excerpt(slug)}」", join_hints(hint, "写 platforms/ 下平台文件名（不含 .md）"))
        return platform

    def participants(self, fields: Fields) -> Participants:
        nested = fields.nested("participants")
        if nested is None:
            return Participants()
        nested.check_keys()
        return Participants(
            members=nested.integer("members", minimum=0),
            experts=nested.integer("experts", minimum=0),
            public=nested.integer("public", minimum=0),
            officials=self.resolve_departments(nested, "officials", required=False),
        )

    def media(self, fields: Fields) -> tuple[Media, ...]:
        found: list[Media] = []
        for item in fields.records("media"):
            title = item.text("title")
            url = item.url("url")
            if title is not None:
                found.append(Media(title, url, item.text("outlet") or "", item.vocabulary("kind", MediaKind)))
        return tuple(found)

    def outcomes(self, fields: Fields, session: Session) -> tuple[Outcome, ...]:
        found: list[Outcome] = []
        seen: set[str] = set()
        for item in fields.records("outcomes"):
            outcome_id = item.text("id")
            if outcome_id is not None and not SLUG.match(outcome_id):
                item.problem("id", f"建议 id「{excerpt(outcome_id)}」不合规", "只用小写英文字母、数字和连字符，如 parking-sharing")
                outcome_id = None
            if outcome_id is not None and outcome_id in seen:
                item.problem("id", f"建议 id「{excerpt(outcome_id)}」在本次活动中重复", "同一活动内每条建议的 id 必须不同")
                outcome_id = None
            text = item.text("text")
            departments = self.resolve_departments(item, "departments", required=True)
            due = item.day("due")
            updates = self.updates(item)
            if outcome_id is None or text is None or not updates:
                continue
            seen.add(outcome_id)
            found.append(Outcome(outcome_id, text, departments, updates, due, session))
        return tuple(found)

    def updates(self, fields: Fields) -> tuple[Update, ...]:
        items = fields.records("updates")
        raw = fields.mapping.get("updates")
        if isinstance(raw, Sequence) and not raw:
            fields.problem("updates", f"「{fields.name('updates')}」至少要有一条", "第一条通常是 status: submitted（已交办）")
        found: list[Update] = []
        broken = False
        for item in items:
            when = item.day("date")
            status = item.vocabulary("status", Status)
            note = item.text("note") or ""
            if status is Status.DECLINED and not note:
                item.log.add(item.mapping.line, "状态为未采纳（declined）时必须写明原因", "在这一条加 note: 说明未采纳的理由")
            documents = self.documents(item)
            if when is None or status is None:
                broken = True
                continue
            if found and when < found[-1].date:
                item.problem("date", f"办理进展日期倒退：{when} 早于上一条的 {found[-1].date}", "进展按时间先后排列，最早的在前")
            found.append(Update(len(found) + 1, when, status, note, documents))
        return () if broken else tuple(found)

    def documents(self, fields: Fields) -> tuple[Document, ...]:
        found: list[Document] = []
        for item in fields.records("documents"):
            title = item.text("title")
            url = item.url("url")
            if title is not None:
                found.append(Document(title, url))
        return tuple(found)

    # -- rules across files ---------------------------------------------

    def check_unique_sessions(self) -> None:
        by_id: dict[str, list[Session]] = defaultdict(list)
        by_number: dict[tuple[str, int], list[Session]] = defaultdict(list)
        for session in self.sessions:
            by_id[session.id].append(session)
            if session.number is not None:
                by_number[(session.platform.slug, session.number)].append(session)
        for session_id, sharing in by_id.items():
            # Blame the files that pinned the id by hand, if any did: the
            # others merely carry their default id.
            pinned = [s for s in sharing if self._session_origins[s.source_path].pinned_id]
            for session in (pinned or sharing) if len(sharing) > 1 else []:
                others = "、".join(s.source_path for s in sharing if s is not session)
                self.session_problem(
                    session,
                    "id" if self._session_origins[session.source_path].pinned_id else "title",
                    f"活动 id「{excerpt(session_id)}」与 {others} 重复",
                    "每个活动的 id 必须唯一；移动文件时请保留原 id，新文件换一个 id",
                )
        for (_, number), sharing in by_number.items():
            for session in sharing if len(sharing) > 1 else []:
                others = "、".join(s.source_path for s in sharing if s is not session)
                self.session_problem(
                    session,
                    "number",
                    f"第 {number} 期在平台「{session.platform.name}」中重复，又见于 {others}",
                    "同一平台的期数不能重复，请核对期数",
                )

    def session_problem(self, session: Session, key: str, message: str, hint: str) -> None:
        origin = self._session_origins[session.source_path]
        self.log_for(self.root / session.source_path).add(origin.line_of(key), message, hint)

    # -- staff-written pages --------------------------------------------

    def check_pages(self) -> None:
        """Personal numbers in the other Markdown pages (index.md, tags.md…): they are published too."""
        for path in sorted(self.root.rglob("*.md")):
            relative = path.relative_to(self.root)
            if self.is_record_file(relative) or any(part.startswith(".") for part in relative.parts):
                continue
            log = self.log_for(path)
            raw = self.read_bytes(path, log)
            if raw is None:
                continue
            try:
                text = decode(raw)
            except SourceError as error:
                log.add(error.line, error.message, error.hint)
                continue
            try:
                page = split_record(text) if text.startswith("---") else None
            except SourceError:
                page = None  # MkDocs reads it as it can; we still check every line
            if page is None:
                page = RecordSource(Mapping(), text, 1)
            check_personal_data(log, page.meta, page.body, page.body_line, path.name)
            check_body_links(log, page.body, page.body_line)

    def check_no_active_files(self) -> None:
        """Files that would run in a reader's browser if published as they are.

        MkDocs copies every other file of the content folder to the site
        unchanged; an .html or .js file there is code on our own domain.
        """
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and path.suffix.lower() in ACTIVE_SUFFIXES:
                self.log_for(path).add(
                    None,
                    f"内容目录里不能放网页或脚本文件（{path.suffix.lower()}）",
                    "它会原样发布并在读者的浏览器里运行；请删除，正文内容请写成 Markdown（.md）",
                )

    @staticmethod
    def is_record_file(relative: Path) -> bool:
        folder = relative.parts[0]
        return folder == "platforms" or (folder == "sessions" and relative.as_posix() != "sessions/index.md")
