"""A loaded corpus and the published view of it, indexed once.

Every page asks the corpus questions ("this platform's sessions, its
sub-brands' included", "this department's outcomes"); the answers are built
once here so that a build stays linear in the number of records.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from functools import cached_property

from ..base.clock import today
from ..base.workdays import default_calendar
from ..records.entities import Department, Outcome, Platform, Session
from ..records.vocab import Stage
from .figures import Figures, Tally, figures, tally


@dataclass
class Corpus:
    platforms: dict[str, Platform]
    departments: list[Department]
    sessions: list[Session]  # every session, drafts and embargoed ones included
    now: datetime
    # source path → a digest of the session's file and the registry it was read against (records/loader.py)
    file_digests: dict[str, str] | None = field(default=None, repr=False)
    _platform_sessions: dict[str, list[Session]] = field(default_factory=dict, repr=False)
    _tallies: dict[int, Tally] = field(default_factory=dict, repr=False)  # by id(outcome): Corpus.figures

    @property
    def today(self) -> date:
        return today(self.now)

    def restricted(self, keep: Callable[[Session], bool]) -> Corpus:
        """The same platforms and departments with only the sessions ``keep`` accepts.

        For partial previews (core/preview.py): every index below is built
        afresh over the smaller set, so lists, figures and feeds agree with it.
        """
        return Corpus(self.platforms, self.departments, [s for s in self.sessions if keep(s)], self.now,
                      self.file_digests)

    # -- what may be published -------------------------------------------

    @cached_property
    def published_sessions(self) -> list[Session]:
        """Published sessions, newest first (ties: by id, for stable output)."""
        found = [s for s in self.sessions if s.is_published(self.now)]
        return sorted(found, key=lambda s: (s.date, s.id), reverse=True)

    @cached_property
    def unpublished_sessions(self) -> list[Session]:
        return [s for s in self.sessions if not s.is_published(self.now)]

    @cached_property
    def held_sessions(self) -> list[Session]:
        return [s for s in self.published_sessions if s.stage is Stage.HELD]

    @cached_property
    def planned_sessions(self) -> list[Session]:
        """The consultation plan: upcoming sessions, soonest first."""
        planned = [s for s in self.published_sessions if s.stage is Stage.PLANNED]
        return sorted(planned, key=lambda s: (s.date, s.id))

    @cached_property
    def published_outcomes(self) -> list[Outcome]:
        return [o for s in self.published_sessions for o in s.outcomes]

    @cached_property
    def session_by_source(self) -> dict[str, Session]:
        return {s.source_path: s for s in self.sessions}

    @cached_property
    def platform_by_source(self) -> dict[str, Platform]:
        return {p.source_path: p for p in self.platforms.values()}

    # -- what changed between two builds (views/changes.py, open data) ---------

    @cached_property
    def session_digests(self) -> dict[str, str]:
        """A digest of each session's content and published state, by source path.

        Its own fields (outcomes, their updates, departments and deadlines
        included) and its brand by slug only: the brands' and departments'
        content is ``registry_digest``. Equal digests, under an equal registry
        and day, mean a session shows the same everywhere. ≈ 0.3 s at 2,000.

        A session is a pure function of its file and the registry (records/
        sessions.py), so where the loader hashed the files (with a parse
        cache: every build and serve) that digest stands for the content
        instead: the same promise for ≈ 5 ms.
        """
        own = tuple(f.name for f in fields(Session) if f.name != "platform")
        files = self.file_digests or {}

        def content(s: Session) -> str:
            known = files.get(s.source_path)
            if known is not None:
                return known
            return repr([(name, getattr(s, name)) for name in own]) + f"|{s.platform.slug}"

        return {s.source_path: _digest(f"{content(s)}|{s.is_published(self.now)}") for s in self.sessions}

    @cached_property
    def registry_digest(self) -> str:
        """A digest of every brand's and department's content."""
        platforms = sorted((p.slug, repr(p)) for p in self.platforms.values())
        return _digest(repr((platforms, [repr(d) for d in self.departments])))

    # -- platforms -------------------------------------------------------

    @cached_property
    def root_platforms(self) -> list[Platform]:
        return sorted((p for p in self.platforms.values() if p.parent is None), key=lambda p: p.slug)

    @cached_property
    def _direct_sessions(self) -> dict[str, list[Session]]:
        direct: dict[str, list[Session]] = defaultdict(list)
        for session in self.published_sessions:
            direct[session.platform.slug].append(session)
        return direct

    def platform_sessions(self, platform: Platform) -> list[Session]:
        """Published sessions of a brand and all its sub-brands, newest first."""
        if platform.slug not in self._platform_sessions:
            found = [s for p in platform.descendants_and_self() for s in self._direct_sessions.get(p.slug, [])]
            found.sort(key=lambda s: (s.date, s.id), reverse=True)
            self._platform_sessions[platform.slug] = found
        return self._platform_sessions[platform.slug]

    def platform_outcomes(self, platform: Platform) -> list[Outcome]:
        return [o for s in self.platform_sessions(platform) for o in s.outcomes]

    # -- departments -----------------------------------------------------

    @cached_property
    def department_outcomes(self) -> dict[str, list[Outcome]]:
        """Published outcomes per department slug; departments holding none are absent."""
        held: dict[str, list[Outcome]] = defaultdict(list)
        for outcome in self.published_outcomes:
            for department in outcome.departments:
                held[department.slug].append(outcome)
        return dict(held)

    @cached_property
    def active_departments(self) -> list[Department]:
        return [d for d in self.departments if d.slug in self.department_outcomes]

    # -- figures ---------------------------------------------------------

    def figures(self, outcomes: list[Outcome]) -> Figures:
        return figures(outcomes, self.today, self._tally)

    def _tally(self, outcome: Outcome) -> Tally:
        known = self._tallies.get(id(outcome))  # outcomes live as long as the corpus: ids are not reused
        if known is None:
            known = self._tallies[id(outcome)] = tally(outcome, self.today)
        return known

    @cached_property
    def estimated_years(self) -> list[int]:
        """Years whose holiday notice the calendar lacks and some published deadline depends on (预计)."""
        calendar = default_calendar()
        years: set[int] = set()
        for outcome in self.published_outcomes:
            if outcome.deadline is not None and outcome.deadline.estimated:
                first = outcome.updates[0].date.year
                years |= {y for y in range(first, outcome.deadline.day.year + 1) if not calendar.known(y)}
        return sorted(years)

    @cached_property
    def site_figures(self) -> Figures:
        return self.figures(self.published_outcomes)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
