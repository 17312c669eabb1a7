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

from dataclasses import dataclass

from .corpus import Corpus
from .feedback_pages import Pager, page_count
from .model import Platform, Session
from .site import SitePage, platform_path, sessions_by_year
from .vocab import Stage

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


def year_list_path(year: int) -> str:
    return f"sessions/{year}/"


def platform_list_path(platform: Platform) -> str:
    return f"{platform_path(platform)}sessions/"


def list_page_path(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


def excerpt(sessions: list[Session], full_list: str) -> SessionExcerpt:
    if len(sessions) <= SHOWN:
        return SessionExcerpt(sessions, len(sessions), None)
    return SessionExcerpt(sessions[:SHOWN], len(sessions), full_list)


def held_sessions(corpus: Corpus, platform: Platform) -> list[Session]:
    return [s for s in corpus.platform_sessions(platform) if s.stage is Stage.HELD]


def list_pages(sessions: list[Session], base: str, title: str, up: tuple[str, str], show_platform: bool) -> list[SitePage]:
    count = page_count(len(sessions), PAGE_SIZE)
    paths = tuple(list_page_path(base, number) for number in range(1, count + 1))
    pages = []
    for number, path in enumerate(paths, start=1):
        start = (number - 1) * PAGE_SIZE
        pages.append(SitePage(
            f"{path}index.md",
            title if number == 1 else f"{title}（第 {number} 页）",
            "huiyin/session_list.html",
            {"sessions": sessions[start:start + PAGE_SIZE], "total": len(sessions), "pager": Pager(number, paths, start + 1),
             "up": up, "show_platform": show_platform},
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
