"""Open data: everything published, in files a journalist can take away, and the /data/ page.

``/data/outcomes.json``, ``outcomes.csv``, ``updates.csv``, ``sessions.json`` (and
``platforms.json``, ``departments.json`` to look names up by slug), and the same four
record files again for each year's sessions under ``/data/<year>/``, as the content
model's *Open data* section lays them down. Their columns are declared once, in
records/schema.py; the extra fields beyond the contract are extensions.

Why the files are made in the views layer and not with the feeds: the /data/ page shows
each file's size and row count, which are known only once its bytes are. So the bytes
are made once per build, when the pages are planned (``generated_pages``, before the
build forks its second-core child, plugin/background.py), and kept (``open_data``); the
child then writes those same bytes, with datapackage.json (outputs/opendata.py). At
2,000 sessions that is ≈ 0.4 s on the main core (docs/performance.md).

Output is deterministic: same commit and SOURCE_DATE_EPOCH, same bytes. The JSON arrays
hold one object per line, so that a diff between two builds reads as a list of changed
records. Each record is encoded once: a year's sessions stand together in the
newest-first order, so a whole-site file is its years' lines joined.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from typing import Any, ClassVar, Literal

from ..model.corpus import Corpus
from ..records.entities import Department, Outcome, Platform, Session, Supervision, Update
from ..records.schema import (
    DEPARTMENTS_TABLE,
    LIST_SEPARATOR,
    OUTCOMES_TABLE,
    PLATFORMS_TABLE,
    SESSIONS_TABLE,
    UPDATES_TABLE,
    Column,
    DataTable,
    csv_columns,
    csv_only,
)
from ..site.pages import SiteInfo, SitePage, View
from ..site.paths import DATA_PAGE, data_path, outcome_path, platform_path, session_path

Format = Literal["json", "csv"]
UTF8_BOM = "\ufeff"
# Names and dates that spreadsheet users want beside each outcome. The JSON
# leaves them out — its readers join on the slugs with sessions.json,
# platforms.json and departments.json — because repeating them in every object
# makes outcomes.json a third larger (5.5 → 3.9 MB at 2,000 sessions).
CSV_ONLY = csv_only(OUTCOMES_TABLE.columns)

# What each file is, for the /data/ and feedback pages.
FILE_DESCRIPTIONS = {
    "outcomes.json": "每条问题及建议一个对象，含完整办理进展（updates）；名称按 slug 查 sessions.json、platforms.json、departments.json",
    "outcomes.csv": "每条问题及建议一行，附活动、平台、单位名称（UTF-8 带 BOM，可直接用表格软件打开；多个值以 ; 分隔）",
    "updates.csv": "每项办理进展一行：从交办到落实的全过程，同一建议的进展按先后排列（UTF-8 带 BOM）",
    "sessions.json": "每期协商活动一个对象，outcomes 为其已公开的建议条数",
    "platforms.json": "每个协商平台一个对象：名称、层级、地区、上级平台",
    "departments.json": "每个承办单位一个对象：名称与别名",
}


# -- one record each --------------------------------------------------------------


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


def update_row(outcome: Outcome, update: Update) -> dict[str, Any]:
    """One row of updates.csv."""
    session = outcome.session
    assert session is not None
    return {
        "outcome": outcome.global_id,
        "session": session.id,
        "platform": session.platform.slug,
        "position": update.position,
        "date": update.date.isoformat(),
        "status": update.status.value,
        "status_label": update.status.label,
        "note": update.note,
        "extend_to": iso(update.extend_to),
        "satisfaction": update.satisfaction.value if update.satisfaction else None,
        "document_titles": [d.title for d in update.documents],
        "document_urls": [d.url or "" for d in update.documents],
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


def without(record: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key not in keys}


# -- encodings ------------------------------------------------------------------------


def json_line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def json_array(lines: list[str]) -> bytes:
    """A JSON array with one record per line: valid JSON, and readable in a diff."""
    return ("[\n" + ",\n".join(lines) + "\n]\n").encode("utf-8") if lines else b"[]\n"


def json_lines_array(records: list[dict[str, Any]]) -> bytes:
    return json_array([json_line(r) for r in records])


# A cell starting with one of these is a formula to Excel, WPS and LibreOffice:
# a record text "=HYPERLINK(…)" would run on the journalist's machine.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    if type(value) is str:  # most cells; 3 million of them at 20,000 sessions
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = LIST_SEPARATOR.join(str(v) for v in value) if isinstance(value, list) else str(value)
    # The OWASP remedy: a leading apostrophe makes the cell plain text.
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_value(record: dict[str, Any], column: str) -> Any:
    """A scalar for the CSV: of the supervision mapping, its kind (the contract's CSV column)."""
    value = record[column]
    return value["kind"] if column == "supervision" and value is not None else value


def csv_rows(columns: tuple[str, ...], records: Iterable[dict[str, Any]]) -> tuple[str, int]:
    """The CSV lines of ``records`` (no header) and how many there are."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    count = 0
    for record in records:
        writer.writerow([csv_cell(csv_value(record, column)) for column in columns])
        count += 1
    return buffer.getvalue(), count


def csv_file(columns: tuple[str, ...], bodies: Iterable[str]) -> bytes:
    """Header and rows; UTF-8 with a BOM so spreadsheet software reads Chinese right."""
    header = io.StringIO()
    csv.writer(header, lineterminator="\r\n").writerow(columns)
    return (UTF8_BOM + header.getvalue() + "".join(bodies)).encode("utf-8")


# -- the files --------------------------------------------------------------------------


@dataclass(frozen=True)
class DataFile:
    table: DataTable
    format: Format
    data: bytes
    rows: int  # objects of a JSON array, data rows of a CSV
    year: int | None = None  # None: the whole site

    @property
    def name(self) -> str:
        return f"{self.table.name}.{self.format}"

    @property
    def path(self) -> str:
        return data_path(self.name, self.year)

    @property
    def byte_count(self) -> int:
        return len(self.data)

    @property
    def size(self) -> str:
        return human_size(len(self.data))

    @property
    def columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.table.columns if (c.in_csv if self.format == "csv" else c.in_json))

    @property
    def description(self) -> str:
        return FILE_DESCRIPTIONS[self.name]


@dataclass(frozen=True)
class YearFiles:
    year: int
    files: tuple[DataFile, ...]  # sessions.json, outcomes.json, outcomes.csv, updates.csv


@dataclass(frozen=True)
class OpenData:
    whole_site: tuple[DataFile, ...]
    years: tuple[YearFiles, ...]  # newest first

    @property
    def files(self) -> list[DataFile]:
        return [*self.whole_site, *(f for year in self.years for f in year.files)]

    def file(self, path: str) -> DataFile:
        return next(f for f in self.files if f.path == path)


def human_size(n: int) -> str:
    """Bytes as a file manager shows them (1 KB = 1,024 bytes): 512 B, 3.4 KB, 41 MB."""
    size = float(n)
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{n} B" if unit == "B" else f"{size:.1f} {unit}" if size < 100 else f"{size:.0f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


@dataclass
class _Year:
    """One year's records, each encoded once: JSON lines and CSV text."""

    year: int
    sessions: list[str]
    outcomes: list[str]
    outcome_csv: tuple[str, int]
    update_csv: tuple[str, int]

    def files(self) -> tuple[DataFile, ...]:
        year = self.year
        return (
            DataFile(SESSIONS_TABLE, "json", json_array(self.sessions), len(self.sessions), year),
            DataFile(OUTCOMES_TABLE, "json", json_array(self.outcomes), len(self.outcomes), year),
            DataFile(OUTCOMES_TABLE, "csv", csv_file(OUTCOME_CSV, [self.outcome_csv[0]]), self.outcome_csv[1], year),
            DataFile(UPDATES_TABLE, "csv", csv_file(UPDATE_CSV, [self.update_csv[0]]), self.update_csv[1], year),
        )


OUTCOME_CSV = csv_columns(OUTCOMES_TABLE.columns)
UPDATE_CSV = csv_columns(UPDATES_TABLE.columns)


def encode_year(year: int, sessions: list[Session], today: date, site: SiteInfo) -> _Year:
    outcomes = [o for s in sessions for o in s.outcomes]
    records = [outcome_record(o, today, site) for o in outcomes]
    return _Year(
        year,
        [json_line(session_record(s, site)) for s in sessions],
        [json_line(without(r, CSV_ONLY)) for r in records],
        csv_rows(OUTCOME_CSV, records),
        csv_rows(UPDATE_CSV, (update_row(o, u) for o in outcomes for u in o.updates)),
    )


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while the files are made.

    Making them creates millions of short-lived dicts and strings (no cycles:
    reference counting frees them), and each time that count crosses the
    collector's threshold it walks every object of the corpus too. At 20,000
    sessions that walking was 44% of the time (13.3 s → 7.5 s, on a busy machine).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def make_open_data(corpus: Corpus, site: SiteInfo) -> OpenData:
    """Every open-data file of the published records (drafts and embargoed sessions are not in
    ``published_sessions``), whole-site and per year."""
    with collector_paused():
        return _make_open_data(corpus, site)


_years: dict[tuple[Any, ...], _Year] = {}  # the last corpus's years, by what they were made from


def _encoded_years(corpus: Corpus, site: SiteInfo) -> list[_Year]:
    """Each year's records encoded, or taken from the previous corpus where nothing of the year changed.

    Under `mkdocs serve` a save changes one session: the other years' files
    are the same bytes (same sessions by content digest, same brands and
    departments, same day). Encoding every year was ~0.8 s of each rebuild at
    2,000 sessions, a sixth of it.
    """
    made: dict[tuple[Any, ...], _Year] = {}
    digests = corpus.session_digests
    for year, group in groupby(corpus.published_sessions, key=lambda s: s.date.year):
        sessions = list(group)
        key = (year, corpus.today, site, corpus.registry_digest, tuple(digests[s.source_path] for s in sessions))
        made[key] = _years.get(key) or encode_year(year, sessions, corpus.today, site)
    _years.clear()
    _years.update(made)
    return list(made.values())


def _make_open_data(corpus: Corpus, site: SiteInfo) -> OpenData:
    years = _encoded_years(corpus, site)
    platforms = [platform_record(p, site) for p in sorted(corpus.platforms.values(), key=lambda p: p.slug)]
    departments = [department_record(d) for d in corpus.departments]
    outcomes = [line for y in years for line in y.outcomes]
    sessions = [line for y in years for line in y.sessions]
    whole_site = (
        DataFile(OUTCOMES_TABLE, "json", json_array(outcomes), len(outcomes)),
        DataFile(OUTCOMES_TABLE, "csv", csv_file(OUTCOME_CSV, (y.outcome_csv[0] for y in years)),
                 sum(y.outcome_csv[1] for y in years)),
        DataFile(UPDATES_TABLE, "csv", csv_file(UPDATE_CSV, (y.update_csv[0] for y in years)),
                 sum(y.update_csv[1] for y in years)),
        DataFile(SESSIONS_TABLE, "json", json_array(sessions), len(sessions)),
        DataFile(PLATFORMS_TABLE, "json", json_lines_array(platforms), len(platforms)),
        DataFile(DEPARTMENTS_TABLE, "json", json_lines_array(departments), len(departments)),
    )
    return OpenData(whole_site, tuple(YearFiles(y.year, y.files()) for y in years))


_made: list[tuple[weakref.ref[Corpus], SiteInfo, OpenData]] = []  # the last build's, at most one


def open_data(corpus: Corpus, site: SiteInfo) -> OpenData:
    """The open data of this corpus and site, made on first use and then kept.

    The /data/ page asks first (while the pages are planned); the file writer,
    in the forked child or at the end of a ``mkdocs serve`` rebuild, gets the
    same bytes. A new corpus (the next rebuild) makes them afresh.
    """
    if _made and _made[0][0]() is corpus and _made[0][1] == site:
        return _made[0][2]
    made = make_open_data(corpus, site)
    _made[:] = [(weakref.ref(corpus), site, made)]
    return made


# -- the /data/ page ----------------------------------------------------------------------

TABLES = (OUTCOMES_TABLE, UPDATES_TABLE, SESSIONS_TABLE, PLATFORMS_TABLE, DEPARTMENTS_TABLE)


@dataclass(frozen=True)
class TableGuide:
    """What the /data/ page says about one kind of file: its files and their fields."""

    table: DataTable
    files: tuple[DataFile, ...]  # the whole-site files of this table

    @property
    def formats(self) -> tuple[str, ...]:
        return tuple(f.format for f in self.files)


@dataclass(frozen=True, kw_only=True)
class DataPageView(View):
    """/data/: every open-data file with its size, rows and fields, the licence, how to read them."""

    template: ClassVar[str] = "huiyin/data.html"
    data: OpenData
    tables: list[TableGuide]
    data_license: str
    example_url: str
    package_path: str


def data_page(corpus: Corpus, site: SiteInfo) -> SitePage:
    data = open_data(corpus, site)
    view = DataPageView(
        data=data,
        tables=[TableGuide(t, tuple(f for f in data.whole_site if f.table is t)) for t in TABLES],
        data_license=site.data_license,
        example_url=site.absolute(data_path("updates.csv")),
        package_path=data_path("datapackage.json"),
    )
    return SitePage(f"{DATA_PAGE}index.md", "开放数据", view, in_nav=False)
