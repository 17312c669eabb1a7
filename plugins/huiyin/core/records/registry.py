"""The registry records refer to: departments by name or alias, platforms by slug.

Read before any session, because sessions name both. The platform tree is
linked here and checked for unknown parents and cycles, so everything above
can walk ``platform.ancestors`` without guarding against loops.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..base.workdays import WorkCalendar, default_calendar
from . import schema
from .entities import Department, Platform
from .fields import SLUG, Fields, excerpt, join_hints, suggest
from .files import ContentFiles
from .handling import read_period
from .links import check_body_links
from .privacy import check_personal_data
from .problems import ProblemLog
from .source import Mapping, RecordSource, Sequence, SourceError, parse_yaml
from .vocab import Level


@dataclass
class DepartmentDirectory:
    """Resolves a department written by name or alias to its one entry."""

    departments: list[Department] = field(default_factory=list)
    by_name: dict[str, Department] = field(default_factory=dict)
    by_slug: dict[str, Department] = field(default_factory=dict)

    def resolve(self, written: str) -> Department | None:
        return self.by_name.get(written.strip())

    def names(self) -> list[str]:
        return sorted(self.by_name)


@dataclass
class Registry:
    directory: DepartmentDirectory
    platforms: dict[str, Platform]
    calendar: WorkCalendar = field(default_factory=default_calendar)  # deadlines count in working days


def page_meta(meta: Mapping) -> dict[str, Any]:
    """The front matter meant for the site generator rather than the record."""
    return {key: meta[key] for key in schema.THEME_KEYS | {"title"} if key in meta}


def read_registry(files: ContentFiles) -> Registry:
    directory = read_departments(files)
    platforms, parent_lines = read_platforms(files)
    link_platforms(files, platforms, parent_lines)
    return Registry(directory, platforms)


# -- departments ---------------------------------------------------------------


def read_departments(files: ContentFiles) -> DepartmentDirectory:
    directory = DepartmentDirectory()
    path = files.root / "departments.yml"
    log = files.log_for(path)
    if not path.is_file():
        log.add(None, "找不到承办单位名录 departments.yml", "在内容目录下建立该文件，列出所有承办单位")
        return directory
    entries = _yaml_of(files, path, log)
    if entries is None:
        return directory
    if not isinstance(entries, Sequence):
        log.add(1, "departments.yml 应为列表，每个单位以“- slug: …”开头", "参见《录入指南》")
        return directory
    check_personal_data(log, entries, waivable=False)
    slugs: dict[str, int] = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            log.add(entries.line_of(index), f"第 {index + 1} 项应为含 slug、name 的映射", "参见《录入指南》")
            continue
        _add_department(directory, Fields(entry, log, f"[{index + 1}].", schema.DEPARTMENT), slugs)
    return directory


def _yaml_of(files: ContentFiles, path: Path, log: ProblemLog) -> Any:
    text = files.read_text(path, log)
    if text is None:
        return None
    try:
        return parse_yaml(text)
    except SourceError as error:
        log.add(error.line, error.message, error.hint)
        return None


def _add_department(directory: DepartmentDirectory, fields: Fields, slugs: dict[str, int]) -> None:
    fields.check_keys()
    slug = fields.text("slug")
    name = fields.text("name")
    aliases = fields.text_list("aliases")
    if slug is None or name is None:
        return
    if not SLUG.match(slug):
        fields.problem("slug", f"承办单位 slug「{excerpt(slug)}」不合规", "只用小写英文字母、数字和连字符，如 qd-zhujian")
    if slug in slugs:
        fields.problem("slug", f"承办单位 slug「{excerpt(slug)}」重复（第 {slugs[slug]} 行已用）", "每个单位的 slug 必须唯一")
        return
    slugs[slug] = fields.line("slug")
    department = Department(slug=slug, name=name, aliases=aliases)
    for written in (name, *aliases):
        holder = directory.by_name.get(written)
        if holder is not None and holder is not department:
            fields.problem(
                "aliases" if written != name else "name",
                f"名称或别名「{excerpt(written)}」同时属于「{holder.name}」",
                "一个名称只能指向一个单位，请删去或改写其中一个",
            )
            continue
        directory.by_name[written] = department
    directory.departments.append(department)
    directory.by_slug[slug] = department


# -- platforms -----------------------------------------------------------------


def read_platforms(files: ContentFiles) -> tuple[dict[str, Platform], dict[str, int]]:
    """Every platform by slug, and the line of each one's ``parent`` key."""
    platforms: dict[str, Platform] = {}
    parent_lines: dict[str, int] = {}
    for path in files.platform_files():
        log = files.log_for(path)
        record = files.read_record(path, log)
        if record is not None:
            fields = Fields(record.meta, log, schema=schema.PLATFORM)
            platform = _platform(files, path, fields, record)
            parent_lines[platform.slug] = fields.line("parent")
            platforms[platform.slug] = platform
    return platforms, parent_lines


