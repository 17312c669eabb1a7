"""What the site is (from its configuration), what a page's template is given,
and the pages it generates from records.

MkDocs-free, so another generator can reuse the plan: a ``SitePage`` is a page
with no Markdown file of its own, at a path, with a view; a ``View`` is what
one page's template is given, and names that template.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

from .filings import Filings


@dataclass(frozen=True)
class SiteInfo:
    """What outputs need to know about the site itself (from mkdocs.yml)."""

    url: str  # absolute, ends with "/"
    name: str
    description: str = ""
    data_license: str = ""
    feed_length: int = 50
    feedback_page_size: int = 200  # rows per page of the feedback list
    filings: Filings = field(default_factory=Filings)  # ICP, 公网安备, 网站标识码 for the footer

    def absolute(self, path: str) -> str:
        return self.url + path.lstrip("/")


@dataclass(frozen=True, kw_only=True)
class View:
    """What one page's template is given: one small frozen dataclass per kind of page.

    Templates read each field as ``huiyin.<field>``. A kind of page names its
    template here, so the choice of template lives with what it renders.
    """

    template: ClassVar[str]
    feed: str | None = None  # site path of the page's RSS feed (autodiscovery, subscribe line); None: none

    def fields(self) -> dict[str, Any]:
        """Each field by name, shallow: the records themselves, not copies.

        Not ``dataclasses.asdict``: that deep-copies every record a page holds
        (a brand page holds hundreds of sessions), on every one of the 20,000
        pages of a provincial site.
        """
        return {field.name: getattr(self, field.name) for field in fields(self)}


@dataclass(frozen=True)
class SitePage:
    """A page the site generates from records (no Markdown file of its own)."""

    src_uri: str  # where MkDocs pretends its source is, e.g. "sessions/index.md"
    title: str
    view: View
    in_nav: bool = True  # False: built and linked from other pages, but kept out of the global navigation

    @property
    def template(self) -> str:
        return self.view.template

    @property
    def feed(self) -> str | None:
        return self.view.feed
