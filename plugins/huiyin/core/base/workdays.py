"""The working-day calendar: which days are 工作日, and when a period's deadline falls.

Working days are the days the State Council's annual holiday notice
(国务院办公厅关于……部分节假日安排的通知) makes working days: Monday to Friday, minus
the days off it announces, plus the weekend days it declares make-up working days
(调休上班). For a year whose notice the site does not know, working days are Monday
to Friday and every deadline that depends on that year is *estimated* (预计).

Where the holidays come from
----------------------------
``holiday_notices.py`` beside this file is the source of truth: one entry per year,
transcribed line by line from the notice, which it cites (title, 国办发明电〔YYYY〕N号,
date published, address). It covers 2020–2026: 7 years from 8 notices (2020 has
two: the Spring Festival was extended by 国办发明电〔2020〕1号), 46 spans of days
off and 46 make-up working days, 14 KB of Python that loads in about 0.2 ms.
``tests/test_workdays.py`` checks every day of every year in it against the
``chinesecalendar`` library (a test dependency only).

Why not that library at run time: it is well kept — 1.11.0 covers 2004–2026, and
for each notice from 2020 to 2026 a release came the same day or the next (2026's
notice 2025-11-04, 1.11.0 the same day; 2025's 2024-11-12, 1.10.0 on 11-13). But a
site would take each release's data at its next install, unreviewed (or never,
if pinned), and a release made that fast can be wrong: 1.3.0, the day after the 2020 notice, had
the 调休 Sunday 2020-09-27 as 09-17, fixed three weeks later in 1.3.1 (and
working days of 2007 and 2008 were corrected only in 2022). A file in the
repository is right the day someone transcribes the notice, a reviewer reads
each line beside the notice text it quotes, and a build never changes because a
dependency moved. With the library as the cross-check, a typo in the file fails a
test, and so does a library release that knows a year the file lacks.

The data is a Python module, not YAML or JSON, because the site is published
with ``pip install .`` and the package ships only ``*.py`` (and ``py.typed``):
a data file would need a package-data entry to be installed at all.

How a new year's notice gets in: see the docstring of ``holiday_notices.py`` —
transcribe it the day it appears (usually October to December), run the tests.
Until then, deadlines in that year are computed Monday to Friday and shown as 预计.

Deadlines
---------
A period counts from a start day (the outcome's first update, 交办), which is not
itself counted. ``N个工作日`` ends on the N-th working day after it. Months end on
the same day number N months later (the month's last day if it has no such day),
days N calendar days later; either moves on to the next working day when it is
not one. A deadline is estimated when any day it examines lies in an unknown
year: for working days every day after the start up to the result, for months
and days the landing day and any days it moves on past.

A notice can also change late December of the year before (2019's moved
2018-12-29 and 12-31); deadlines in the last known year's December are
therefore final only once the next notice is in. They are not marked estimated.
"""

from __future__ import annotations

import calendar as _calendar
import enum
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Protocol

from . import holiday_notices

__all__ = [
    "Deadline",
    "Notice",
    "PeriodLike",
    "PeriodUnit",
    "WorkCalendar",
    "default_calendar",
]

_ONE_DAY = timedelta(days=1)


class PeriodUnit(enum.Enum):
    """What a period counts (the unit of ``N个工作日`` / ``N个月`` / ``N天``)."""

    WORKING_DAYS = "working_days"
    MONTHS = "months"
    DAYS = "days"


class PeriodLike(Protocol):
    """A period as the calendar needs it (``huiyin.core.records.periods.Period``)."""

    @property
    def count(self) -> int: ...

    @property
    def unit(self) -> PeriodUnit: ...


@dataclass(frozen=True, slots=True)
class Deadline:
    """A deadline day; ``estimated`` when it depends on a year whose notice is unknown."""

    day: date
    estimated: bool


@dataclass(frozen=True, slots=True)
class Notice:
    """A holiday notice the calendar's data comes from."""

    year: int  # the year it arranges
    title: str
    number: str  # 发文字号
    published: date
    url: str


