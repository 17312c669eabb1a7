"""What a page says about itself when it is shared or crawled.

A link pasted into WeChat, or found by a search engine, shows the page's
description, title and image. Each kind of page says something of its own
(a session: its platform, date and first outcomes; a brand: its region and
figures; a department: its figures); staff-written Markdown pages keep the
site's description unless their front matter sets one, and so may records.

``Sharing`` is what the templates print: the page's address and image as
absolute URLs (Open Graph asks for them), its og:type, its description (plain
text, at most DESCRIPTION_LIMIT characters; the template escapes it) and, for
sessions and brands, schema.org data (JSON-LD) as a plain dict that the
template writes with Jinja's ``tojson``.

Everything here is a few string operations per page (≈ 10 µs): it runs on the
main core for each of the 20,000 pages of a provincial site. The share images
themselves are drawn elsewhere (share_image.py says how they are named).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Literal

from ..base.clock import zh_date
from ..model.corpus import Corpus
from ..model.figures import Figures, format_rate
from ..records.entities import Platform, Session
from ..records.vocab import Stage
from ..site.pages import SiteInfo, View
from ..site.paths import platform_path
from .feedback_pages import DepartmentsView, DepartmentView, FeedbackListView, FeedbackOverview
from .open_data import DataPageView
from .pages import ArchiveView, PlatformsIndexView
from .records import PlatformView, SessionView
from .session_lists import SessionListView
from .share_image import SIZE, ShareImage, describe_counts, share_image, site_mark, status_counts

DESCRIPTION_LIMIT = 120  # characters: what WeChat and search results show of a description, about two lines
FIRST_OUTCOMES = 3  # a session's description names at most this many outcomes, then the limit cuts
SCHEMA = "https://schema.org"
# schema.org has no "held" or "completed" status: eventStatus tells whether an event goes ahead as
# announced (EventScheduled) or was cancelled, postponed, rescheduled or moved online; that it is over
# is read from startDate. Our sessions are announced (筹备中) or held (已召开), never cancelled, so both
# are EventScheduled.
EVENT_STATUS = f"{SCHEMA}/EventScheduled"
OFFLINE = f"{SCHEMA}/OfflineEventAttendanceMode"  # 协商 is held in a room: members, officials and residents face to face


@dataclass(frozen=True)
class Sharing:
    """A page's Open Graph and schema.org facts, every URL absolute."""

    url: str
    kind: Literal["article", "website"]  # og:type: a session is an article, every other page a website
    image: str
    image_alt: str
    description: str | None  # None: the page's own front matter, or the site's description
    linked_data: dict[str, Any] | None = None
    image_size: int = SIZE


