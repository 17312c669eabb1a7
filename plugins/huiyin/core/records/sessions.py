"""One session file to a session and its problems: a pure function of the
registry, the file's place and its text.

``read_session`` touches no other file, so the build, the forked child that
reads half the files, and ``huiyin update``'s check of an edited record all
read a session the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import schema
from .entities import Department, Document, Media, Outcome, Participants, Platform, Session, Update
from .fields import SLUG, Fields, excerpt, join_hints, suggest
from .handling import check_update, deadlines, read_due_in, read_lead, read_supervision
from .links import check_body_links
from .privacy import check_personal_data
from .problems import ProblemLog
from .registry import Registry, page_meta
from .source import Mapping, RecordSource, Sequence
from .vocab import Level, MediaKind, Satisfaction, Stage, Status, TopicSource


@dataclass(frozen=True)
class SessionOrigin:
    """What the rules across files need of a session's front matter: where its keys are."""

    line: int
    key_lines: dict[str, int]
    pinned_id: bool  # the file sets `id` itself rather than taking the default

    @classmethod
    def of(cls, meta: Mapping) -> SessionOrigin:
        lines: dict[str, int] = {key: meta.key_lines[key] for key in ("id", "title", "number") if key in meta.key_lines}
        return cls(meta.line, lines, "id" in meta)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


@dataclass(frozen=True)
class SessionFile:
    """Where a session file is: its path relative to the content folder, and its year folder."""

    source_path: str  # sessions/<year>/<slug>.md
    year: int

    @property
    def slug(self) -> str:
        return self.source_path.rsplit("/", 1)[-1].removesuffix(".md")

    @property
    def name(self) -> str:
        return self.source_path.rsplit("/", 1)[-1]


def read_session(registry: Registry, where: SessionFile, record: RecordSource, log: ProblemLog) -> tuple[Session, SessionOrigin]:
    """The session a record describes; every problem goes to ``log``."""
    fields = Fields(record.meta, log, schema=schema.SESSION)
    fields.check_keys()
    held_on = fields.day("date")
    if held_on is not None and held_on.year != where.year:
        fields.problem("date", f"日期 {held_on} 与所在年份文件夹 {where.year} 不符", f"把文件移到 sessions/{held_on.year}/，或改正日期")
    session = Session(
        id=fields.text("id") or f"{where.year}/{where.slug}",
        slug=where.slug,
        year=where.year,
        source_path=where.source_path,
        title=fields.text("title") or "",
        platform=_platform(registry, fields) or Platform("?", "?", Level.CITY, "", ""),
        date=held_on or date(where.year, 1, 1),
        stage=fields.vocabulary("stage", Stage) or Stage.HELD,
        number=fields.integer("number", minimum=1),
        location=fields.text("location"),
        topic_source=fields.vocabulary("topic_source", TopicSource),
        tags=fields.text_list("tags"),
        participants=_participants(registry, fields),
        public_input=fields.integer("public_input", minimum=0),
        media=_media(fields),
        draft=fields.boolean("draft"),
        publish_date=fields.moment("publish_date"),
        body=record.body,
        page_meta=page_meta(record.meta),
    )
    session.outcomes = _outcomes(registry, fields, session)
    # Embargoed sessions too: they go out on their own, with no one watching the build.
    if not session.draft:
        check_personal_data(log, record.meta, record.body, record.body_line, where.name)
    check_body_links(log, record.body, record.body_line)
    return session, SessionOrigin.of(fields.mapping)


def _platform(registry: Registry, fields: Fields) -> Platform | None:
    slug = fields.text("platform")
    if slug is None:
        return None
    platform = registry.platforms.get(slug)
    if platform is None:
        by_name = [p.slug for p in registry.platforms.values() if p.name == slug]
        hint = f"「{excerpt(slug)}」是平台名称，这里应写它的 slug：{by_name[0]}" if by_name else suggest(slug, sorted(registry.platforms))
        fields.problem("platform", f"未知的平台「{excerpt(slug)}」", join_hints(hint, "写 platforms/ 下平台文件名（不含 .md）"))
    return platform


def resolve_departments(registry: Registry, fields: Fields, key: str, required: bool) -> tuple[Department, ...]:
    written = fields.text_list(key)
    if required and not written:
        fields.log.add(fields.mapping.line, f"缺少必填字段「{fields.name(key)}」", "写明承办单位，如 departments: [市住建局]")
    resolved: list[Department] = []
    for name in written:
        department = registry.directory.resolve(name)
        if department is None:
            fields.problem(
                key,
                f"未知的承办单位「{excerpt(name)}」",
                join_hints(suggest(name, registry.directory.names()), "请使用 departments.yml 中的名称或别名，或先在其中登记该单位"),
            )
        elif department not in resolved:
            resolved.append(department)
    return tuple(resolved)


