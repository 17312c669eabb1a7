"""Jinja filters the templates use to show records in Chinese."""

from __future__ import annotations

import posixpath
from datetime import date

from jinja2 import Environment
from markupsafe import Markup

from ..core.chart import status_chart
from ..core.clock import zh_date
from ..core.figures import format_days, format_rate
from ..core.site import department_path, outcome_path, platform_path
from ..core.model import Outcome
from ..core.vocab import STATUS_STYLES, Status


def status_css(status: Status) -> str:
    return STATUS_STYLES[status].css


class RowCache:
    """Each outcome's row of the feedback lists, rendered once per build.

    An outcome stands on about seven lists (all, its status, its year, its
    brand and each parent brand, each department). Its row differs between
    those pages only in how its links climb to the site root, so the macro is
    rendered once with a placeholder root, which each page then replaces.
    """

    PLACEHOLDER = "\x00root\x00"

    def __init__(self, env: Environment):
        self.env = env
        self.rows: dict[str, str] = {}

    def __call__(self, outcome: Outcome, today: date, root: str) -> Markup:
        row = self.rows.get(outcome.global_id)
        if row is None:
            macros = self.env.get_template("huiyin/feedback_macros.html").module
            row = self.rows[outcome.global_id] = str(macros.outcome_item(outcome, today, self.PLACEHOLDER))
        return Markup(row.replace(self.PLACEHOLDER, root))


def root_of(page_url: str) -> str:
    """The relative way from a page to the site root: "" → "./", "a/b/" → "../../"."""
    folder = posixpath.dirname(page_url)
    return "./" if not folder else posixpath.relpath(".", folder) + "/"


def register_filters(env: Environment) -> None:
    env.filters.update(
        outcome_row=RowCache(env),
        zh_date=zh_date,
        rate=format_rate,
        days=format_days,
        status_chart=status_chart,
        status_css=status_css,
        platform_path=platform_path,
        department_path=department_path,
        outcome_path=outcome_path,
    )
    env.globals["all_statuses"] = list(Status)
