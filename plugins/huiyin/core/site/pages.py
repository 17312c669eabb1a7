"""What the site is (from its configuration) and the pages it generates from records.

MkDocs-free, so another generator can reuse the plan: a ``SitePage`` is a page
with no Markdown file of its own, at a path, with a template and a view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
