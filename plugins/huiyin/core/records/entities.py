"""The records of the content model as plain Python objects.

Nothing here knows about files, YAML or MkDocs: these are the facts that pages,
feeds and open data are made from.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from ..base.workdays import Deadline
from .periods import Period
from .vocab import (
    ADOPTED_STATUSES,
    CONCLUDED_STATUSES,
    SATISFIED_VERDICTS,
    Level,
    MediaKind,
    Satisfaction,
    Stage,
    Status,
    SupervisionKind,
    TopicSource,
)


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
    answer_within: Period | None = None  # 答复期限 of its sessions' outcomes, and its sub-brands'
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

    def answer_period(self) -> Period | None:
        """The nearest ``answer_within`` up the tree, this brand's own first."""
        for platform in (self, *reversed(self.ancestors)):
            if platform.answer_within is not None:
                return platform.answer_within
        return None

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
    # 延期: the deadline moves to this day (note gives the reason). _dt: inside the class, `date` is the field above.
    extend_to: _dt.date | None = None
    satisfaction: Satisfaction | None = None  # 回访 verdict


@dataclass(frozen=True)
class Supervision:
    """督办: who presses the outcome on, and since when."""

    kind: SupervisionKind
    by: str | None = None
    since: date | None = None


class Role(Enum):
    """A department's part in an outcome; it follows from ``lead``, staff never write it."""

    LEAD = "主办"
    ASSIST = "协办"
    JOINT = "承办"  # several departments and no lead: all handle it equally

    @property
    def label(self) -> str:
        return self.value


@dataclass(eq=False)
class Outcome:
    id: str
    text: str
    departments: tuple[Department, ...]
    updates: tuple[Update, ...]
    due: date | None = None  # as written; the deadline that counts is ``deadline``
    session: Session | None = field(default=None, repr=False)
    lead: Department | None = None  # 主办 as written; see ``role``
    due_in: Period | None = None
    supervision: Supervision | None = None
    # Worked out when the record is read (records/handling.py): from due,
    # due_in or the platform's answer_within, and then after every extension.
    original_deadline: Deadline | None = None
    deadline: Deadline | None = None

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
        return self.deadline is not None and self.deadline.day < today and not self.concluded

    # -- handling (督办) ----------------------------------------------------

    @property
    def extended(self) -> bool:
        return any(u.extend_to is not None for u in self.updates)

    @property
    def reopened(self) -> bool:
        """重新办理: some update moved the status back from concluded to open."""
        return any(a.status in CONCLUDED_STATUSES and b.status not in CONCLUDED_STATUSES
                   for a, b in zip(self.updates, self.updates[1:]))

    @property
    def satisfaction(self) -> Satisfaction | None:
        """The latest follow-up verdict."""
        return next((u.satisfaction for u in reversed(self.updates) if u.satisfaction is not None), None)

    @property
    def satisfied(self) -> bool:
        return self.satisfaction in SATISFIED_VERDICTS

    def on_time(self, today: date) -> bool | None:
        """按期办结; None while it cannot be told (no deadline, or open and not yet due)."""
        if self.deadline is None:
            return None
        conclusion = self.conclusion
        if conclusion is not None:
            return conclusion.date <= self.deadline.day
        return False if self.deadline.day < today else None

    @property
    def lead_department(self) -> Department | None:
        """主办: the one written as lead, or the only department there is."""
        if self.lead is not None:
            return self.lead
        return self.departments[0] if len(self.departments) == 1 else None

    def role(self, department: Department) -> Role:
        lead = self.lead_department
        if lead is None:
            return Role.JOINT
        return Role.LEAD if department is lead else Role.ASSIST

    @property
    def assisting(self) -> tuple[Department, ...]:
        """协办: the departments beside a lead."""
        lead = self.lead_department
        return tuple(d for d in self.departments if lead is not None and d is not lead)

    @property
    def first_answer(self) -> Update | None:
        return next((u for u in self.updates if u.note.strip()), None)

    @property
    def last_answer(self) -> Update | None:
        """The newest update that says something (a note): what a printed 公示 shows beside the status."""
        return next((u for u in reversed(self.updates) if u.note.strip()), None)

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
