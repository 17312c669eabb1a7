"""Open data as written: the files of views/open_data.py, and ``/data/datapackage.json``.

The data package (Frictionless Data Package v2, https://datapackage.org/) lets a data
tool check what it downloaded: every file is a resource with its path, format,
encoding, size and SHA-256; every CSV has a Table Schema whose field types,
Chinese descriptions, enumerations and keys come from the column declarations in
records/schema.py. ``frictionless validate data/datapackage.json`` passes on it
(tests/test_open_data_package.py), offline: frictionless knows the v2 profiles by
their URLs and fetches nothing.

The bytes of the data files were made when the pages were planned (the /data/
page shows their sizes); here they are only hashed, described and handed to the
writer. Reproducible: ``created`` is the build time, which SOURCE_DATE_EPOCH fixes.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from ..model.corpus import Corpus
from ..records.schema import LIST_SEPARATOR, UPDATES_TABLE, Column, ColumnType
from ..site.pages import SiteInfo
from ..site.paths import DATA_PAGE, data_path
from ..views.open_data import DataFile, OpenData, open_data

PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json"}
# What frictionless reads a file with a byte-order mark as (and what Python calls it).
ENCODINGS = {"csv": "utf-8-sig", "json": "utf-8"}


def field_descriptor(column: Column) -> dict[str, Any]:
    """A Table Schema field: type, Chinese description, and what a cell may hold."""
    descriptor: dict[str, Any] = {"name": column.key, "type": column.type.value, "description": column.description}
    if column.type is ColumnType.ARRAY:
        descriptor |= {"type": "list", "delimiter": LIST_SEPARATOR, "itemType": "string"}
    constraints: dict[str, Any] = {}
    if not column.nullable:
        constraints["required"] = True
    if column.allowed:
        constraints["enum"] = list(column.allowed)
    if constraints:
        descriptor["constraints"] = constraints
    return descriptor


def table_schema(file: DataFile) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [field_descriptor(c) for c in file.columns],
        "missingValues": [""],
        "primaryKey": list(file.table.primary_key),
    }
    if file.table is UPDATES_TABLE:  # every update belongs to an outcome of the same file set
        schema["foreignKeys"] = [{"fields": ["outcome"],
                                  "reference": {"resource": resource_name(file, "outcomes.csv"), "fields": ["id"]}}]
    return schema


def resource_name(file: DataFile, name: str | None = None) -> str:
    """outcomes-csv, 2024-updates-csv: unique in the package, lowercase as the spec wants."""
    stem = (name or file.name).replace(".", "-")
    return f"{file.year}-{stem}" if file.year is not None else stem


def resource(file: DataFile) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "name": resource_name(file),
        "path": file.path.removeprefix("data/"),  # relative to datapackage.json
        "format": file.format,
        "mediatype": MEDIA_TYPES[file.format],
        "encoding": ENCODINGS[file.format],
        "bytes": file.byte_count,
        "hash": "sha256:" + hashlib.sha256(file.data).hexdigest(),
        "description": (f"{file.year}年的协商活动：" if file.year is not None else "") + file.description,
    }
    if file.format == "csv":
        descriptor = {**descriptor, "type": "table", "schema": table_schema(file)}
    return descriptor


def package_name(site: SiteInfo) -> str:
    """The site's address as a package name: huiyin.example.org (lowercase, ., -, _)."""
    parts = urlsplit(site.url)
    return re.sub(r"[^a-z0-9._-]+", "-", f"{parts.netloc}{parts.path}".lower()).strip("-") or "huiyin"


def datapackage(data: OpenData, site: SiteInfo, now: datetime) -> bytes:
    page = site.absolute(DATA_PAGE)
    package: dict[str, Any] = {
        "$schema": PACKAGE_PROFILE,
        "name": package_name(site),
        "title": f"{site.name} · 开放数据",
        "description": "全部已公开的协商活动、问题及建议和逐项办理进展；字段说明见 " + page,
        "homepage": page,
        "created": now.isoformat(timespec="seconds"),
        "sources": [{"title": site.name, "path": site.url}],
    }
    if site.data_license:
        package["licenses"] = [{"title": site.data_license, "path": page}]
    package["resources"] = [resource(f) for f in data.files]
    return (json.dumps(package, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def open_data_files(corpus: Corpus, site: SiteInfo) -> dict[str, bytes]:
    """{site path: bytes} of the open data and its data package; published records only."""
    data = open_data(corpus, site)
    files = {f.path: f.data for f in data.files}
    files[data_path("datapackage.json")] = datapackage(data, site, corpus.now)
    return files
