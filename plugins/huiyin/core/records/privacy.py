"""Guard against publishing residents' personal numbers.

A consultation record quotes residents and officials; a mobile number or a
resident identity number pasted into a note would be published to the world
and copied by every newsroom that takes our feeds. The build refuses them.

What is checked: every value of a record's front matter (whatever the field,
so that a new field is covered the day it is added), its body and its file
name. Hotlines (12345) and landlines with an area code (0532-85912345) are
public service numbers and pass; so does an 18-digit run that is not a valid
identity number (wrong check digit or impossible birth date), such as an
order or document number.

A record may waive a reviewed value explicitly with ``reviewed_numbers`` (for
instance a community service mobile printed on a public notice). Every waived
value must be a number the guard recognises and must occur in the record, so a
stale waiver cannot silently let a later paste through.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from .fields import excerpt
from .problems import ProblemLog
from .source import Mapping, Sequence

WAIVER_KEY = "reviewed_numbers"

_SEPARATOR = r"[ \-\u00a0\u3000]?"
# Mainland mobile numbers: 11 digits starting 13–19, optionally +86, optionally
# grouped 3-4-4 with spaces or hyphens. Not part of a longer run of digits.
_MOBILE = re.compile(
    rf"(?<!\d)(?:(?:\+|＋)?86{_SEPARATOR})?(1[3-9]\d){_SEPARATOR}(\d{{4}}){_SEPARATOR}(\d{{4}})(?!\d)"
)
# Resident identity numbers: 17 digits and a check character, alone.
_IDENTITY = re.compile(r"(?<![\dA-Za-z])(\d{17}[\dXx])(?![\dA-Za-z])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_HINT = "请删除或打码（如 138****5678）；如确属经审核可公开的号码，在前置信息中加 reviewed_numbers: [该号码]"
_HINT_NO_WAIVER = "请删除或打码（如 138****5678）；承办单位名录中不应出现个人号码"


@dataclass(frozen=True)
class Finding:
    kind: str  # 手机号码 or 身份证号码
    digits: str  # ASCII digits (and X), separators and +86 removed
    offset: int

    @property
    def masked(self) -> str:
        """Enough to find the number in the file, not enough to call it."""
        return self.digits[:3] + "*" * (len(self.digits) - 7) + self.digits[-4:]


def _ascii_digits(text: str) -> str:
    """'１３８' → '138': full-width digits are still a phone number."""
    return "".join(str(unicodedata.digit(char, char)) if char.isdigit() else char.upper() for char in text)


def is_identity_number(number: str) -> bool:
    """A valid 18-character resident identity number: birth date and check digit."""
    if number[0] == "0":
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if born.year < 1900:
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17]


# Full-width forms, one character for one so that offsets (and lines) stay true.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９＋－ＸｘⅩ", "0123456789+-XxX")
_ANY_FULL_WIDTH = re.compile("[０-９＋－ＸｘⅩ]")  # translate() is slow: only when needed


def find_personal_numbers(text: str) -> list[Finding]:
    """Mobile and identity numbers in a text, in the order they appear."""
    if _ANY_FULL_WIDTH.search(text):
        text = text.translate(_FULL_WIDTH)
    findings = [
        Finding("身份证号码", digits, match.start())
        for match in _IDENTITY.finditer(text)
        if is_identity_number(digits := _ascii_digits(match.group(1)))
    ]
    findings += [
        Finding("手机号码", _ascii_digits("".join(match.groups())), match.start())
        for match in _MOBILE.finditer(text)
    ]
    return sorted(findings, key=lambda finding: finding.offset)


# -- walking a record ---------------------------------------------------------


def _scalars(tree: Any, line: int) -> list[tuple[tuple[Any, ...], int, str]]:
    """(field path parts, line, text) for every scalar of a front-matter tree.

    Iterative, and visiting each shared (aliased) node once: YAML anchors can
    make a small file describe an exponentially large tree.
    """
    found: list[tuple[tuple[Any, ...], int, str]] = []
    stack: list[tuple[Any, tuple[Any, ...], int]] = [(tree, (), line)]
    seen: set[int] = set()
    while stack:
        node, path, at = stack.pop()
        if isinstance(node, str):
            found.append((path, at, node))
        elif isinstance(node, (int, float)) and not isinstance(node, bool):
            found.append((path, at, _number_text(node)))
        elif isinstance(node, (dict, list, tuple, set)):
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, Mapping):
                stack += [(value, (*path, key), node.line_of(key)) for key, value in node.items()
                          if path or key != WAIVER_KEY]
            elif isinstance(node, Sequence):
                stack += [(item, (*path, index), node.line_of(index)) for index, item in enumerate(node)]
            else:  # !!omap, !!set and friends: no lines of their own
                stack += [(item, path, at) for item in node]
    return found


def _field_name(path: tuple[Any, ...]) -> str:
    """("outcomes", 1, "updates", 0, "note") → "outcomes[2].updates[1].note"."""
    name = ""
    for part in path:
        if isinstance(part, int):
            name += f"[{part + 1}]"
        else:
            name += ("." if name else "") + excerpt(part, 40)
    return name


def _front_matter_findings(tree: Any, line: int) -> list[tuple[str, int, Finding]]:
    """(field name, line, finding) for the whole front matter, searched as one text.

    One search over all values joined by newlines (which no number spans) is
    several times faster than one search per value, and a province has tens
    of thousands of records.
    """
    scalars = _scalars(tree, line)
    starts, offset = [], 0
    for _, _, text in scalars:
        starts.append(offset)
        offset += len(text) + 1
    joined = "\n".join(text for _, _, text in scalars)
    found = []
    for finding in find_personal_numbers(joined):
        path, at, _ = scalars[bisect.bisect_right(starts, finding.offset) - 1]
        found.append((_field_name(path), at, finding))
    return found


def _number_text(number: int | float) -> str:
    try:
        return str(number)
    except ValueError:  # an int too long to print is not a phone number
        return ""


@dataclass
class _Waiver:
    """The reviewed numbers of one record, and which of them were needed."""

    numbers: dict[str, tuple[int, str]]  # digits → (line, as written)
    used: set[str]

    def covers(self, finding: Finding) -> bool:
        if finding.digits in self.numbers:
            self.used.add(finding.digits)
            return True
        return False


def _read_waiver(meta: Mapping, log: ProblemLog) -> _Waiver:
    waiver = _Waiver({}, set())
    value = meta.get(WAIVER_KEY)
    if value is None:
        return waiver
    items = value if isinstance(value, list) else [value]
    for index, item in enumerate(items):
        line = value.line_of(index) if isinstance(value, Sequence) else meta.line_of(WAIVER_KEY)
        written = item if isinstance(item, str) else _number_text(item) if isinstance(item, int) else ""
        found = find_personal_numbers(written) if not isinstance(item, bool) else []
        if len(found) != 1:
            log.add(
                line,
                f"「{WAIVER_KEY}」第 {index + 1} 项不是一个手机号码或身份证号码",
                "每项写一个完整号码，如 reviewed_numbers: [\"13812345678\"]",
            )
            continue
        waiver.numbers[found[0].digits] = (line, found[0].masked)
    return waiver


def check_personal_data(
    log: ProblemLog,
    meta: Mapping | Sequence,
    body: str = "",
    body_line: int = 1,
    file_name: str = "",
    waivable: bool = True,
) -> None:
    """Report every personal number in a record: front matter, body, file name.

    Problems name the field (``outcomes[2].updates[3].note``) and its line, or
    the body line, and show the number masked: build logs are public too.
    """
    waiver = _read_waiver(meta, log) if waivable and isinstance(meta, Mapping) else _Waiver({}, set())
    hint = _HINT if waivable else _HINT_NO_WAIVER
    for name, line, finding in _front_matter_findings(meta, meta.line):
        if not waiver.covers(finding):
            log.add(line, f"字段「{name}」含疑似{finding.kind}「{finding.masked}」", hint)
    for finding in find_personal_numbers(body):
        if not waiver.covers(finding):
            at = body_line + body.count("\n", 0, finding.offset)
            log.add(at, f"正文含疑似{finding.kind}「{finding.masked}」", hint)
    for finding in find_personal_numbers(file_name):
        if not waiver.covers(finding):
            log.add(None, f"文件名含疑似{finding.kind}「{finding.masked}」", "请给文件换一个名字（文件名会出现在网址中）")
    for digits, (line, masked) in waiver.numbers.items():
        if digits not in waiver.used:
            log.add(
                line,
                f"「{WAIVER_KEY}」中的号码「{masked}」在本记录中没有出现",
                "请删去这一项：豁免只应针对本记录中确实出现、且已审核可公开的号码",
            )
