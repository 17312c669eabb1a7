"""The one schema drives what staff are shown: every field is in `huiyin new`'s template,
each with the explanation its declaration gives."""

from __future__ import annotations

import re
from datetime import date

import pytest
from huiyin.core.records import schema
from huiyin.core.staff.scaffold import SessionDraft, session_template

TEMPLATE = session_template(SessionDraft("破解停车难", "qingting-yu-shangliang", date(2026, 11, 20), "pojie", "市住建局", False))
# The privacy waiver is added only when a check asks for it, with the number it names.
NOT_IN_TEMPLATE = {schema.REVIEWED_NUMBERS.key}
SESSION_PARTS = (schema.SESSION, schema.PARTICIPANTS, schema.MEDIA, schema.OUTCOME, schema.SUPERVISION, schema.UPDATE,
                 schema.DOCUMENT)


def template_lines(key: str) -> list[str]:
    return [line for line in TEMPLATE.splitlines() if re.match(rf"^[#\s-]*{key}:", line)]


@pytest.mark.parametrize("record", SESSION_PARTS, ids=lambda r: r.name)
def test_every_field_of_a_session_is_in_the_template(record: schema.RecordSchema) -> None:
    missing = [f.key for f in record.fields if f.key not in NOT_IN_TEMPLATE and not template_lines(f.key)]
    assert not missing, f"add these {record.name} fields to staff/scaffold.py's template: {missing}"


def test_template_comments_come_from_the_declarations() -> None:
    for record in (schema.SESSION, schema.PARTICIPANTS, schema.OUTCOME, schema.SUPERVISION):
        for declared in record.fields:
            lines = [line for line in template_lines(declared.key) if "  # " in line]  # a line with an explanation
            if declared.key in NOT_IN_TEMPLATE or not lines:
                continue
            assert any(line.endswith(f"# {declared.note}") for line in lines), (declared.key, lines)


def test_vocabulary_fields_list_every_value_in_their_comment() -> None:
    for record in SESSION_PARTS:
        for declared in record.fields:
            if declared.vocabulary is None or declared.key == "status":
                continue
            comment = " ".join(template_lines(declared.key))
            assert all(f"{m.value} {m.label}" in comment for m in declared.vocabulary), declared.key
