"""Every path of the public site, in one place (the contract's *Published outputs*).

Paths are site-relative without a leading slash ("sessions/2021/x/"), the form
MkDocs' ``url`` filter turns into a link relative to the current page; the
absolute form is ``SiteInfo.absolute(path)``.
"""

from __future__ import annotations

from ..records.entities import Department, Outcome, Platform, Session


def session_path(session: Session) -> str:
    return f"sessions/{session.year}/{session.slug}/"


def platform_path(platform: Platform) -> str:
    return f"platforms/{platform.slug}/"


def department_path(department: Department) -> str:
    return f"feedback/departments/{department.slug}/"


def outcome_path(outcome: Outcome) -> str:
    assert outcome.session is not None
    return f"{session_path(outcome.session)}#{outcome.id}"


def year_list_path(year: int) -> str:
    return f"sessions/{year}/"


def platform_list_path(platform: Platform) -> str:
    return f"{platform_path(platform)}sessions/"


QR_CODE = "qr.svg"


def qr_path(page_path: str) -> str:
    """The QR code of a page's absolute address, beside the page: sessions/2021/x/qr.svg."""
    return f"{page_path}{QR_CODE}"


RSS_FEED = "feed.xml"
JSON_FEED = "feed.json"


def feed_path(page_path: str) -> str:
    """The RSS feed that lives beside a page ("" for the site's own)."""
    return f"{page_path}{RSS_FEED}"


def json_feed_path(page_path: str) -> str:
    """The JSON Feed that lives beside a page, next to its RSS feed: the same items, for apps that read JSON."""
    return f"{page_path}{JSON_FEED}"


def json_feed_beside(rss_path: str) -> str:
    """The JSON Feed beside an RSS feed: platforms/x/feed.xml → platforms/x/feed.json."""
    if not rss_path.endswith(RSS_FEED):
        raise ValueError(f"not an RSS feed path: {rss_path!r}")
    return json_feed_path(rss_path.removesuffix(RSS_FEED))


def data_path(file_name: str, year: int | None = None) -> str:
    """An open-data file: data/outcomes.csv, or data/2024/outcomes.csv for one year's sessions."""
    return f"data/{year}/{file_name}" if year is not None else f"data/{file_name}"


DATA_PAGE = "data/"  # the page that lists and explains every open-data file

SHARE_IMAGES = "assets/share/"  # the share images (og:image), one file per distinct picture


def share_image_path(digest: str) -> str:
    """A share image, named by the hash of what it shows: assets/share/<digest>.png."""
    return f"{SHARE_IMAGES}{digest}.png"
