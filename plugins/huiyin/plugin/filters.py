"""Jinja filters the templates use to show records in Chinese."""

from __future__ import annotations

from jinja2 import Environment

from ..core.chart import status_chart
from ..core.clock import zh_date
from ..core.figures import format_days, format_rate
from ..core.site import department_path, outcome_path, platform_path
from ..core.vocab import STATUS_STYLES, Status


def status_css(status: Status) -> str:
    return STATUS_STYLES[status].css


def register_filters(env: Environment) -> None:
    env.filters.update(
        zh_date=zh_date,
        rate=format_rate,
        days=format_days,
        status_chart=status_chart,
        status_css=status_css,
        platform_path=platform_path,
        department_path=department_path,
        outcome_path=outcome_path,
    )
    env.globals["status_styles"] = STATUS_STYLES
    env.globals["all_statuses"] = list(Status)