def _participants(registry: Registry, fields: Fields) -> Participants:
    nested = fields.nested("participants")
    if nested is None:
        return Participants()
    nested.check_keys()
    return Participants(
        members=nested.integer("members", minimum=0),
        experts=nested.integer("experts", minimum=0),
        public=nested.integer("public", minimum=0),
        officials=resolve_departments(registry, nested, "officials", required=False),
    )


def _media(fields: Fields) -> tuple[Media, ...]:
    found: list[Media] = []
    for item in fields.records("media"):
        title = item.text("title")
        url = item.url("url")
        if title is not None:
            found.append(Media(title, url, item.text("outlet") or "", item.vocabulary("kind", MediaKind)))
    return tuple(found)


def _outcomes(registry: Registry, fields: Fields, session: Session) -> tuple[Outcome, ...]:
    found: list[Outcome] = []
    seen: set[str] = set()
    for item in fields.records("outcomes"):
        outcome_id = _outcome_id(item, seen)
        text = item.text("text")
        outcome = _outcome(registry, item, session, outcome_id, text)
        if outcome is not None:
            seen.add(outcome.id)
            found.append(outcome)
    return tuple(found)


def _outcome(registry: Registry, item: Fields, session: Session, outcome_id: str | None, text: str | None) -> Outcome | None:
    """An outcome and its handling (lead, deadline, supervision, updates); None if any part is unusable.

    Every field is read either way, so that one run reports all of its problems.
    """
    departments = resolve_departments(registry, item, "departments", required=True)
    due = item.day("due")
    due_in = read_due_in(item)
    lead = read_lead(item, departments, registry.directory.resolve, registry.directory.names)
    supervision = read_supervision(item)
    updates, update_items = _updates(item)
    if outcome_id is None or text is None or not updates:
        return None
    period = None if due is not None else due_in or session.platform.answer_period()
    original, effective = deadlines(registry.calendar, due, period, updates, update_items)
    return Outcome(outcome_id, text, departments, updates, due, session, lead=lead, due_in=due_in,
                   supervision=supervision, original_deadline=original, deadline=effective)


def _outcome_id(item: Fields, seen: set[str]) -> str | None:
    outcome_id = item.text("id")
    if outcome_id is not None and not SLUG.match(outcome_id):
        item.problem("id", f"建议 id「{excerpt(outcome_id)}」不合规", "只用小写英文字母、数字和连字符，如 parking-sharing")
        return None
    if outcome_id is not None and outcome_id in seen:
        item.problem("id", f"建议 id「{excerpt(outcome_id)}」在本次活动中重复", "同一活动内每条建议的 id 必须不同")
        return None
    return outcome_id


def _updates(fields: Fields) -> tuple[tuple[Update, ...], list[Fields]]:
    """The updates, oldest first, with the mapping each was read from (for the lines of later rules)."""
    items = fields.records("updates")
    raw = fields.mapping.get("updates")
    if isinstance(raw, Sequence) and not raw:
        fields.problem("updates", f"「{fields.name('updates')}」至少要有一条", "第一条通常是 status: submitted（已交办）")
    found: list[Update] = []
    kept: list[Fields] = []
    broken = False
    for item in items:
        update = _update(item, found[-1] if found else None, len(found) + 1)
        if update is None:
            broken = True
            continue
        found.append(update)
        kept.append(item)
    return ((), []) if broken else (tuple(found), kept)


def _update(item: Fields, previous: Update | None, position: int) -> Update | None:
    when = item.day("date")
    status = item.vocabulary("status", Status)
    note = item.text("note") or ""
    if status is Status.DECLINED and not note:
        item.log.add(item.mapping.line, "状态为未采纳（declined）时必须写明原因", "在这一条加 note: 说明未采纳的理由")
    documents = _documents(item)
    satisfaction = item.vocabulary("satisfaction", Satisfaction)
    extend_to = item.day("extend_to")
    check_update(item, previous, status, note, satisfaction)
    if when is None or status is None:
        return None
    if previous is not None and when < previous.date:
        item.problem("date", f"办理进展日期倒退：{when} 早于上一条的 {previous.date}", "进展按时间先后排列，最早的在前")
    return Update(position, when, status, note, documents, extend_to, satisfaction)


def _documents(fields: Fields) -> tuple[Document, ...]:
    found: list[Document] = []
    for item in fields.records("documents"):
        title = item.text("title")
        url = item.url("url")
        if title is not None:
            found.append(Document(title, url))
    return tuple(found)
