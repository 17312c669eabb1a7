"""Guard against publishing residents' personal numbers.

A consultation record quotes residents and officials; a mobile number or a
resident identity number pasted into a note would be published to the world
and copied by every newsroom that takes our feeds. The build refuses them.
Hotlines (12345) and landlines with an area code (0532-85912345) are public
service numbers and pass. A record may waive one reviewed value explicitly with
``reviewed_numbers`` (for instance, a service mobile printed on a notice).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .fields import Fields

# Mainland mobile numbers: 11 digits starting 13–19, optionally +86, optionally
# grouped 3-4-4 with spaces or hyphens. Not part of a longer run of digits.
_MOBILE = re.compile(r"(?<![\d])(?:\+?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?![\d])")
# Resident identity numbers: 17 digits and a check character.
_IDENTITY = re.compile(r"(?<![\dA-Za-z])(\d{17}[\dXx])(?![\dA-Za-z])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class Finding:
    kind: str  # 手机号码 or 身份证号码
    digits: str
    offset: int

    @property
    def masked(self) -> str:
        return self.digits[:3] + "*" * (len(self.digits) - 7) + self.digits[-4:]


def identity_checksum_ok(number: str) -> bool:
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def find_personal_numbers(text: str) -> list[Finding]:
    findings = [
        Finding("身份证号码", match.group(1).upper(), match.start())
        for match in _IDENTITY.finditer(text)
        if identity_checksum_ok(match.group(1))
    ]
    findings += [
        Finding("手机号码", "".join(match.groups()), match.start())
        for match in _MOBILE.finditer(text)
    ]
    return sorted(findings, key=lambda finding: finding.offset)


def _digits(value: object) -> str:
    return re.sub(r"[^\dXx]", "", str(value)).upper()


def check_personal_data(fields: Fields, texts: dict[str, str | None], body: str, body_line: int) -> None:
    """Report every personal number in the named texts and the body.

    ``texts`` maps a field path such as ``outcomes[2].text`` to its value; the
    line reported is that of the field's top-level key.
    """
    waived = {_digits(value) for value in fields.text_list("reviewed_numbers")}
    hint = (
        "请删除或打码（如 138****5678）；如确属经审核可公开的号码，"
        "在前置信息中加 reviewed_numbers: [该号码]"
    )
    for name, text in texts.items():
        for finding in find_personal_numbers(text or ""):
            if finding.digits not in waived:
                top = re.split(r"[.\[]", name, maxsplit=1)[0]
                fields.problem(top, f"字段「{name}」含疑似{finding.kind}「{finding.masked}」", hint)
    for finding in find_personal_numbers(body):
        if finding.digits not in waived:
            line = body_line + body.count("\n", 0, finding.offset)
            fields.log.add(line, f"正文含疑似{finding.kind}「{finding.masked}」", hint)
