"""Jinja filters the templates use to show records in Chinese."""

from __future__ import annotations

from datetime import date

from jinja2 import Environment

from ..core.chart import status_chart
from ..core.figures import format_days, format_rate
from ..core.site import department_path, outcome_path, platform_path
from ..core.vocab import STATUS_STYLES, Status


def zh_date(value: date | None) -> str:
    """2021-04-02 → 2021年4月2日."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def status_css(status: Status) -> str:
    return STATUS_STYLES[status].css


def percent(part: int, total: int) -> float:
    return 100 * part / total if total else 0.0


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
        percent=percent,
    )
    env.globals["status_styles"] = STATUS_STYLES
    env.globals["all_statuses"] = list(Status)
