from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class HuiyinConfig(Config):
    enabled = c.Type(bool, default=True)
    # Show drafts and embargoed sessions, marked 草稿, under `mkdocs serve` only.
    drafts_on_serve = c.Type(bool, default=True)
    # Items per RSS feed, newest first.
    feed_length = c.Type(int, default=50)
    # Licence line shown with the open data files.
    data_license = c.Type(str, default="")
    # Outcomes per page of the feedback list (no page may grow past ~1 MB).
    feedback_page_size = c.Type(int, default=200)
    # Show each session's revisions and when each update was first published, from git.
    history = c.Type(bool, default=True)
    # Build the Pagefind site search index (pagefind/) after the pages are written.
    search = c.Type(bool, default=True)