def _platform(files: ContentFiles, path: Path, fields: Fields, record: RecordSource) -> Platform:
    fields.check_keys()
    parent = fields.text("parent")
    if parent is not None and not SLUG.match(parent):
        fields.problem("parent", f"上级平台「{excerpt(parent)}」不是平台 slug", "写上级平台文件名（不含 .md），如 youshi-lai-shangliang")
    logo = fields.text("logo")
    if logo is not None and not files.is_content_file(logo):
        fields.problem("logo", f"找不到标志图片「{excerpt(logo)}」", "写 content/ 下的相对路径，如 assets/logos/x.png，并确认文件存在")
        logo = None
    platform = Platform(
        slug=path.stem,
        name=fields.text("name") or path.stem,
        level=fields.vocabulary("level", Level) or Level.CITY,
        region=fields.text("region") or "",
        source_path=files.relative(path),
        parent_slug=parent,
        organizers=fields.text_list("organizers"),
        launched=fields.month_or_day("launched"),
        annual_target=fields.integer("annual_target", minimum=1),
        answer_within=read_period(fields, "answer_within"),
        venue=fields.text("venue"),
        hours=fields.text("hours"),
        contact=fields.text("contact"),
        logo=logo,
        body=record.body,
        page_meta=page_meta(record.meta),
    )
    check_personal_data(fields.log, record.meta, record.body, record.body_line, path.name)
    check_body_links(fields.log, record.body, record.body_line)
    return platform


def link_platforms(files: ContentFiles, platforms: dict[str, Platform], parent_lines: dict[str, int]) -> None:
    """Parents to children; unknown parents and cycles are reported."""
    for platform in platforms.values():
        if platform.parent_slug is None:
            continue
        parent = platforms.get(platform.parent_slug)
        if parent is None:
            files.log_for_source(platform.source_path).add(
                parent_lines[platform.slug],
                f"上级平台「{platform.parent_slug}」不存在",
                join_hints(suggest(platform.parent_slug, sorted(platforms)), "写 platforms/ 下已有的平台 slug"),
            )
            continue
        platform.parent = parent
        parent.children.append(platform)
    for platform in platforms.values():
        if _in_cycle(platform):
            files.log_for_source(platform.source_path).add(
                parent_lines[platform.slug],
                "上级平台形成循环（某平台最终成了自己的上级）",
                "检查这些平台的 parent：" + " → ".join(_cycle_path(platform)),
            )
    for platform in platforms.values():
        platform.children.sort(key=lambda child: child.slug)


def _in_cycle(platform: Platform) -> bool:
    seen: set[str] = set()
    node: Platform | None = platform
    while node is not None:
        if node.slug in seen:
            return node is platform
        seen.add(node.slug)
        node = node.parent
    return False


def _cycle_path(platform: Platform) -> list[str]:
    path = [platform.slug]
    node = platform.parent
    while node is not None and node is not platform:
        path.append(node.slug)
        node = node.parent
    return path + [platform.slug]
