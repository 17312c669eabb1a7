"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/): each RSS feed again, for apps that read JSON.

A newsroom's app or a mini-program reads JSON without an XML parser, and
JSON Feed's fields say what they hold (``content_html``, ``date_published``)
where RSS leaves it to convention. ``feed.json`` sits beside every
``feed.xml`` and is rendered from the same ``FeedItem`` objects (feeds.py),
so the two can never disagree:

- ``id`` is the RSS ``guid`` (``huiyin:session:…``, ``huiyin:update:…``);
- ``content_html`` is the RSS body, sanitised once for both;
- ``title`` and ``summary`` are plain text (JSON Feed's titles are text; RSS
  needs them escaped once more because readers render them as HTML);
- ``date_published`` is the record's date, midnight Asia/Shanghai, RFC 3339;
- ``tags``: the RSS categories' names.

Reproducible bytes: keys in a fixed order, UTF-8 as it is (``ensure_ascii``
off: 3 bytes a character instead of 6), no build time anywhere — JSON Feed
has no build date, and every date is a record's.
"""

from __future__ import annotations

import json
from typing import Any

from ..site.pages import SiteInfo
from .feed_items import Channel, FeedItem

VERSION = "https://jsonfeed.org/version/1.1"
LANGUAGE = "zh-CN"
MEDIA_TYPE = "application/feed+json"  # for <link rel="alternate" type=…>


def render_json_feed(channel: Channel, items: list[FeedItem], site: SiteInfo) -> bytes:
    """The channel's JSON Feed document: the same items, in the same order, as its RSS feed."""
    document: dict[str, Any] = {
        "version": VERSION,
        "title": channel.title,
        "home_page_url": site.absolute(channel.page),
        "feed_url": site.absolute(channel.json_path),
        "description": channel.description or channel.title,
        "language": LANGUAGE,
        "items": [json_item(item) for item in items],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def json_item(item: FeedItem) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": item.guid,
        "url": item.link,
        "title": item.title,
        "content_html": item.content_html,
        "summary": item.summary or item.title,
        "date_published": item.published.isoformat(),
    }
    if item.categories:
        entry["tags"] = [category.term for category in item.categories]
    return entry
