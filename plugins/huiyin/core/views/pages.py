"""The shape of the public site: which pages exist, at which paths, and what
each page's template is given. MkDocs-free, so another generator can reuse it.

Paths are site-relative without a leading slash ("sessions/2021/x/"), the form
MkDocs' ``url`` filter turns into a link relative to the current page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..model.corpus import Corpus
from ..records.entities import Platform, Session
from ..records.vocab import Level, Stage
from ..site.pages import SiteInfo, SitePage, View
from ..site.paths import feed_path
from .feedback_pages import feedback_pages
from .open_data import data_page
from .session_lists import SessionExcerpt, archive_years, session_list_pages


@dataclass(frozen=True, kw_only=True)
class ArchiveView(View):
    """/sessions/: the plan, then each year's newest sessions."""

    template: ClassVar[str] = "huiyin/archive.html"
    feed: str | None = feed_path("")  # every session
    years: list[tuple[int, SessionExcerpt]]  # newest year first
    planned: list[Session]  # soonest first


@dataclass(frozen=True, kw_only=True)
class PlatformsIndexView(View):
    """/platforms/: the brand tree, by level, with each brand's count of held sessions."""

    template: ClassVar[str] = "huiyin/platforms.html"
    roots: list[Platform]
    session_counts: dict[str, int]  # platform slug → held sessions, sub-brands' included
    levels: list[Level]


def archive_page(corpus: Corpus) -> SitePage:
    return SitePage("sessions/index.md", "协商活动", ArchiveView(years=archive_years(corpus), planned=corpus.planned_sessions))


def platforms_index_page(corpus: Corpus) -> SitePage:
    counts = {
        slug: len([s for s in corpus.platform_sessions(p) if s.stage is Stage.HELD])
        for slug, p in corpus.platforms.items()
    }
    view = PlatformsIndexView(roots=corpus.root_platforms, session_counts=counts, levels=list(Level))
    return SitePage("platforms/index.md", "协商平台", view)


def generated_pages(corpus: Corpus, site: SiteInfo | None = None) -> list[SitePage]:
    """Every page the records generate, besides the records' own pages."""
    site = site or SiteInfo(url="http://localhost/", name="")
    return [archive_page(corpus), platforms_index_page(corpus), *feedback_pages(corpus, site),
            *session_list_pages(corpus), data_page(corpus, site)]
