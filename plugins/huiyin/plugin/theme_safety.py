"""What Material prints without escaping, made to print as text.

Material's templates run with autoescape off and print page titles, the
table of contents and some front-matter values as they are; our own
templates are autoescaped. Markup-escaped strings print as plain text in
both, so a title holding <script> runs in no reader's browser.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from markupsafe import Markup, escape
from mkdocs.structure.pages import Page


def escape_theme_meta(meta: MutableMapping[str, Any]) -> None:
    """Escape the front-matter values Material prints without escaping: title, description, subtitle, tag names."""
    for key in ("title", "description", "subtitle"):
        if isinstance(meta.get(key), str):
            meta[key] = escape(meta[key])
    if isinstance(meta.get("tags"), list):
        meta["tags"] = [escape(str(tag)) for tag in meta["tags"]]


def inert_text(rendered: str) -> Markup:
    """A heading rendered from Markdown, as text that prints safely unescaped."""
    return escape(Markup(rendered).striptags())


def make_headings_inert(page: Page) -> None:
    """Material prints page and table-of-contents titles raw; make them text.

    Both come from the page's rendered headings when front matter gives no
    title, so a heading holding raw HTML would otherwise run in the header,
    the navigation and the table of contents.
    """
    if "title" not in page.meta and page.title:
        page.title = inert_text(page.title)
    stack = list(page.toc)
    while stack:
        item = stack.pop()
        item.title = inert_text(item.title)
        stack.extend(item.children)
