"""RSS feeds (issue 4 — being built). Returns {site path: bytes}."""

from __future__ import annotations

from .corpus import Corpus
from .site import SiteInfo


def feed_files(corpus: Corpus, site: SiteInfo) -> dict[str, bytes]:
    return {}
