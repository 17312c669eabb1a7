"""Open data: everything published, in files a journalist can take away.

``/data/outcomes.json``, ``/data/outcomes.csv`` and ``/data/sessions.json``, as
the content model's *Open data* section lays them down (fields there are the
contract; the extra fields here are extensions, documented on /feedback/).

Output is deterministic: same commit and SOURCE_DATE_EPOCH, same bytes. The
JSON arrays hold one object per line, so that a diff between two builds reads
as a list of changed records.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from ..model.corpus import Corpus
from ..records.entities import Department, Outcome, Platform, Session, Supervision, Update
from ..site.pages import SiteInfo
from ..site.paths import outcome_path, platform_path, session_path

# Scalar columns of outcomes.csv, in order; lists are joined with LIST_SEPARATOR.
CSV_COLUMNS = (
    "id", "session", "session_title", "session_date", "platform", "platform_name", "text",
    "departments", "department_names", "status", "status_label", "due", "last_update",
    "claimed", "answered", "adopted", "concluded", "overdue", "url",
    # Handling (督办), after the columns readers already address by position.
    "lead", "due_original", "due_estimated", "extended", "supervision", "satisfaction", "reopened", "on_time",
)
LIST_SEPARATOR = ";"
# Names and dates that spreadsheet users want beside each outcome. The JSON
# leaves them out — its readers join on the slugs with sessions.json,
# platforms.json and departments.json — because repeating them in every object
# makes outcomes.json a third larger (5.5 → 3.9 MB at 2,000 sessions).
CSV_ONLY = ("session_title", "session_date", "platform_name", "department_names", "status_label", "last_update")
UTF8_BOM = "\ufeff"


def iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def update_record(update: Update) -> dict[str, Any]:
    record: dict[str, Any] = {
        "date": update.date.isoformat(),
        "status": update.status.value,
        "note": update.note,
        "documents": [{"title": d.title, "url": d.url} for d in update.documents],
    }
    if update.extend_to is not None:  # only when it has them, so the common update stays short
        record["extend_to"] = update.extend_to.isoformat()
    if update.satisfaction is not None:
        record["satisfaction"] = update.satisfaction.value
    return record


def supervision_record(supervision: Supervision | None) -> dict[str, Any] | None:
    if supervision is None:
        return None
    return {"kind": supervision.kind.value, "by": supervision.by, "since": iso(supervision.since)}


def handling_record(outcome: Outcome, today: date) -> dict[str, Any]:
    """The contract's *Handling* additions to an outcome's open data."""
    lead = outcome.lead_department if outcome.lead is not None or len(outcome.departments) == 1 else None
    return {
        "lead": lead.slug if lead else None,
        "due_original": iso(outcome.original_deadline.day) if outcome.original_deadline else None,
        "due_estimated": bool(outcome.deadline and outcome.deadline.estimated),
        "extended": outcome.extended,
        "supervision": supervision_record(outcome.supervision),
        "satisfaction": outcome.satisfaction.value if outcome.satisfaction else None,
        "reopened": outcome.reopened,
        "on_time": outcome.on_time(today),
    }


def outcome_record(outcome: Outcome, today: date, site: SiteInfo) -> dict[str, Any]:
    session = outcome.session
    assert session is not None
    return {
        "id": outcome.global_id,
        "session": session.id,
        "session_title": session.title,
        "session_date": session.date.isoformat(),
        "platform": session.platform.slug,
        "platform_name": session.platform.name,
        "text": outcome.text,
        "departments": [d.slug for d in outcome.departments],
        "department_names": [d.name for d in outcome.departments],
        "status": outcome.status.value,
        "status_label": outcome.status.label,
        "due": iso(outcome.deadline.day) if outcome.deadline else None,  # the effective deadline
        "last_update": outcome.last_update.date.isoformat(),
        "claimed": outcome.claimed,
        "answered": outcome.answered,
        "adopted": outcome.adopted,
        "concluded": outcome.concluded,
        "overdue": outcome.overdue(today),
        "updates": [update_record(u) for u in outcome.updates],
        "url": site.absolute(outcome_path(outcome)),
        **handling_record(outcome, today),
    }


def session_record(session: Session, site: SiteInfo) -> dict[str, Any]:
    return {
        "id": session.id,
        "title": session.title,
        "platform": session.platform.slug,
        "platform_name": session.platform.name,
        "date": session.date.isoformat(),
        "number": session.number,
        "stage": session.stage.value,
        "tags": list(session.tags),
        "outcomes": len(session.outcomes),
        "url": site.absolute(session_path(session)),
    }


def platform_record(platform: Platform, site: SiteInfo) -> dict[str, Any]:
    return {
        "slug": platform.slug,
        "name": platform.name,
        "level": platform.level.value,
        "region": platform.region,
        "parent": platform.parent.slug if platform.parent else None,
        "url": site.absolute(platform_path(platform)),
    }


def department_record(department: Department) -> dict[str, Any]:
    return {"slug": department.slug, "name": department.name, "aliases": list(department.aliases)}


def json_lines_array(records: list[dict[str, Any]]) -> bytes:
    """A JSON array with one record per line: valid JSON, and readable in a diff."""
    lines = ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in records)
    return f"[\n{lines}\n]\n".encode("utf-8") if records else b"[]\n"


# A cell starting with one of these is a formula to Excel, WPS and LibreOffice:
# a record text "=HYPERLINK(…)" would run on the journalist's machine.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = LIST_SEPARATOR.join(str(v) for v in value) if isinstance(value, list) else str(value)
    # The OWASP remedy: a leading apostrophe makes the cell plain text.
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def outcomes_csv(records: list[dict[str, Any]]) -> bytes:
    """One row per outcome; UTF-8 with a BOM so spreadsheet software reads Chinese right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        writer.writerow([csv_cell(csv_value(record, column)) for column in CSV_COLUMNS])
    return (UTF8_BOM + buffer.getvalue()).encode("utf-8")


def csv_value(record: dict[str, Any], column: str) -> Any:
    """A scalar for the CSV: of the supervision mapping, its kind (the contract's CSV column)."""
    value = record[column]
    return value["kind"] if column == "supervision" and value is not None else value


def open_data_files(corpus: Corpus, site: SiteInfo) -> dict[str, bytes]:
    """{site path: bytes} of the open data; published records only."""
    outcomes = [outcome_record(o, corpus.today, site) for o in corpus.published_outcomes]
    sessions = [session_record(s, site) for s in corpus.published_sessions]
    return {
        "data/outcomes.json": json_lines_array([without(record, CSV_ONLY) for record in outcomes]),
        "data/outcomes.csv": outcomes_csv(outcomes),
        "data/sessions.json": json_lines_array(sessions),
        "data/platforms.json": json_lines_array(
            [platform_record(p, site) for p in sorted(corpus.platforms.values(), key=lambda p: p.slug)]
        ),
        "data/departments.json": json_lines_array([department_record(d) for d in corpus.departments]),
    }


def without(record: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key not in keys}
