"""``huiyin export answers``: a sheet of the outcomes a department holds, to fill in.

Only published outcomes go into a sheet: it is mailed out of the office, so a
draft or an embargoed session in it would be published by e-mail. Without
``--all`` only the outcomes not yet concluded are listed — those are the ones
with an answer still to come.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..base.atomic import replace_files
from ..base.clock import today
from ..model.corpus import Corpus
from ..model.loading import load_corpus
from ..records.entities import Department, Outcome, Platform
from ..records.fields import join_hints, suggest
from ..records.problems import ContentError, display_path
from .answer_sheets import csv_bytes, sheet_values, workbook_bytes
from .workflow import StaffError, resolve_platform


@dataclass
class ExportRequest:
    departments: list[str] = field(default_factory=list)  # names or aliases, as staff wrote them
    platforms: list[str] = field(default_factory=list)  # slugs or names
    include_concluded: bool = False  # --all
    out: Path | None = None  # .xlsx or .csv; None: 答复表-<today>.xlsx here
    split_dir: Path | None = None  # one workbook per department in this folder


@dataclass(frozen=True)
class ExportedFile:
    path: Path
    rows: int
    department: Department | None = None


@dataclass
class ExportResult:
    files: list[ExportedFile]
    without_rows: list[Department] = field(default_factory=list)  # asked for (or split), nothing to send


def export_answers(root: Path, request: ExportRequest, now: datetime, here: Path) -> ExportResult:
    corpus = _published_corpus(root, now)
    departments = [_resolve_department(corpus, written) for written in request.departments]
    platforms = [corpus.platforms[resolve_platform(root, written)] for written in request.platforms]
    outcomes = select_outcomes(corpus, departments, platforms, request.include_concluded)
    if request.split_dir is not None:
        return _export_split(request.split_dir, outcomes, departments or corpus.departments)
    target = request.out or here / f"答复表-{today(now).isoformat()}.xlsx"
    data = _sheet_bytes(target, [sheet_values(o) for o in outcomes])
    _refuse_existing([target], root)
    replace_files({target: data})
    return ExportResult([ExportedFile(target, len(outcomes))])


def _published_corpus(root: Path, now: datetime) -> Corpus:
    if not root.is_dir():
        raise StaffError(f"找不到内容目录「{root}」", "在网站目录（有 mkdocs.yml 的目录）下运行，或用 --content 指定")
    try:
        return load_corpus(root, now)
    except ContentError as error:
        raise StaffError("内容有问题，没有导出答复表", "先改正下列问题（huiyin check 会列出同样的问题）",
                         problems=error.problems) from None


def _resolve_department(corpus: Corpus, written: str) -> Department:
    by_name = {name: d for d in corpus.departments for name in (d.name, *d.aliases)}
    found = by_name.get(written.strip())
    if found is None:
        raise StaffError(f"未知的承办单位「{written}」",
                         join_hints(suggest(written.strip(), sorted(by_name)), "写 departments.yml 中的全称或别名"))
    return found


def select_outcomes(corpus: Corpus, departments: list[Department], platforms: list[Platform],
                    include_concluded: bool) -> list[Outcome]:
    """Published outcomes held by any of ``departments`` (lead or assisting), on any of
    ``platforms`` or their sub-platforms; open ones only unless ``include_concluded``.

    Oldest session first: the longest-waiting answers head the sheet.
    """
    wanted = {d.slug for d in departments}
    on = {p.slug for platform in platforms for p in platform.descendants_and_self()}
    chosen: list[tuple[tuple[object, ...], Outcome]] = []
    for session in corpus.published_sessions:
        if on and session.platform.slug not in on:
            continue
        for index, outcome in enumerate(session.outcomes):
            if outcome.concluded and not include_concluded:
                continue
            if wanted and not wanted & {d.slug for d in outcome.departments}:
                continue
            chosen.append(((session.date, session.id, index), outcome))
    return [outcome for _, outcome in sorted(chosen, key=lambda pair: pair[0])]


def _export_split(folder: Path, outcomes: list[Outcome], departments: list[Department]) -> ExportResult:
    """One workbook per department, named by it: what an office mails to each."""
    files: dict[Path, tuple[Department, list[Outcome]]] = {}
    without: list[Department] = []
    for department in departments:
        held = [o for o in outcomes if department in o.departments]
        if held:
            files[folder / f"{_file_name(department.name)}.xlsx"] = (department, held)
        else:
            without.append(department)
    folder.mkdir(parents=True, exist_ok=True)
    _refuse_existing(list(files), folder)
    replace_files({path: workbook_bytes([sheet_values(o) for o in held]) for path, (_, held) in files.items()})
    exported = [ExportedFile(path, len(held), department) for path, (department, held) in files.items()]
    return ExportResult(exported, without)


def _file_name(name: str) -> str:
    """A department's name as a file name: the characters no file system takes are replaced."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip(" .") or "承办单位"


def _sheet_bytes(target: Path, rows: list[dict[str, object]]) -> bytes:
    suffix = target.suffix.lower()
    if suffix == ".xlsx":
        return workbook_bytes(rows)
    if suffix == ".csv":
        return csv_bytes(rows)
    raise StaffError(f"答复表「{target.name}」的扩展名应为 .xlsx 或 .csv", "如 --out 住建局答复表.xlsx")


def _refuse_existing(targets: list[Path], root: Path) -> None:
    """A sheet already there may be one a department filled in: never overwrite it."""
    existing = [t for t in targets if t.exists()]
    if existing:
        names = "、".join(display_path(t, root) for t in existing[:5]) + ("等" if len(existing) > 5 else "")
        raise StaffError(f"文件已存在，未覆盖：{names}", "换一个 --out 或文件夹，或先把已有的文件移走")
