"""The core's plan in MkDocs' terms: a generated page as a ``File``, a view as the template's ``huiyin``."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, InclusionLevel

from ..core.site.pages import SitePage, View
from ..core.views.sharing import Sharing
from .filters import root_of


def generated_file(page: SitePage, config: MkDocsConfig) -> File:
    """A page with no Markdown file of its own: front matter only (title, template), its body left empty."""
    file = File.generated(config, page.src_uri, content=front_matter(page.title, page.template))
    file.inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
    return file


@lru_cache(maxsize=8192)
def front_matter(title: str, template: str) -> str:
    """A generated page's front matter; kept, as serve asks again for the same ≈ 360 pages after every save."""
    fields = yaml.safe_dump({"title": title, "template": template}, allow_unicode=True, sort_keys=False)
    return f"---\n{fields}---\n"


def template_data(view: View | None, *, today: date, url: str, sharing: Sharing | None = None) -> dict[str, Any]:
    """What templates read as ``huiyin``: the view's fields, spread, and what every page has.

    Every page has ``today`` (for 逾期 and countdowns), ``root``, the way
    from the page at ``url`` back to the site root (rows rendered once per
    build climb by it; see filters.RenderedOnce), and ``sharing``, its Open
    Graph and schema.org facts (main.html).
    """
    data: dict[str, Any] = {"today": today, "root": root_of(url), "sharing": sharing}
    if view is not None:
        data |= view.fields()
    return data
