"""Jinja filters the templates use to show records in Chinese."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import date
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, Environment, FileSystemLoader
from markupsafe import Markup

from ..core.model.figures import format_days, format_rate
from ..core.outputs.templates import FILTERS, SHARED_PARTS, template_folder
from ..core.records.entities import Outcome, Platform, Session
from ..core.records.vocab import Status
from ..core.site.paths import DATA_PAGE
from ..core.views.chart import status_chart


class RenderedOnce:
    """A macro's markup for one record, rendered once per build and reused.

    An outcome stands on about seven feedback lists (all, its status, its
    year, its brand and each parent brand, each department) and a session on
    four or five session lists; a status badge is the same on every page. A
    row differs between those pages only in how its links climb to the site
    root, so the macro is rendered once with a placeholder root, which each
    page then replaces. The markup itself stays in the templates.
    """

    PLACEHOLDER = "\x00root\x00"

    def __init__(self, env: Environment, template: str, macro: str):
        self.env = env
        self.template = template
        self.macro = macro
        self.rendered: dict[Hashable, str] = {}

    def get(self, key: Hashable, *args: Any, **kwargs: Any) -> str:
        found = self.rendered.get(key)
        if found is None:
            macro = getattr(self.env.get_template(self.template).module, self.macro)
            found = self.rendered[key] = str(macro(*args, **kwargs))
        return found

    def rows(self, items: Iterable[tuple[Hashable, tuple[Any, ...]]], root: str) -> Markup:
        """Each item's row (key, macro arguments), its links climbing by ``root``."""
        placeholder = self.PLACEHOLDER
        return Markup("".join(self.get(key, *args, root=placeholder) for key, args in items).replace(placeholder, root))


def outcome_rows(cache: RenderedOnce) -> Callable[..., Markup]:
    def rows(outcomes: Iterable[Outcome], today: date, root: str) -> Markup:
        return cache.rows(((outcome, (outcome, today)) for outcome in outcomes), root)

    return rows


def session_rows(cache: RenderedOnce) -> Callable[..., Markup]:
    def rows(sessions: Iterable[Session], root: str, show_platform: bool = True, own: Platform | None = None) -> Markup:
        """The list items; each names its platform unless ``show_platform`` is off or it is ``own``."""
        chosen = ((session, show_platform and session.platform is not own) for session in sessions)
        return cache.rows((((session, shown), (session, shown)) for session, shown in chosen), root)

    return rows


def status_badge(cache: RenderedOnce) -> Callable[[Status], Markup]:
    def badge(status: Status) -> Markup:
        return Markup(cache.get(status, status))

    return badge


def root_of(page_url: str) -> str:
    """The relative way from a page to the site root: "" → "./", "a/b/" → "../../", "a/b.html" → "../"."""
    depth = page_url.count("/")
    return "../" * depth if depth else "./"


def register_filters(env: Environment) -> None:
    """The core's template filters (the shared parts need them), and the theme's own."""
    env.filters.update(FILTERS)
    env.filters.update(
        outcome_rows=outcome_rows(RenderedOnce(env, "huiyin/feedback_macros.html", "outcome_item")),
        session_rows=session_rows(RenderedOnce(env, "huiyin/macros.html", "session_item")),
        status_badge=status_badge(RenderedOnce(env, SHARED_PARTS, "status_badge")),
        rate=format_rate,
        days=format_days,
        status_chart=status_chart,
    )
    env.globals["all_statuses"] = list(Status)
    env.globals["data_page"] = DATA_PAGE  # the footer links it on every page


def with_core_templates(loader: BaseLoader | None) -> BaseLoader:
    """The theme's loader, then the core's templates (shared/record_parts.html): the theme's files win."""
    core = FileSystemLoader(template_folder())
    return ChoiceLoader([loader, core]) if loader is not None else core
