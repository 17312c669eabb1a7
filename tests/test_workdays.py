"""Working days and deadlines: the State Council's holiday notices, and periods as records write them.

Every expected date below was read off the notice it depends on (quoted in
``holiday_notices.py``); the data itself is checked day by day against the
``chinesecalendar`` library.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import chinese_calendar  # type: ignore[import-untyped]  # no type information shipped
import pytest
from huiyin.core.base import holiday_notices
from huiyin.core.base.holiday_notices import Line, Notice, Year
from huiyin.core.base.workdays import (
    Deadline,
    PeriodUnit,
    WorkCalendar,
    add_months,
    default_calendar,
)
from huiyin.core.records.periods import ALLOWED_FORMS, MAX_COUNT, Period, parse_period
from hypothesis import given
from hypothesis import strategies as st

CAL = default_calendar()
LIBRARY_YEARS = range(
    min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1
)


def d(iso: str) -> date:
    return date.fromisoformat(iso)


def period(raw: str) -> Period:
    parsed = parse_period(raw)
    assert parsed is not None, raw
    return parsed


def known(iso: str) -> Deadline:
    return Deadline(d(iso), estimated=False)


def estimated(iso: str) -> Deadline:
    return Deadline(d(iso), estimated=True)


# -- the data: which years, from which notices ---------------------------------


def test_every_year_from_2020_to_the_latest_notice_is_known() -> None:
    years = sorted(CAL.known_years)
    assert years[0] == 2020
    assert years == list(range(2020, years[-1] + 1)), "no year may be missing in between"
    assert years[-1] >= 2026  # the 2026 notice, 国办发明电〔2025〕7号, came out 2025-11-04
    assert CAL.known(2024) and not CAL.known(2019) and not CAL.known(2031)


@pytest.mark.parametrize("year", sorted(holiday_notices.ARRANGEMENTS))
def test_each_year_cites_the_notice_it_comes_from(year: int) -> None:
    notices = [n for n in CAL.notices if n.year == year]
    assert notices, year
    first = notices[0]
    assert first.title == f"国务院办公厅关于{year}年部分节假日安排的通知"
    assert first.published < date(year, 1, 1), "a year's notice comes out before the year"
    for notice in notices:
        assert re.fullmatch(r"国办发明电〔(\d{4})〕\d+号", notice.number), notice.number
        assert int(notice.number[6:10]) == notice.published.year
        assert str(year) in notice.title
        assert notice.url.startswith("https://www.gov.cn/")


@pytest.mark.parametrize("year", sorted(holiday_notices.ARRANGEMENTS))
def test_every_day_agrees_with_chinesecalendar(year: int) -> None:
    if year not in LIBRARY_YEARS:
        pytest.skip(
            f"chinesecalendar {chinese_calendar.__version__} does not know {year} yet: "
            "read that entry against the notice once more, and upgrade the library when it does"
        )
    day, wrong = date(year, 1, 1), []
    while day.year == year:
        if CAL.is_working_day(day) != chinese_calendar.is_workday(day):
            wrong.append(f"{day} {'工作日' if CAL.is_working_day(day) else '休息日'}")
        day += timedelta(days=1)
    assert not wrong, f"holiday_notices.py {year}年 disagrees with chinesecalendar on: {wrong}"


def test_no_year_the_library_knows_is_missing_from_the_data() -> None:
    """When a new chinesecalendar release knows a year the data lacks, its notice is out: add it."""
    missing = [y for y in LIBRARY_YEARS if y >= 2020 and not CAL.known(y)]
    assert not missing, (
        f"chinesecalendar {chinese_calendar.__version__} knows {missing}: "
        "transcribe those years' notices into plugins/huiyin/core/base/holiday_notices.py"
    )


def test_the_data_is_refused_when_a_notice_could_not_say_it() -> None:
    notice = Notice("国务院办公厅关于2024年部分节假日安排的通知", "国办发明电〔2023〕7号", "2023-10-25", "")

    def calendar(*lines: Line) -> WorkCalendar:
        return WorkCalendar.from_arrangements({2024: Year((notice,), lines)})

    with pytest.raises(ValueError, match="不是周六或周日"):
        calendar(Line("国庆节", "2024-10-01", "2024-10-07", work=("2024-09-30",)))
    with pytest.raises(ValueError, match="早于第一天"):
        calendar(Line("国庆节", "2024-10-07", "2024-10-01"))
    with pytest.raises(ValueError, match="不在 2024 年内"):
        calendar(Line("国庆节", "2025-10-01", "2025-10-07"))
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        calendar(Line("国庆节", "2024-10-1", "2024-10-07"))
    with pytest.raises(ValueError, match="落在放假期间"):
        calendar(
            Line("国庆节", "2024-10-01", "2024-10-07"),
            Line("另一行", "2024-10-05", "2024-10-05", work=("2024-10-06",)),
        )
    with pytest.raises(ValueError, match="没有注明依据"):
        WorkCalendar.from_arrangements({2024: Year((), ())})


# -- working days --------------------------------------------------------------


@pytest.mark.parametrize(
    ("iso", "working"),
    [
        ("2024-02-04", True),  # Sunday, 春节 make-up working day
        ("2024-02-09", True),  # Friday, 除夕: the notice only encourages leave
        ("2024-02-10", False),  # Saturday, first day of 春节 (10–17)
        ("2024-02-12", False),  # Monday inside 春节
        ("2024-02-17", False),  # Saturday, last day off
        ("2024-02-18", True),  # Sunday, make-up working day
        ("2024-02-24", False),  # an ordinary Saturday
        ("2024-09-29", True),  # Sunday, 国庆节 make-up
        ("2024-10-01", False),
        ("2024-10-07", False),  # Monday, last day of 国庆节 (1–7)
        ("2024-10-08", True),
        ("2024-10-12", True),  # Saturday, 国庆节 make-up
        ("2020-01-31", False),  # Friday: the 2020 Spring Festival was extended to 2 February
        ("2020-02-01", False),  # Saturday: a make-up day until the extension
        ("2020-02-03", True),
        ("2022-12-30", True),
        ("2023-01-02", False),  # 2023's 元旦 ran from 2022-12-31
        ("2031-01-01", True),  # unknown year: Monday–Friday (a Wednesday)
        ("2031-01-04", False),
    ],
)
def test_is_working_day(iso: str, working: bool) -> None:
    assert CAL.is_working_day(d(iso)) is working


def test_working_days_across_the_2024_spring_festival() -> None:
    # 8 Thu (1), 9 Fri (2), 10–17 off, 18 Sun make-up (3), 19 Mon (4), 20 Tue (5)
    assert CAL.add_working_days(d("2024-02-07"), 5) == known("2024-02-20")
    assert CAL.deadline(period("5个工作日"), d("2024-02-07")) == known("2024-02-20")


def test_counting_across_a_make_up_sunday() -> None:
    # From Friday 2 February: Saturday 3 is a weekend, Sunday 4 a make-up working day.
    assert CAL.add_working_days(d("2024-02-02"), 1) == known("2024-02-04")
    assert CAL.add_working_days(d("2024-02-02"), 2) == known("2024-02-05")


def test_working_days_across_the_2024_national_day() -> None:
    start = d("2024-09-27")  # Friday
    # 28 Sat off, 29 Sun make-up (1), 30 Mon (2), 1–7 October off, 8 Tue (3) …
    assert [CAL.add_working_days(start, n).day for n in (1, 2, 3)] == [
        d("2024-09-29"),
        d("2024-09-30"),
        d("2024-10-08"),
    ]
    # … 9 (4), 10 (5), 11 (6), Saturday 12 make-up (7), Monday 14 (8)
    assert CAL.add_working_days(start, 7) == known("2024-10-12")
    assert CAL.add_working_days(start, 8) == known("2024-10-14")


def test_working_days_into_a_make_up_saturday_2026() -> None:
    # From Sunday 20 September 2026 (itself a make-up day, but the start is not counted):
    # 21–24 (4), 25–27 off, 28–30 (7), 1–7 October off, 8 (8), 9 (9), Saturday 10 make-up (10).
    assert CAL.deadline(period("10个工作日"), d("2026-09-20")) == known("2026-10-10")


def test_the_start_day_is_not_counted() -> None:
    assert CAL.add_working_days(d("2024-02-08"), 1) == known("2024-02-09")
    # Starting on a holiday: the first working day after it.
    assert CAL.add_working_days(d("2024-02-12"), 1) == known("2024-02-18")
    # Starting on the last day of an unknown year: only days after it are examined.
    assert CAL.add_working_days(d("2019-12-31"), 1) == known("2020-01-02")


def test_a_long_count_runs_over_into_the_next_year() -> None:
    assert CAL.add_working_days(d("2024-12-20"), 10) == known("2025-01-06")  # 1 January off
    # Two years on, the 500th lands on Sunday 4 January 2026, 元旦's make-up working day.
    assert CAL.add_working_days(d("2024-01-01"), 500) == known("2026-01-04")


def test_next_working_day_on_or_after() -> None:
    assert CAL.next_working_day_on_or_after(d("2024-10-08")) == known("2024-10-08")
    assert CAL.next_working_day_on_or_after(d("2024-10-01")) == known("2024-10-08")
    assert CAL.next_working_day_on_or_after(d("2026-12-31")) == known("2026-12-31")
    assert CAL.next_working_day_on_or_after(d("2027-01-02")) == estimated("2027-01-04")


# -- months and days -----------------------------------------------------------


def test_a_month_ending_on_a_holiday_moves_to_the_next_working_day() -> None:
    # 1 October is 国庆节 (1–7): the deadline is Tuesday 8 October.
    assert CAL.deadline(period("1个月"), d("2024-09-01")) == known("2024-10-08")
    # 12 February is inside 春节; 13–17 too; Sunday 18 is a make-up working day.
    assert CAL.deadline(period("1个月"), d("2024-01-12")) == known("2024-02-18")


def test_months_from_the_31st_end_on_the_shorter_months_last_day() -> None:
    assert CAL.deadline(period("1个月"), d("2024-01-31")) == known("2024-02-29")  # leap year
    assert CAL.deadline(period("1个月"), d("2025-01-31")) == known("2025-02-28")
    assert CAL.deadline(period("3个月"), d("2024-11-30")) == known("2025-02-28")
    assert add_months(d("2024-08-31"), 1) == d("2024-09-30")
    assert add_months(d("2024-12-15"), 14) == d("2026-02-15")


def test_days_landing_on_a_weekend_move_to_monday() -> None:
    # 1 March 2024 + 15 days = Saturday 16 March.
    assert CAL.deadline(period("15天"), d("2024-03-01")) == known("2024-03-18")


def test_days_landing_on_a_make_up_saturday_stay() -> None:
    # 12 September + 30 days = Saturday 12 October, a 国庆节 make-up working day.
    assert CAL.deadline(period("30天"), d("2024-09-12")) == known("2024-10-12")


def test_days_landing_on_a_holiday_move_past_it() -> None:
    assert CAL.deadline(period("30天"), d("2024-09-01")) == known("2024-10-08")
    assert CAL.deadline(period("30 days"), d("2025-09-06")) == known("2025-10-09")  # 1–8 off


# -- years without a notice ----------------------------------------------------


def test_an_unknown_year_counts_monday_to_friday_and_is_estimated() -> None:
    # Wednesday 1 January 2031: Thursday 2 (1), Friday 3 (2), Monday 6 (3).
    assert CAL.add_working_days(d("2031-01-01"), 3) == estimated("2031-01-06")
    assert CAL.deadline(period("15天"), d("2031-03-01")) == estimated("2031-03-17")  # 16th a Sunday
    assert CAL.deadline(period("1个月"), d("2031-01-31")) == estimated("2031-02-28")


def test_a_period_running_from_a_known_year_into_an_unknown_one_is_estimated() -> None:
    # 31 December 2026 (1), then 2027 as Monday–Friday: Friday 1 (2), 4 (3), 5 (4), 6 (5).
    assert CAL.add_working_days(d("2026-12-30"), 5) == estimated("2027-01-06")
    assert CAL.deadline(period("1个月"), d("2026-12-15")) == estimated("2027-01-15")
    # Staying inside 2026 is not estimated, however close to its end.
    assert CAL.deadline(period("1个月"), d("2026-11-30")) == known("2026-12-30")
    assert CAL.add_working_days(d("2026-12-29"), 2) == known("2026-12-31")


def test_a_calendar_with_no_notices_is_monday_to_friday() -> None:
    plain = WorkCalendar()
    assert not plain.known(2024)
    assert plain.add_working_days(d("2024-02-07"), 5) == estimated("2024-02-14")
    assert plain.is_working_day(d("2024-10-01"))


# -- the calendar as a value ---------------------------------------------------


def test_the_calendar_is_frozen_hashable_and_made_once() -> None:
    assert default_calendar() is CAL
    assert hash(CAL) == hash(WorkCalendar.from_arrangements(holiday_notices.ARRANGEMENTS))
    assert CAL == WorkCalendar.from_arrangements(holiday_notices.ARRANGEMENTS)
    assert {CAL: 1}[CAL] == 1
    with pytest.raises(AttributeError):
        CAL.known_years = frozenset()  # type: ignore[misc]
    assert repr(CAL).startswith("WorkCalendar(known_years=2020–")


def test_bad_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        CAL.add_working_days(d("2024-01-01"), 0)
    with pytest.raises(ValueError):
        Period(0, PeriodUnit.DAYS)
    with pytest.raises(ValueError):
        Period(MAX_COUNT + 1, PeriodUnit.DAYS)
    with pytest.raises(ValueError):
        Period(True, PeriodUnit.DAYS)


RANGE = st.dates(min_value=date(2018, 1, 1), max_value=date(2029, 12, 31))


@given(start=RANGE, n=st.integers(min_value=1, max_value=80))
def test_add_working_days_ends_on_the_nth_working_day(start: date, n: int) -> None:
    result = CAL.add_working_days(start, n)
    assert CAL.is_working_day(result.day)
    days = [start + timedelta(days=i) for i in range(1, (result.day - start).days + 1)]
    assert sum(CAL.is_working_day(day) for day in days) == n
    assert result.estimated == any(not CAL.known(day.year) for day in days)


@given(start=RANGE, n=st.integers(min_value=1, max_value=40), months=st.booleans())
def test_months_and_days_end_on_the_first_working_day_from_the_landing_day(
    start: date, n: int, months: bool
) -> None:
    unit = PeriodUnit.MONTHS if months else PeriodUnit.DAYS
    landing = add_months(start, n) if months else start + timedelta(days=n)
    result = CAL.deadline(Period(n, unit), start)
    assert result.day >= landing and CAL.is_working_day(result.day)
    between = [landing + timedelta(days=i) for i in range((result.day - landing).days + 1)]
    assert not any(CAL.is_working_day(day) for day in between[:-1])
    assert result.estimated == any(not CAL.known(day.year) for day in between)


# -- periods as records write them ---------------------------------------------


@pytest.mark.parametrize(
    ("raw", "count", "unit"),
    [
        ("15个工作日", 15, PeriodUnit.WORKING_DAYS),
        ("15個工作日", 15, PeriodUnit.WORKING_DAYS),
        ("15 個工作日", 15, PeriodUnit.WORKING_DAYS),
        ("15 个 工作日", 15, PeriodUnit.WORKING_DAYS),
        ("15工作日", 15, PeriodUnit.WORKING_DAYS),
        ("１５个工作日", 15, PeriodUnit.WORKING_DAYS),  # full-width digits
        ("１５　个工作日", 15, PeriodUnit.WORKING_DAYS),  # and a full-width space
        ("  15个工作日  ", 15, PeriodUnit.WORKING_DAYS),
        ("15 working days", 15, PeriodUnit.WORKING_DAYS),
        ("15 Working Days", 15, PeriodUnit.WORKING_DAYS),
        ("1 working day", 1, PeriodUnit.WORKING_DAYS),
        ("15个工作日内", 15, PeriodUnit.WORKING_DAYS),
        ("2个月", 2, PeriodUnit.MONTHS),
        ("2個月", 2, PeriodUnit.MONTHS),
        ("2 个月", 2, PeriodUnit.MONTHS),
        ("２个月", 2, PeriodUnit.MONTHS),
        ("2 months", 2, PeriodUnit.MONTHS),
        ("1 month", 1, PeriodUnit.MONTHS),
        ("3个月内", 3, PeriodUnit.MONTHS),
        ("30天", 30, PeriodUnit.DAYS),
        ("30日", 30, PeriodUnit.DAYS),
        ("30 天", 30, PeriodUnit.DAYS),
        ("30个自然日", 30, PeriodUnit.DAYS),
        ("30 days", 30, PeriodUnit.DAYS),
        ("1 day", 1, PeriodUnit.DAYS),
        ("30日内", 30, PeriodUnit.DAYS),
        # Chinese numerals, as official texts write them
        ("十五个工作日", 15, PeriodUnit.WORKING_DAYS),
        ("二十个工作日", 20, PeriodUnit.WORKING_DAYS),
        ("两个月", 2, PeriodUnit.MONTHS),
        ("兩個月", 2, PeriodUnit.MONTHS),
        ("一个月", 1, PeriodUnit.MONTHS),
        ("三十天", 30, PeriodUnit.DAYS),
        ("一百二十天", 120, PeriodUnit.DAYS),
        ("一百零五天", 105, PeriodUnit.DAYS),
        ("十日", 10, PeriodUnit.DAYS),
    ],
)
def test_parse_period_accepts(raw: str, count: int, unit: PeriodUnit) -> None:
    assert parse_period(raw) == Period(count, unit)


@pytest.mark.parametrize(
    "raw",
    [
        "0天",
        "0个工作日",
        "-3 days",
        "+3 days",
        "3.5天",
        "两周",
        "2 weeks",
        "1年",
        "2月",  # February, not two months
        "15",
        "15 ",
        "个工作日",
        "",
        "   ",
        "十五",
        "一五天",  # digits one by one are not a number
        "一百五天",  # colloquial 150: ambiguous
        "零天",
        f"{MAX_COUNT + 1}天",
        "15个工作日 15天",
        "15个工作日以后",
        None,
        15,  # a bare number: which unit? The record must say.
        15.0,
        True,
        ["15天"],
    ],
)
def test_parse_period_refuses(raw: object) -> None:
    assert parse_period(raw) is None


def test_a_period_is_returned_as_it_is() -> None:
    fifteen = Period(15, PeriodUnit.WORKING_DAYS)
    assert parse_period(fifteen) is fifteen


@pytest.mark.parametrize(
    ("value", "zh"),
    [
        (Period(15, PeriodUnit.WORKING_DAYS), "15个工作日"),
        (Period(2, PeriodUnit.MONTHS), "2个月"),
        (Period(30, PeriodUnit.DAYS), "30天"),
    ],
)
def test_period_in_chinese(value: Period, zh: str) -> None:
    assert value.zh() == zh == str(value)
    assert parse_period(zh) == value


def test_allowed_forms_names_each_unit() -> None:
    for form in ("15个工作日", "2个月", "30天", "15 working days", "2 months", "30 days"):
        assert form in ALLOWED_FORMS
        assert parse_period(form) is not None


def test_periods_import_nothing_of_huiyin_but_base() -> None:
    from pathlib import Path

    import huiyin.core.records.periods as periods_module

    source = Path(periods_module.__file__ or "").read_text(encoding="utf-8")
    imports = re.findall(r"^\s*(?:from|import)\s+(\S+)", source, flags=re.MULTILINE)
    ours = [name for name in imports if name.startswith((".", "huiyin"))]
    assert ours and all(name.startswith("..base") for name in ours), ours
