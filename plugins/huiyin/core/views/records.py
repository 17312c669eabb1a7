"""The pages of records: a session's page and a brand's page.

A record has a Markdown file of its own; MkDocs renders its body, and these
say what else its page shows (``SessionView``, ``PlatformView``) and which
front matter the page carries (``page_meta``): the template, the title and
tags from the record, and the theme keys staff set in the record's front matter.

Both pages print (assets/huiyin-print.css): a session as its 公示, a brand as
the notice of its venue. Each carries its own address and the QR code of it
(``PrintCode``; the SVG is made beside the page by outputs/qr.py), and a brand
page the list of this year's sessions held or planned by the brand itself,
which only the printed notice shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..model.corpus import Corpus
from ..model.figures import Figures
from ..model.history import SessionHistory
from ..records.entities import Platform, Session
from ..records.vocab import Stage
from ..site.pages import SiteInfo, View
from ..site.paths import feed_path, platform_list_path, platform_path, qr_path, session_path
from .session_lists import SessionExcerpt, excerpt, sessions_by_year


@dataclass(frozen=True)
class YearCount:
    year: int
    count: int


# A printed notice is one or two A4 pages: past this many sessions of one year
# it says how many more there are and where to see them (the QR code).
NOTICE_SESSIONS = 30


@dataclass(frozen=True)
class PrintCode:
    """A printable page's absolute address and the QR code of it."""

    address: str  # site_url + the page's path: what the code holds and the print shows under it
    image: str  # site path of the code's SVG, beside the page (outputs/qr.py writes it)


def print_code(site: SiteInfo, page_path: str) -> PrintCode:
    return PrintCode(address=site.absolute(page_path), image=qr_path(page_path))


@dataclass(frozen=True, kw_only=True)
class SessionView(View):
    """A session: its record, where its brand stands, and its revisions."""

    template: ClassVar[str] = "huiyin/session.html"
    session: Session
    breadcrumb: list[Platform]  # the brand's parents, then the brand
    published: bool  # False: a draft or embargoed session shown under `mkdocs serve`
    history: SessionHistory | None  # None: not built from a git work tree
    code: PrintCode | None  # None for a draft: no QR code is made for what is not published


@dataclass(frozen=True, kw_only=True)
class PlatformView(View):
    """A brand: its sessions (sub-brands' included), its plan and its figures."""

    template: ClassVar[str] = "huiyin/platform.html"
    platform: Platform
    breadcrumb: list[Platform]
    sessions: list[Session]  # the newest held; all of them when there are few
    sessions_excerpt: SessionExcerpt
    planned: list[Session]  # soonest first
    figures: Figures
    per_year: list[YearCount]
    this_year: int
    held_this_year_own: int  # by the brand itself, against its annual target
    held_this_year_all: int  # sub-brands' included
    code: PrintCode
    notice: list[Session]  # this year's sessions of the brand itself, held and planned, by date (the printed notice)
    notice_more: int  # this year's sessions beyond NOTICE_SESSIONS, left off the notice


def session_view(corpus: Corpus, site: SiteInfo, session: Session, history: SessionHistory | None = None) -> SessionView:
    published = session.is_published(corpus.now)
    return SessionView(
        session=session,
        breadcrumb=[*session.platform.ancestors, session.platform],
        published=published,
        history=history,
        code=print_code(site, session_path(session)) if published else None,
    )


def platform_view(corpus: Corpus, site: SiteInfo, platform: Platform) -> PlatformView:
    sessions = corpus.platform_sessions(platform)
    held = [s for s in sessions if s.stage is Stage.HELD]
    shown = excerpt(held, platform_list_path(platform))
    this_year = corpus.today.year
    notice = sorted((s for s in sessions if s.platform is platform and s.date.year == this_year), key=lambda s: (s.date, s.id))
    return PlatformView(
        platform=platform,
        breadcrumb=platform.ancestors,
        sessions=shown.sessions,
        sessions_excerpt=shown,
        planned=sorted((s for s in sessions if s.stage is Stage.PLANNED), key=lambda s: s.date),
        figures=corpus.figures(corpus.platform_outcomes(platform)),
        per_year=[YearCount(year, len(group)) for year, group in sessions_by_year(held)],
        this_year=this_year,
        held_this_year_own=sum(1 for s in held if s.date.year == this_year and s.platform is platform),
        held_this_year_all=sum(1 for s in held if s.date.year == this_year),
        feed=feed_path(platform_path(platform)),
        code=print_code(site, platform_path(platform)),
        notice=notice[:NOTICE_SESSIONS],
        notice_more=max(0, len(notice) - NOTICE_SESSIONS),
    )


def page_meta(record: Session | Platform) -> dict[str, Any]:
    """The front matter of a record's page: its template, title and tags, and the theme keys staff set.

    A session's title and tags are the record's own; a brand's page_meta may
    retitle its page (as before: the record's keys come last there).
    """
    if isinstance(record, Session):
        return {"template": SessionView.template, **record.page_meta, "title": record.title, "tags": list(record.tags)}
    return {"template": PlatformView.template, "title": record.name, **record.page_meta}
