"""Parts of Material's page frame drawn once for every page that draws them alike.

Material draws the navigation drawer, the tabs and the page's script config on
every page: about a third of the time a session page takes to render, the
same markup thousands of times over. On a page that is not itself in the
navigation (every session, brand and list page: all but a handful of a
province's pages) nothing in those parts depends on the page except how its
links climb to their targets. So they are drawn once per such way of linking
and reused; pages in the navigation (which mark themselves active there) are
drawn in full as before.

The templates stay Material's own: theme_overrides/partials/nav.html and
tabs.html only wrap Material's originals (reached under the "material/"
prefix, see ``original_templates``), and main.html wraps the config block.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, PrefixLoader, pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import normalize_url

ORIGINALS_PREFIX = "material"  # {% include "material/partials/nav.html" %}: the theme's own file


def original_templates(loader: BaseLoader, theme_dirs: list[str], custom_dir: str | None) -> BaseLoader:
    """The environment's loader, plus the theme's templates under a prefix, past our overrides."""
    theirs = [folder for folder in theme_dirs if folder != custom_dir]
    return ChoiceLoader([loader, PrefixLoader({ORIGINALS_PREFIX: FileSystemLoader(theirs)})])


@dataclass
class SharedPart:
    """One part for one page: its markup if drawn already for a page that links alike."""

    store: dict[tuple[Any, ...], str]
    key: tuple[Any, ...] | None  # None: this page draws the part itself, every time

    @property
    def html(self) -> str | None:
        return self.store.get(self.key) if self.key is not None else None

    def keep(self, html: str) -> str:
        if self.key is not None:
            self.store[self.key] = html
        return html


class SharedParts:
    def __init__(self, nav: Navigation, homepage: str | None = None):
        self.in_nav = {id(page) for page in nav.pages}
        # "" (the site root) stands for the page's depth: every other link
        # (logo, assets) shares no leading folder with a page and climbs alike.
        self.targets = ["", *_link_targets(nav.items), *([homepage] if homepage else [])]
        self.store: dict[tuple[Any, ...], str] = {}

    def key(self, name: str, page: Page | None, base_url: str) -> tuple[Any, ...] | None:
        if page is None or id(page) in self.in_nav:
            return None
        return (name, base_url, *(normalize_url(target, page) for target in self.targets))

    @pass_context
    def __call__(self, context: Context, name: str) -> SharedPart:
        """For partials: {% set part = huiyin_shared("nav") %} … part.html or part.keep(…)."""
        return SharedPart(self.store, self.key(name, context.get("page"), context.get("base_url", "")))

    @pass_context
    def block(self, context: Context, name: str, draw: Any) -> str:
        """For blocks: {% block config %}{{ huiyin_shared_block("config", super) }}{% endblock %}."""
        part = self(context, name)
        html = part.html
        return Markup(html) if html is not None else Markup(part.keep(str(draw())))


def _link_targets(items: list[Any]) -> list[str]:
    """Every URL the navigation links to, nested sections included."""
    found: list[str] = []
    for item in items:
        if isinstance(item, Section):
            found += _link_targets(item.children)
        elif isinstance(item, (Page, Link)) and item.url is not None:
            found.append(item.url)
    return found
