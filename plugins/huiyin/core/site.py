"""The shape of the public site: which pages exist, at which paths, and what
each page's template is given. MkDocs-free, so another generator can reuse it.

Paths are site-relative without a leading slash ("sessions/2021/x/"), the form
MkDocs' ``url`` filter turns into a link relative to the current page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .corpus import Corpus
from .history import SessionHistory
from .model import Department, Outcome, Platform, Session
from .vocab import Level, Stage


def platform_path(platform: Platform) -> str:
    return f"platforms/{platform.slug}/"


def department_path(department: Department) -> str:
    return f"feedback/departments/{department.slug}/"


def outcome_path(outcome: Outcome) -> str:
    assert outcome.session is not None
    return f"{outcome.session.url_path}#{outcome.id}"


@dataclass(frozen=True)
class SiteInfo:
    """What outputs need to know about the site itself (from mkdocs.yml)."""

    url: str  # absolute, ends with "/"
    name: str
    description: str = ""
    data_license: str = ""
    feed_length: int = 50
    feedback_page_size: int = 200  # rows per page of the feedback list

    def absolute(self, path: str) -> str:
        return self.url + path.lstrip("/")


@dataclass
class SitePage:
    """A page the site generates from records (no Markdown file of its own)."""

    src_uri: str  # where MkDocs pretends its source is, e.g. "sessions/index.md"
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    feed: str | None = None  # site path of the page's RSS feed, for autodiscovery
    in_nav: bool = True  # False: built and linked from other pages, but kept out of the global navigation


@dataclass(frozen=True)
class YearCount:
    year: int
    count: int


def sessions_by_year(sessions: list[Session]) -> list[tuple[int, list[Session]]]:
    """Sessions grouped by year, newest year first, order within kept."""
    grouped: dict[int, list[Session]] = defaultdict(list)
    for session in sessions:
        grouped[session.date.year].append(session)
    return sorted(grouped.items(), reverse=True)


# -- record pages (a Markdown file exists; we add context) -------------------


def session_context(corpus: Corpus, session: Session, history: SessionHistory | None = None) -> dict[str, Any]:
    return {
        "session": session,
        "breadcrumb": [*session.platform.ancestors, session.platform],
        "published": session.is_published(corpus.now),
        "history": history,  # None: not built from a git work tree
    }


def platform_context(corpus: Corpus, platform: Platform) -> dict[str, Any]:
    from .session_lists import excerpt, platform_list_path  # long lists get pages of their own

    sessions = corpus.platform_sessions(platform)
    held = [s for s in sessions if s.stage is Stage.HELD]
    shown = excerpt(held, platform_list_path(platform))
    this_year = corpus.today.year
    return {
        "platform": platform,
        "breadcrumb": platform.ancestors,
        "sessions": shown.sessions,  # the newest; all of them when there are few
        "sessions_excerpt": shown,
        "planned": sorted((s for s in sessions if s.stage is Stage.PLANNED), key=lambda s: s.date),
        "figures": corpus.figures(corpus.platform_outcomes(platform)),
        "per_year": [YearCount(year, len(group)) for year, group in sessions_by_year(held)],
        "this_year": this_year,
        "held_this_year_own": sum(1 for s in held if s.date.year == this_year and s.platform is platform),
        "held_this_year_all": sum(1 for s in held if s.date.year == this_year),
        "feed": f"{platform_path(platform)}feed.xml",
    }


# -- generated pages --------------------------------------------------------


def archive_page(corpus: Corpus) -> SitePage:
    from .session_lists import archive_years  # a long year gets pages of its own

    return SitePage(
        "sessions/index.md",
        "协商活动",
        "huiyin/archive.html",
        {"years": archive_years(corpus), "planned": corpus.planned_sessions},
        feed="feed.xml",
    )


def platforms_index_page(corpus: Corpus) -> SitePage:
    counts = {
        slug: len([s for s in corpus.platform_sessions(p) if s.stage is Stage.HELD])
        for slug, p in corpus.platforms.items()
    }
    return SitePage(
        "platforms/index.md",
        "协商平台",
        "huiyin/platforms.html",
        {"roots": corpus.root_platforms, "session_counts": counts, "levels": list(Level)},
    )


def generated_pages(corpus: Corpus, site: SiteInfo | None = None) -> list[SitePage]:
    """Every page the records generate, besides the records' own pages."""
    from .feedback_pages import feedback_pages  # the results list is its own module
    from .session_lists import session_list_pages

    return [archive_page(corpus), platforms_index_page(corpus), *feedback_pages(corpus, site),
            *session_list_pages(corpus)]
