"""The records of the content model as plain Python objects.

Nothing here knows about files, YAML or MkDocs: these are the facts that pages,
feeds and open data are made from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .vocab import ADOPTED_STATUSES, CONCLUDED_STATUSES, Level, MediaKind, Stage, Status, TopicSource


@dataclass(eq=False)
class Department:
    slug: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(eq=False)
class Platform:
    slug: str
    name: str
    level: Level
    region: str
    source_path: str  # relative to the content folder, e.g. platforms/x.md
    parent_slug: str | None = None
    organizers: tuple[str, ...] = ()
    launched: str | None = None  # YYYY-MM or YYYY-MM-DD, as written
    annual_target: int | None = None
    venue: str | None = None
    hours: str | None = None
    contact: str | None = None
    logo: str | None = None
    body: str = ""
    # Front-matter keys the site generator reads itself (template, hide,
    # description…), passed through untouched.
    page_meta: dict[str, Any] = field(default_factory=dict)
    parent: Platform | None = field(default=None, repr=False)
    children: list[Platform] = field(default_factory=list, repr=False)

    @property
    def ancestors(self) -> list[Platform]:
        """Parent brands, outermost first (province, then city…)."""
        chain: list[Platform] = []
        node = self.parent
        while node is not None and node not in chain:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def descendants_and_self(self) -> list[Platform]:
        found: list[Platform] = []
        stack = [self]
        while stack:
            node = stack.pop()
            if node in found:
                continue
            found.append(node)
            stack.extend(reversed(node.children))
        return found


@dataclass(frozen=True)
class Document:
    title: str
    url: str | None = None


@dataclass(frozen=True)
class Update:
    position: int  # 1-based place in the outcome's history; part of feed GUIDs
    date: date
    status: Status
    note: str = ""
    documents: tuple[Document, ...] = ()


@dataclass(eq=False)
class Outcome:
    id: str
    text: str
    departments: tuple[Department, ...]
    updates: tuple[Update, ...]
    due: date | None = None
    session: Session | None = field(default=None, repr=False)

    @property
    def global_id(self) -> str:
        assert self.session is not None
        return f"{self.session.id}#{self.id}"

    @property
    def status(self) -> Status:
        return self.updates[-1].status

    @property
    def last_update(self) -> Update:
        return self.updates[-1]

    @property
    def claimed(self) -> bool:
        return self.status is not Status.SUBMITTED

    @property
    def concluded(self) -> bool:
        return self.status in CONCLUDED_STATUSES

    @property
    def adopted(self) -> bool:
        return self.status in ADOPTED_STATUSES

    @property
    def answered(self) -> bool:
        return any(update.note.strip() for update in self.updates)

    def overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today and not self.concluded

    @property
    def first_answer(self) -> Update | None:
        return next((u for u in self.updates if u.note.strip()), None)

    @property
    def conclusion(self) -> Update | None:
        """The update from which the outcome has stood concluded, if it is now."""
        if not self.concluded:
            return None
        start = len(self.updates) - 1
        while start > 0 and self.updates[start - 1].status in CONCLUDED_STATUSES:
            start -= 1
        return self.updates[start]


@dataclass(frozen=True)
class Media:
    title: str
    url: str | None
    outlet: str
    kind: MediaKind | None


@dataclass(frozen=True)
class Participants:
    members: int | None = None
    experts: int | None = None
    public: int | None = None
    officials: tuple[Department, ...] = ()

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.members, self.experts, self.public)) or bool(self.officials)


@dataclass(eq=False)
class Session:
    id: str
    slug: str
    year: int
    source_path: str  # relative to the content folder: sessions/<year>/<slug>.md
    title: str
    platform: Platform
    date: date
    stage: Stage = Stage.HELD
    number: int | None = None
    location: str | None = None
    topic_source: TopicSource | None = None
    tags: tuple[str, ...] = ()
    participants: Participants = field(default_factory=Participants)
    public_input: int | None = None
    media: tuple[Media, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    draft: bool = False
    publish_date: datetime | None = None
    body: str = ""
    # Front-matter keys the site generator reads itself (template, hide,
    # description…), passed through untouched.
    page_meta: dict[str, Any] = field(default_factory=dict)

    def is_published(self, now: datetime) -> bool:
        if self.draft:
            return False
        return self.publish_date is None or self.publish_date <= now
