"""The shape of the public site: which pages exist, at which paths, and what
each page's template is given. MkDocs-free, so another generator can reuse it.

Paths are site-relative without a leading slash ("sessions/2021/x/"), the form
MkDocs' ``url`` filter turns into a link relative to the current page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model.corpus import Corpus
from ..site.pages import SiteInfo, SitePage
from ..site.paths import feed_path, platform_list_path, platform_path
from .feedback_pages import feedback_pages
from .open_data import data_page
from .session_lists import archive_years, excerpt, session_list_pages, sessions_by_year
from ..model.history import SessionHistory
from ..records.entities import Department, Outcome, Platform, Session
from ..records.vocab import Level, Stage


@dataclass(frozen=True)
class YearCount:
    year: int
    count: int


# -- record pages (a Markdown file exists; we add context) -------------------


def session_context(corpus: Corpus, session: Session, history: SessionHistory | None = None) -> dict[str, Any]:
    return {
        "session": session,
        "breadcrumb": [*session.platform.ancestors, session.platform],
        "published": session.is_published(corpus.now),
        "history": history,  # None: not built from a git work tree
    }


def platform_context(corpus: Corpus, platform: Platform) -> dict[str, Any]:
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
        "feed": feed_path(platform_path(platform)),
    }


# -- generated pages --------------------------------------------------------


def archive_page(corpus: Corpus) -> SitePage:

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
    site = site or SiteInfo(url="http://localhost/", name="")
    return [archive_page(corpus), platforms_index_page(corpus), *feedback_pages(corpus, site),
            *session_list_pages(corpus), data_page(corpus, site)]