@dataclass(frozen=True)
class WorkCalendar:
    """Working days: Monday–Friday, less ``holidays``, plus ``makeup_workdays``.

    ``known_years`` are the years whose notice the data holds. The calendar with no
    data at all (``WorkCalendar()``) is plain Monday–Friday, every result estimated.
    Frozen and hashable (by its days and years); working days are worked out per
    year on first use and kept, so making one costs nothing until it is asked.
    """

    holidays: frozenset[date] = frozenset()
    makeup_workdays: frozenset[date] = frozenset()
    known_years: frozenset[int] = frozenset()
    notices: tuple[Notice, ...] = field(default=(), compare=False)
    # Per year: the ordinals of its working days, ascending. Filled lazily.
    _years: dict[int, tuple[int, ...]] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        both = self.holidays & self.makeup_workdays
        if both:
            days = "、".join(sorted(d.isoformat() for d in both))
            raise ValueError(f"同一天既是放假日又是调休上班日：{days}")

    def __repr__(self) -> str:
        years = sorted(self.known_years)
        span = f"{years[0]}–{years[-1]}" if years else "none"
        return (
            f"WorkCalendar(known_years={span}, holidays={len(self.holidays)}, "
            f"makeup_workdays={len(self.makeup_workdays)})"
        )

    @classmethod
    def from_arrangements(
        cls, arrangements: Mapping[int, holiday_notices.Year]
    ) -> WorkCalendar:
        """The calendar of ``holiday_notices.ARRANGEMENTS`` (or data shaped like it).

        Raises ValueError, naming the year and the line, when the data is not what
        a notice can say: a span that ends before it starts or lies outside its
        year (a 元旦 span may start in the December before), a make-up working
        day that is not a Saturday or Sunday, or one inside a span of days off.
        """
        holidays: set[date] = set()
        makeup: set[date] = set()
        notices: list[Notice] = []
        for year, entry in sorted(arrangements.items()):
            where = f"holiday_notices.py {year}年"
            if not entry.notices:
                raise ValueError(f"{where}：没有注明依据的通知")
            for notice in entry.notices:
                notices.append(
                    Notice(
                        year,
                        notice.title,
                        notice.number,
                        _iso(notice.published, where),
                        notice.url,
                    )
                )
            for line in entry.lines:
                here = f"{where}「{line.name}」"
                first, last = _iso(line.first, here), _iso(line.last, here)
                if last < first:
                    raise ValueError(f"{here}：放假的最后一天 {last} 早于第一天 {first}")
                if not (date(year - 1, 12, 1) <= first and last <= date(year, 12, 31)):
                    raise ValueError(f"{here}：{first}–{last} 不在 {year} 年内")
                day = first
                while day <= last:
                    holidays.add(day)
                    day += _ONE_DAY
                for raw in line.work:
                    work = _iso(raw, here)
                    if work.weekday() < 5:
                        raise ValueError(f"{here}：调休上班日 {work} 不是周六或周日")
                    if not date(year - 1, 12, 1) <= work <= date(year, 12, 31):
                        raise ValueError(f"{here}：调休上班日 {work} 不在 {year} 年内")
                    makeup.add(work)
        inside = holidays & makeup
        if inside:
            days = "、".join(sorted(d.isoformat() for d in inside))
            raise ValueError(f"holiday_notices.py：调休上班日落在放假期间：{days}")
        return cls(
            holidays=frozenset(holidays),
            makeup_workdays=frozenset(makeup),
            known_years=frozenset(arrangements),
            notices=tuple(notices),
        )

    # -- days ---------------------------------------------------------------

    def known(self, year: int) -> bool:
        """Whether the calendar has that year's notice (else it is Monday–Friday, 预计)."""
        return year in self.known_years

    def is_working_day(self, day: date) -> bool:
        if day in self.makeup_workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def _working_ordinals(self, year: int) -> tuple[int, ...]:
        table = self._years.get(year)
        if table is None:
            start = date(year, 1, 1)
            table = tuple(
                (start + timedelta(days=i)).toordinal()
                for i in range(366 if _calendar.isleap(year) else 365)
                if self.is_working_day(start + timedelta(days=i))
            )
            self._years[year] = table
        return table

    def _estimated(self, first: date, last: date) -> bool:
        """Whether any day from ``first`` to ``last`` lies in an unknown year."""
        known = self.known_years
        if first.year == last.year:  # nearly always: spare the generator
            return first.year not in known
        return any(year not in known for year in range(first.year, last.year + 1))

    # -- deadlines ----------------------------------------------------------

    def add_working_days(self, start: date, n: int) -> Deadline:
        """The n-th working day after ``start`` (``start`` itself is not counted)."""
        if n < 1:
            raise ValueError(f"工作日数须为正整数，而不是 {n}")
        year = start.year
        table = self._working_ordinals(year)
        index = bisect_right(table, start.toordinal())
        remaining = n
        while remaining > len(table) - index:
            remaining -= len(table) - index
            year += 1
            table = self._working_ordinals(year)
            index = 0
        day = date.fromordinal(table[index + remaining - 1])
        return Deadline(day, self._estimated(start + _ONE_DAY, day))

    def next_working_day_on_or_after(self, day: date) -> Deadline:
        """``day`` if it is a working day, else the first working day after it."""
        year = day.year
        table = self._working_ordinals(year)
        index = bisect_left(table, day.toordinal())
        while index == len(table):
            year += 1
            table = self._working_ordinals(year)
            index = 0
        found = date.fromordinal(table[index])
        return Deadline(found, self._estimated(day, found))

    def deadline(self, period: PeriodLike, start: date) -> Deadline:
        """When ``period`` counted from ``start`` ends (see the module docstring)."""
        n, unit = period.count, period.unit
        if n < 1:
            raise ValueError(f"期限的数字须为正整数，而不是 {n}")
        if unit is PeriodUnit.WORKING_DAYS:
            return self.add_working_days(start, n)
        if unit is PeriodUnit.MONTHS:
            return self.next_working_day_on_or_after(add_months(start, n))
        if unit is PeriodUnit.DAYS:
            return self.next_working_day_on_or_after(start + timedelta(days=n))
        raise ValueError(f"未知的期限单位：{unit!r}")


def add_months(day: date, n: int) -> date:
    """The same day number n months later, or that month's last day if it is shorter."""
    months = day.month - 1 + n
    year, month = day.year + months // 12, months % 12 + 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def _iso(raw: str, where: str) -> date:
    try:
        return date.fromisoformat(raw)
    except (TypeError, ValueError):
        raise ValueError(f"{where}：{raw!r} 不是 YYYY-MM-DD 格式的日期") from None


@cache
def default_calendar() -> WorkCalendar:
    """The calendar of the notices in ``holiday_notices.py`` (made once per process)."""
    return WorkCalendar.from_arrangements(holiday_notices.ARRANGEMENTS)
