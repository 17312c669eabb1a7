"""Session lists that stay small at provincial scale.

The archive (/sessions/) lists sessions by year and a brand page lists the
sessions of the brand and its sub-brands. At 20,000 sessions either would be
a 6 MB page, which no phone on a slow network opens. So an overview shows the
newest few of each list, and a longer list gets pages of its own:

    /sessions/<year>/                 a year's sessions      (page n: …/page/<n>/)
    /platforms/<slug>/sessions/       a brand's sessions     (page n: …/page/<n>/)

`page/<n>/` rather than `<n>/`: a session slug may be all digits, and
/sessions/<year>/<slug>/ is the session's own page.

Small sites look as before: a list no longer than SHOWN is shown whole and
gets no pages of its own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import ClassVar

from ..model.corpus import Corpus
from ..records.entities import Platform, Session
from ..records.vocab import Stage
from ..site.pager import Pager
from ..site.pages import SitePage, View
from ..site.paths import platform_list_path, platform_path, year_list_path

SHOWN = 100  # newest sessions per year on /sessions/, and on a brand page
PAGE_SIZE = 1000  # sessions per page of a full list: ≈ 330 KB of HTML


@dataclass(frozen=True)
class SessionExcerpt:
    """What an overview shows of a list: the newest few, and where the rest is."""

    sessions: list[Session]
    total: int
    path: str | None  # site path of the full list; None when all are shown

    @property
    def more(self) -> bool:
        return self.path is not None


@dataclass(frozen=True, kw_only=True)
class SessionListView(View):
    """One page of a full list: a year's sessions, or a brand's."""

    template: ClassVar[str] = "huiyin/session_list.html"
    sessions: list[Session]  # this page's slice
    total: int  # in the whole list
    pager: Pager
    up: tuple[str, str]  # (name, path) of the overview the list belongs to
    show_platform: bool  # brand names in the rows: a year, or a brand with sub-brands


def sessions_by_year(sessions: list[Session]) -> list[tuple[int, list[Session]]]:
    """Sessions grouped by year, newest year first, order within kept."""
    grouped: dict[int, list[Session]] = defaultdict(list)
    for session in sessions:
        grouped[session.date.year].append(session)
    return sorted(grouped.items(), reverse=True)


def excerpt(sessions: list[Session], full_list: str) -> SessionExcerpt:
    if len(sessions) <= SHOWN:
        return SessionExcerpt(sessions, len(sessions), None)
    return SessionExcerpt(sessions[:SHOWN], len(sessions), full_list)


def held_sessions(corpus: Corpus, platform: Platform) -> list[Session]:
    return [s for s in corpus.platform_sessions(platform) if s.stage is Stage.HELD]


def list_pages(sessions: list[Session], base: str, title: str, up: tuple[str, str], show_platform: bool) -> list[SitePage]:
    pages = []
    for pager in Pager.pages(len(sessions), PAGE_SIZE, base, scheme="page"):
        pages.append(SitePage(
            f"{pager.paths[pager.number - 1]}index.md",
            title if pager.number == 1 else f"{title}（第 {pager.number} 页）",
            SessionListView(sessions=sessions[pager.start - 1:pager.start - 1 + PAGE_SIZE], total=len(sessions),
                            pager=pager, up=up, show_platform=show_platform),
            in_nav=False,
        ))
    return pages


def session_list_pages(corpus: Corpus) -> list[SitePage]:
    """Full lists for every year and brand with more sessions than an overview shows."""
    pages: list[SitePage] = []
    for year, sessions in sessions_by_year(corpus.held_sessions):
        if len(sessions) > SHOWN:
            pages += list_pages(sessions, year_list_path(year), f"{year}年协商活动", ("协商活动", "sessions/"), True)
    for platform in corpus.platforms.values():
        sessions = held_sessions(corpus, platform)
        if len(sessions) > SHOWN:
            pages += list_pages(sessions, platform_list_path(platform), f"{platform.name} · 全部协商活动",
                                (platform.name, platform_path(platform)), bool(platform.children))
    return pages


def archive_years(corpus: Corpus) -> list[tuple[int, SessionExcerpt]]:
    """/sessions/: each year, newest year first, as much of it as the overview shows."""
    return [(year, excerpt(sessions, year_list_path(year))) for year, sessions in sessions_by_year(corpus.held_sessions)]
