"""The core's own Jinja environment: every piece of HTML the outputs write comes from a template.

Feed bodies, search documents and the status stylesheet are rendered here,
from templates/ beside this file (package data), with autoescaping on: a
record value is escaped once, by the template that prints it, and markup that
is already HTML (a converted Markdown body) says so by arriving as ``Markup``.

templates/shared/record_parts.html is the markup that pages and feeds have in
common (status badge, departments, links, an outcome's timeline). The MkDocs
adapter appends this folder to the theme's loader (``template_folder``), so
theme_overrides imports the very same file; its filters are ``FILTERS`` here,
registered in both environments.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..base.clock import zh_date
from ..records.vocab import STATUS_STYLES, Status
from ..site.paths import department_path, json_feed_beside, outcome_path, platform_path, session_path

TEMPLATE_FOLDER = Path(__file__).parent / "templates"
SHARED_PARTS = "shared/record_parts.html"


def status_css(status: Status) -> str:
    """The CSS modifier of a status (``hy-badge--in-progress``), from the one style table."""
    return STATUS_STYLES[status].css


# Filters the shared parts and the output templates use; the theme's environment registers them too.
FILTERS: dict[str, Callable[..., Any]] = {
    "zh_date": zh_date,
    "status_css": status_css,
    "platform_path": platform_path,
    "session_path": session_path,
    "department_path": department_path,
    "outcome_path": outcome_path,
    "json_feed": json_feed_beside,
}


def template_folder() -> Path:
    """Where the core's templates live, for another environment's loader (the MkDocs theme's)."""
    return TEMPLATE_FOLDER


@cache
def environment() -> Environment:
    """One environment per process: templates are compiled once and reused for every item."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_FOLDER),
        autoescape=True,
        undefined=StrictUndefined,  # a misspelt field fails the build instead of printing nothing
        auto_reload=False,  # templates do not change during a build: no stat() per item
    )
    env.filters.update(FILTERS)
    env.filters["status_badge"] = _status_badge(env)
    return env


def _status_badge(env: Environment) -> Callable[[Status], Markup]:
    """The badge macro of the shared parts, as the filter the theme also offers (there cached per build)."""
    badges: dict[Status, Markup] = {}

    def badge(status: Status) -> Markup:
        if status not in badges:
            badges[status] = Markup(env.get_template(SHARED_PARTS).module.status_badge(status))  # type: ignore[attr-defined]
        return badges[status]

    return badge


def render(name: str, **context: Any) -> str:
    """A template of templates/, rendered with autoescaping."""
    return environment().get_template(name).render(**context)
