"""What a feed says, whatever its format: a channel and its items.

RSS (feeds.py) and JSON Feed (json_feed.py) render the very same items, so
their ids, order and bodies cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..site.paths import feed_path, json_feed_path


@dataclass(frozen=True)
class Category:
    term: str
    domain: str | None = None  # absolute URL of the category's page, when it has one


@dataclass(frozen=True)
class FeedItem:
    guid: str
    title: str
    link: str  # absolute
    published: datetime  # aware, from the record's date
    categories: tuple[Category, ...]
    content_html: str  # sanitised
    summary: str  # plain text


@dataclass(frozen=True)
class Channel:
    page: str  # site path of the HTML page the feed follows; both feeds sit beside it
    title: str
    description: str

    @property
    def path(self) -> str:
        """Site path of the RSS feed."""
        return feed_path(self.page)

    @property
    def json_path(self) -> str:
        """Site path of the JSON Feed with the same items."""
        return json_feed_path(self.page)
