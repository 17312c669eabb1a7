""""Now" for embargoes and overdue: the build time, or SOURCE_DATE_EPOCH."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def build_time(environ: Mapping[str, str] | None = None) -> datetime:
    """The moment the build stands at, as an aware datetime in Asia/Shanghai.

    With SOURCE_DATE_EPOCH set, two builds of one commit see the same moment and
    so publish the same embargoes and the same overdue flags.
    """
    epoch = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).astimezone(SHANGHAI)
        except (ValueError, OverflowError, OSError):
            raise ValueError(
                f"SOURCE_DATE_EPOCH={epoch!r} 不是有效的 Unix 时间戳 — 请设为整数秒，或取消该变量"
            ) from None
    return datetime.now(tz=SHANGHAI)


def today(now: datetime) -> date:
    return now.astimezone(SHANGHAI).date()


def zh_date(value: date | None) -> str:
    """2021-04-02 → 2021年4月2日, as Chinese readers write dates."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"