def clip(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """One line of at most ``limit`` characters, cut with … where it is longer."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def own_description(meta: dict[str, Any]) -> str | None:
    """A description staff wrote in a record's front matter (it wins over ours)."""
    value = meta.get("description")
    return clip(value) if isinstance(value, str) and value.strip() else None


# -- what each kind of page says ------------------------------------------------


def session_description(session: Session) -> str:
    platform = session.platform.name + (f"第{session.number}期" if session.number else "")
    if session.stage is Stage.PLANNED:
        return clip(f"{platform}协商活动，定于{zh_date(session.date)}召开（筹备中）。")
    text = f"{platform}协商活动，{zh_date(session.date)}召开。"
    if session.outcomes:
        first = "；".join(f"{o.text}（{o.status.label}）" for o in session.outcomes[:FIRST_OUTCOMES])
        text += f"形成问题及建议{len(session.outcomes)}条：{first}"
    return clip(text)


def figures_text(figures: Figures) -> str:
    if not figures.total:
        return "尚无问题及建议。"
    return (f"问题及建议{figures.total}条，认领率{format_rate(figures.claim_rate)}，"
            f"办结率{format_rate(figures.conclusion_rate)}，逾期未办结{figures.overdue}条。")


def platform_description(view: PlatformView) -> str:
    platform = view.platform
    parent = f"，属{platform.parent.name}" if platform.parent is not None else ""
    held = view.sessions_excerpt.total
    return clip(f"{platform.region}{platform.level.label}协商平台{parent}。已召开协商活动{held}期，{figures_text(view.figures)}")


def department_description(view: DepartmentView) -> str:
    return clip(f"{view.department.name}承办的{figures_text(view.figures)}")


def feedback_list_description(view: FeedbackListView) -> str:
    page = f"（第{view.pager.number}页）" if view.pager.number > 1 else ""
    return clip(f"结果反馈清单 · {view.listing.name}{page}：{view.listing.count}条问题及建议的认领、办理与答复情况。")


def _described(describer: Callable[[Any], str]) -> Callable[[Any, str], str]:
    return lambda view, title: describer(view)


DESCRIBERS: dict[type[View], Callable[[Any, str], str]] = {
    PlatformView: _described(platform_description),
    DepartmentView: _described(department_description),
    FeedbackListView: _described(feedback_list_description),
    FeedbackOverview: lambda v, title: clip(f"结果反馈清单：每条问题及建议由谁办理、办到哪一步、答复了什么。{figures_text(v.figures)}"),
    DepartmentsView: lambda v, title: clip(f"{len(v.by_overdue)}个承办单位按逾期未办结条数、办结率和按期办结率排名。"),
    ArchiveView: lambda v, title: clip(f"全部已召开的协商活动{sum(e.total for _, e in v.years)}期，按年份排列；筹备中{len(v.planned)}期。"),
    PlatformsIndexView: lambda v, title: clip(f"全部{len(v.session_counts)}个协商平台，按省、市、县、乡镇街道、社区村层级排列，"
                                              "附各平台已召开的协商活动次数。"),
    SessionListView: lambda v, title: clip(f"{title}：共{v.total}期协商活动，最新的在前。"),  # the title holds the page number
    DataPageView: lambda v, title: clip("开放数据：全部已公开的协商活动、问题及建议和办理进展，JSON 与 CSV 文件，"
                                        "附字段说明、许可和数据包描述，可直接下载。"),
}


def describe(view: View, title: str) -> str | None:
    """The page's own description, or None where the page keeps the site's (Markdown pages, the home page).

    By the view's exact type: FeedbackOverview is a FeedbackListView that says more.
    """
    describer = DESCRIBERS.get(type(view))
    return describer(view, title) if describer is not None else None


# -- schema.org -------------------------------------------------------------------


def organization_ref(platform: Platform, site: SiteInfo) -> dict[str, Any]:
    url = site.absolute(platform_path(platform))
    return {"@type": "GovernmentOrganization", "@id": f"{url}#organization", "name": platform.name, "url": url}


def event_data(session: Session, sharing: Sharing, site: SiteInfo) -> dict[str, Any]:
    """A session as a schema.org Event."""
    platform = session.platform
    place = session.location or platform.venue or platform.region
    return {
        "@context": SCHEMA,
        "@type": "Event",
        "name": session.title,
        "startDate": session.date.isoformat(),
        "eventStatus": EVENT_STATUS,
        "eventAttendanceMode": OFFLINE,
        "location": {"@type": "Place", "name": place, "address": platform.region},
        "organizer": organization_ref(platform, site),
        "url": sharing.url,
        "image": sharing.image,
        "description": sharing.description,
        **({"keywords": "，".join(session.tags)} if session.tags else {}),
    }


def organization_data(platform: Platform, sharing: Sharing, site: SiteInfo) -> dict[str, Any]:
    """A brand as a schema.org GovernmentOrganization: the platform a CPPCC committee runs."""
    data: dict[str, Any] = {
        "@context": SCHEMA,
        **organization_ref(platform, site),
        "description": sharing.description,
        "image": sharing.image,
        "areaServed": platform.region,
    }
    if platform.parent is not None:
        data["parentOrganization"] = organization_ref(platform.parent, site)
    if platform.venue:
        data["location"] = {"@type": "Place", "name": platform.venue, "address": platform.region}
    if platform.launched:
        data["foundingDate"] = platform.launched
    return data


# -- every page -------------------------------------------------------------------


class PageSharing:
    """Sharing for every page of one build: pages without outcomes of their own show the site's mark."""

    def __init__(self, corpus: Corpus, site: SiteInfo):
        self.site = site
        self.default_image = site_mark()  # home, lists, Markdown pages: the site's mark, the same every build
        self.default_alt = f"{site.name}标志"

    def page(self, view: View | None, *, url: str, title: str) -> Sharing:
        """What the page at site path ``url``, titled ``title``, says when shared."""
        if isinstance(view, SessionView):
            return self.session(view, url)
        if isinstance(view, PlatformView):
            return self.platform(view, url)
        description = describe(view, title) if view is not None else None
        return self.sharing("website", url, self.default_image, self.default_alt, description)

    def sharing(self, kind: Literal["article", "website"], url: str, image: ShareImage, alt: str,
                description: str | None) -> Sharing:
        absolute = self.site.absolute
        return Sharing(absolute(url), kind, absolute(image.path), alt, description)

    def session(self, view: SessionView, url: str) -> Sharing:
        session = view.session
        description = own_description(session.page_meta) or session_description(session)
        if not view.published:  # a draft shown under `mkdocs serve`: its picture is never drawn
            image, alt = self.default_image, self.default_alt
        else:
            counts = status_counts([o.status for o in session.outcomes])
            image, alt = share_image(counts), describe_counts(counts)
        sharing = self.sharing("article", url, image, alt, description)
        return _with_data(sharing, event_data(session, sharing, self.site))

    def platform(self, view: PlatformView, url: str) -> Sharing:
        counts = view.figures.by_status
        description = own_description(view.platform.page_meta) or platform_description(view)
        sharing = self.sharing("website", url, share_image(counts), describe_counts(counts), description)
        return _with_data(sharing, organization_data(view.platform, sharing, self.site))


def _with_data(sharing: Sharing, data: dict[str, Any]) -> Sharing:
    return replace(sharing, linked_data=data)


def share_images(corpus: Corpus) -> list[ShareImage]:
    """Every distinct picture the pages of a build name (published sessions, brands, the site's), in a stable order.

    The same functions as the pages use, so a page never names a file that is not drawn.
    """
    found = [site_mark()]
    found += [share_image(status_counts([o.status for o in s.outcomes])) for s in corpus.published_sessions]
    found += [share_image(status_counts([o.status for o in corpus.platform_outcomes(p)])) for p in corpus.platforms.values()]
    return list(dict.fromkeys(found))
