"""Periods (期限) as records write them: ``due_in`` and ``answer_within``.

Accepted, after NFKC normalisation (so full-width digits and spaces count as
ordinary ones) and with spaces anywhere between the parts:

- working days: ``15个工作日``, ``15個工作日``, ``15工作日``, ``15 working days``, ``1 working day``
- months: ``2个月``, ``2個月``, ``2 months``, ``1 month`` (not ``2月``, which reads as February)
- days: ``30天``, ``30日``, ``30个自然日``, ``30 days``, ``1 day``

The number may also be written in Chinese numerals (``十五个工作日``, ``两个月``,
``三十天``, ``一百二十天``), and a trailing ``内`` is allowed (``15个工作日内``), as
official texts write it. The number must be a whole number from 1 to 9999.

Not accepted: a bare number (``15`` or ``"15"``: which unit it means is exactly
what a reader cannot tell, so the record has to say), zero or negative numbers,
fractions, weeks (``两周``, ``2 weeks``: write ``10个工作日`` or ``14天``), years.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..base.workdays import PeriodUnit

__all__ = ["ALLOWED_FORMS", "MAX_COUNT", "Period", "PeriodUnit", "parse_period"]

MAX_COUNT = 9999

ALLOWED_FORMS = (
    "可写 “15个工作日”、“2个月”、“30天”（或英文 “15 working days”、“2 months”、“30 days”），"
    "数字为 1 到 9999 的整数"
)

_SUFFIX = {
    PeriodUnit.WORKING_DAYS: "个工作日",
    PeriodUnit.MONTHS: "个月",
    PeriodUnit.DAYS: "天",
}


@dataclass(frozen=True, slots=True)
class Period:
    """A period such as 15个工作日: ``count`` units of ``unit``."""

    count: int
    unit: PeriodUnit

    def __post_init__(self) -> None:
        if (
            isinstance(self.count, bool)
            or not isinstance(self.count, int)
            or not 1 <= self.count <= MAX_COUNT
        ):
            raise ValueError(f"期限的数字须为 1 到 {MAX_COUNT} 的整数，而不是 {self.count!r}")
        if not isinstance(self.unit, PeriodUnit):
            raise TypeError(f"期限的单位须为 PeriodUnit，而不是 {self.unit!r}")

    def zh(self) -> str:
        """The period as Chinese readers write it: 15个工作日, 2个月, 30天."""
        return f"{self.count}{_SUFFIX[self.unit]}"

    def __str__(self) -> str:
        return self.zh()


_CHINESE_NUMERAL = "零〇一二两兩三四五六七八九十百千"

_PATTERN = re.compile(
    rf"""
    (?P<number>[0-9]+|[{_CHINESE_NUMERAL}]+)
    \s*
    (?:
        (?P<working>(?:[个個]\s*)?工作日|working\s*days?)
      | (?P<months>[个個]\s*月|months?)
      | (?P<days>天|日|(?:[个個]\s*)?自然日|days?)
    )
    (?:\s*[内內])?
    """,
    re.VERBOSE | re.IGNORECASE | re.ASCII,
)

_DIGITS = {
    "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def parse_period(raw: object) -> Period | None:
    """The period ``raw`` writes, or None when it cannot be read as one.

    A ``Period`` is returned as it is. Anything else that is not a string —
    including a bare number — is None; callers then say what is allowed
    (``ALLOWED_FORMS``).
    """
    if isinstance(raw, Period):
        return raw
    if not isinstance(raw, str):
        return None
    text = unicodedata.normalize("NFKC", raw).strip()
    match = _PATTERN.fullmatch(text)
    if match is None:
        return None
    number = match["number"]
    count = int(number) if number.isascii() else _chinese_number(number)
    if count is None or not 1 <= count <= MAX_COUNT:
        return None
    if match["working"] is not None:
        unit = PeriodUnit.WORKING_DAYS
    elif match["months"] is not None:
        unit = PeriodUnit.MONTHS
    else:
        unit = PeriodUnit.DAYS
    return Period(count, unit)


def _chinese_number(text: str) -> int | None:
    """十五 → 15, 两 → 2, 一百零五 → 105, 三千 → 3000; None for what is not a number.

    Only the ordinary way of writing a number below 10,000: digits each followed
    by a smaller unit than the one before, 零 only as a gap; 十 alone is 10.
    Digit strings such as 一五 are not numbers here.
    """
    total = 0
    digit: int | None = None
    previous_unit = 10_000
    gap = False
    for char in text:
        if char in "零〇":
            if digit is not None or total == 0:
                return None
            gap = True
            continue
        value = _DIGITS.get(char)
        if value is not None:
            if digit is not None:
                return None
            digit = value
            continue
        unit = _UNITS.get(char)
        if unit is None or unit >= previous_unit or (gap and unit * 10 >= previous_unit):
            return None
        if digit is None and total:
            return None  # 一百十: write 一百一十
        total += (1 if digit is None else digit) * unit
        digit, previous_unit, gap = None, unit, False
    if digit is None:
        return None if gap else total or None
    if previous_unit > 10 and not gap and total:
        return None  # 一百五 is colloquial for 150: write 一百五十 (or 150)
    return total + digit
