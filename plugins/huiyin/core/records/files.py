"""Finding a content folder's files and reading them within limits.

Every problem is logged against the file as staff see it (``shown``): the build
names files relative to the working folder, ``huiyin check`` by absolute path
so that it can match them to the paths it was asked about.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .fields import SLUG
from .links import check_body_links
from .privacy import check_personal_data
from .problems import Problem, ProblemLog, display_path
from .source import Mapping, RecordSource, SourceError, decode, split_record

# Published as they are, these would run as code on the site's own domain.
ACTIVE_SUFFIXES = {".html", ".htm", ".xhtml", ".js", ".mjs"}

MAX_FILE_BYTES = 2_000_000  # a record is prose and a few lists; more is a mistake
YEAR_FOLDER = re.compile(r"^[1-9][0-9]{3}$")  # ASCII: "２０２１" or "0000" is no year


@dataclass
class ContentFiles:
    """A content folder, and the problems found in its files so far."""

    root: Path
    shown: Callable[[Path, Path], str] = display_path  # (path, root) -> what staff read
    problems: list[Problem] = field(default_factory=list)

    def log_for(self, path: Path) -> ProblemLog:
        return ProblemLog(self.shown(path, self.root), self.problems)

    def log_for_source(self, source_path: str) -> ProblemLog:
        """The log of a record named by its path relative to the content folder."""
        return self.log_for(self.root / source_path)

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def read_bytes(self, path: Path, log: ProblemLog) -> bytes | None:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            log.add(None, f"文件过大（{size // 1024} KB）", f"单个记录应小于 {MAX_FILE_BYTES // 1000} KB，请拆分或精简")
            return None
        return path.read_bytes()

    def read_text(self, path: Path, log: ProblemLog) -> str | None:
        raw = self.read_bytes(path, log)
        if raw is None:
            return None
        try:
            return decode(raw)
        except SourceError as error:
            log.add(error.line, error.message, error.hint)
            return None

    def read_record(self, path: Path, log: ProblemLog) -> RecordSource | None:
        text = self.read_text(path, log)
        return None if text is None else record_of(text, log)

    def is_content_file(self, relative: str) -> bool:
        candidate = (self.root / relative).resolve()
        return candidate.is_file() and self.root.resolve() in candidate.parents

    @cached_property
    def listing(self) -> list[str]:
        """Every file under the root, relative, in path order: one walk of the folder per load.

        Four globs over it (sessions, platforms, pages, active files) cost
        ≈ 0.1 s at 2,000 sessions in pathlib alone, a fifth of a warm load.
        Symbolic links to folders are followed, as MkDocs follows them.
        """
        found = []
        for folder, _, names in os.walk(self.root, followlinks=True):
            base = os.path.relpath(folder, self.root).replace(os.sep, "/")
            found += [name if base == "." else f"{base}/{name}" for name in names]
        return sorted(found, key=lambda relative: relative.split("/"))

    def files_under(self, folder: str, suffix: str) -> list[Path]:
        """Files in ``folder`` (and below) whose name ends in ``suffix``, in path order."""
        prefix = folder + "/"
        return [self.root / relative for relative in self.listing
                if relative.startswith(prefix) and relative.endswith(suffix)]

    # -- where records live ------------------------------------------------

    def platform_files(self, report: bool = True) -> list[Path]:
        """Platform files where they belong; the others are reported (unless ``report`` is off)."""
        folder = self.root / "platforms"
        found: list[Path] = []
        for path in self.files_under("platforms", ".md"):
            log = self.log_for(path) if report else ProblemLog(str(path), [])
            if path.parent != folder:
                log.add(None, "平台文件应直接放在 platforms/ 下", "移到 platforms/<slug>.md")
            elif not SLUG.match(path.stem):
                log.add(None, f"文件名「{path.name}」不合规",
                        "文件名即平台 slug：只用小写英文字母、数字和连字符（拼音），如 qingting-yu-shangliang.md")
            else:
                found.append(path)
        return found

    def session_files(self) -> list[tuple[Path, int]]:
        """Session files where they belong, with their year; the others are reported."""
        folder = self.root / "sessions"
        found: list[tuple[Path, int]] = []
        for path in self.files_under("sessions", ".md"):
            relative = path.relative_to(folder)
            if relative.as_posix() == "index.md":
                continue
            parts = relative.parts
            if len(parts) != 2 or not YEAR_FOLDER.match(parts[0]):
                self.log_for(path).add(None, "协商活动文件应放在 sessions/<年份>/<slug>.md", "如 sessions/2021/tingche-nan.md")
                continue
            if not SLUG.match(path.stem):
                self.log_for(path).add(None, f"文件名「{path.name}」不合规", "只用小写英文字母、数字和连字符（拼音），如 tingche-nan.md")
                continue
            found.append((path, int(parts[0])))
        return found

    # -- the other files, which are published too --------------------------

    def check_pages(self) -> None:
        """Personal numbers in the other Markdown pages (index.md, tags.md…): they are published too."""
        for path in (self.root / name for name in self.listing if name.endswith(".md")):
            relative = path.relative_to(self.root)
            if is_record_file(relative) or any(part.startswith(".") for part in relative.parts):
                continue
            log = self.log_for(path)
            text = self.read_text(path, log)
            if text is None:
                continue
            page = _page_of(text)
            check_personal_data(log, page.meta, page.body, page.body_line, path.name)
            check_body_links(log, page.body, page.body_line)

    def check_no_active_files(self) -> None:
        """Files that would run in a reader's browser if published as they are.

        MkDocs copies every other file of the content folder to the site
        unchanged; an .html or .js file there is code on our own domain.
        """
        for path in (self.root / name for name in self.listing):
            if path.suffix.lower() in ACTIVE_SUFFIXES and path.is_file():
                self.log_for(path).add(
                    None,
                    f"内容目录里不能放网页或脚本文件（{path.suffix.lower()}）",
                    "它会原样发布并在读者的浏览器里运行；请删除，正文内容请写成 Markdown（.md）",
                )


def record_of(text: str, log: ProblemLog) -> RecordSource | None:
    try:
        return split_record(text)
    except SourceError as error:
        log.add(error.line, error.message, error.hint)
        return None


def _page_of(text: str) -> RecordSource:
    try:
        page = split_record(text) if text.startswith("---") else None
    except SourceError:
        page = None  # MkDocs reads it as it can; we still check every line
    return page if page is not None else RecordSource(Mapping(), text, 1)


def is_record_file(relative: Path) -> bool:
    folder = relative.parts[0]
    return folder == "platforms" or (folder == "sessions" and relative.as_posix() != "sessions/index.md")
