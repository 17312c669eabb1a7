"""Incremental rebuilds under `mkdocs serve --dirty`: render only the pages a save changed.

Plain `mkdocs serve` renders every page on every save: at 2,000 sessions the
edited title shows after ~18 s. The core says which pages a change touches
(core/views/changes.py: a digest of what each page shows, compared with the
previous build's); this module makes MkDocs render just those, through its
own `--dirty` mechanism, which skips a page for which ``File.is_modified()``
is false:

1. on_config: the plan's fingerprint, and a digest of every input the core
   does not track (mkdocs.yml, the templates, every file under the content
   folder that is no record, the partial-preview variables). Any change
   there, an error in the previous build, or a change of platforms,
   departments or the day: everything is rendered, into an emptied site folder,
   as a plain build would (MkDocs does not empty it under --dirty).
2. on_files: outputs of pages that are gone (a deleted session, a shorter
   list) are removed; each page's ``is_modified`` answers from the plan
   (``prepare``), so MkDocs reads and renders a changed or new page and skips
   an unchanged one.
3. on_nav, before MkDocs reads the pages: each skipped page still goes
   through MkDocs' markdown event, with its front matter and no body
   (``read_unchanged``). Material's tags plugin collects tags there, and
   tags.md lists every tagged page; reading and rendering the bodies of
   2,000 unchanged pages instead would take ~5 s of a rebuild (Markdown and
   the sanitiser).

Staff-written pages (index.md with the home figures, tags.md) are always
rendered: they are few and depend on every record.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import clean_directory

from ..core.model.preview import ENV_PLATFORMS, ENV_YEARS
from ..core.outputs.templates import template_folder
from ..core.views.changes import SiteFingerprint, fingerprint
from ..core.views.plan import SitePlan

log = logging.getLogger("mkdocs.plugins.huiyin")


@dataclass(frozen=True)
class Built:
    """What the site folder holds after a successful build."""

    fingerprint: SiteFingerprint
    inputs: str  # digest of the untracked inputs


class TemplateCodeCache(BytecodeCache):
    """Compiled templates kept in memory from one rebuild to the next.

    MkDocs makes a new Jinja environment for every build, so each rebuild
    compiled Material's and our ~50 templates again: ~1 s of a 2,000-session
    rebuild (3.6 s of a profiled one). Jinja checks each bucket against a
    checksum of the template's source, so an edited template is compiled
    afresh (and it makes the rebuild a full one in any case).
    """

    def __init__(self) -> None:
        self.code: dict[str, tuple[str, bytes]] = {}  # bucket key → (source checksum, marshalled code)

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self.code.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.bytecode_from_string(found[1])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = (bucket.checksum, bucket.bytecode_to_string())


class CollectorPause:
    """Python's cyclic garbage collector held off while `mkdocs serve` rebuilds, and let run after.

    Serve keeps every page, the records and the compiled templates alive
    between rebuilds (≈ 600 MB at 2,000 sessions), and each rebuild allocates
    enough to set off full collections that walk all of it: 0.5–0.9 s of a
    2.2–2.7 s rebuild after one save, measured in-process (1.7–1.8 s with the
    collector off). Held off from the first event to the last, a rebuild's
    cyclic garbage waits until the pages are served; the collector then runs
    on its own thresholds, while staff read the page. Only for rebuilds of a
    few pages: held off through a full build, serve's peak at 2,000 sessions
    rose from ≈ 590 MB to ≈ 710 MB.
    """

    def __init__(self) -> None:
        self.paused = False

    def pause(self) -> None:
        if not self.paused and gc.isenabled():
            gc.disable()
            self.paused = True

    def resume(self) -> None:
        if self.paused:
            gc.enable()
            self.paused = False


class IncrementalServe:
    """State kept between the rebuilds of one `mkdocs serve --dirty` (MkDocs keeps plugin instances)."""

    def __init__(self) -> None:
        self.last: Built | None = None  # None: render everything next time
        self.outputs: set[str] = set()  # pages' output files (site paths) of the last build
        self.pending: Built | None = None
        self.render: frozenset[str] | None = None  # this build's changed pages; None: all
        self.unchanged: list[File] = []  # pages MkDocs skips this time: their last output stands
        self.templates = TemplateCodeCache()  # set on each build's Jinja environment (on_env)

    def plan(self, config: MkDocsConfig, plan: SitePlan, held_out: frozenset[str]) -> bool:
        """1. Decide what this build renders (after the records loaded without error); False: everything."""
        built = Built(fingerprint(plan), untracked_inputs(config, plan, held_out))
        last, self.pending = self.last, built
        if last is None or last.inputs != built.inputs:
            self.render = None
        else:
            self.render = built.fingerprint.changed_since(last.fingerprint)
        if self.render is None:
            log.info("huiyin: 全站重新生成（首次构建，或改动了 mkdocs.yml、模板、非记录文件、平台或部门）")
        else:
            log.info("huiyin: 增量重建：%d / %d 个记录页和生成页有变化", len(self.render), len(built.fingerprint.pages))
        return self.render is not None

    def start(self, site_dir: str) -> None:
        """The site folder is about to change: a build that fails from here on leaves it unknown."""
        self.last = None
        if self.render is None:
            clean_directory(site_dir)
            self.outputs = set()

    def prepare(self, files: Files, site_dir: str) -> None:
        """2. Remove the outputs of pages that are gone; tell MkDocs which pages to skip.

        MkDocs asks ``File.is_modified()`` of every page twice per dirty
        build, and its own answer compares the output's and the source's
        times: three stat calls each time. Dating the outputs so that it
        answered as the plan says cost three more per page (≈ 200,000 calls
        per rebuild at 20,000 sessions). Each call lets `mkdocs serve`'s
        polling watcher, which walks the content folder twice a second
        (≈ 0.2 s a walk at 20,000), take the interpreter: in-process at
        20,000 a rebuild took ≈ 8 s alone and ≈ 11 s beside such a watcher.
        So each page's File answers from the plan instead, without a stat.
        Files are made afresh for every build, and every page's answer is set
        here on every build, so no answer outlives its plan.
        """
        assert self.pending is not None
        pages = list(files.documentation_pages(inclusion=InclusionLevel.is_in_serve))
        outputs = {file.dest_uri for file in pages}
        for gone in sorted(self.outputs - outputs):
            _remove(Path(site_dir), gone)
        written, self.outputs = self.outputs, outputs  # the last build's pages are in the site folder
        skip = frozenset() if self.render is None else frozenset(self.pending.fingerprint.pages) - self.render
        self.unchanged = []
        for file in pages:
            kept = file.src_uri in skip and file.dest_uri in written
            file.is_modified = _unchanged if kept else _changed  # type: ignore[method-assign]
            if kept:
                self.unchanged.append(file)

    def read_unchanged(self, files: Files, config: MkDocsConfig) -> None:
        """3. Skipped pages: their front matter through the markdown event, for the plugins that collect it."""
        for file in self.unchanged:
            page = file.page or Page(None, file, config)
            page.markdown = ""  # the plugin's on_page_markdown sets a record's meta from the plan
            page.markdown = config.plugins.on_page_markdown("", page=page, config=config, files=files)

    def finished(self) -> None:
        self.last, self.pending = self.pending, None


def _changed() -> bool:
    """``File.is_modified`` of a page this build renders."""
    return True


def _unchanged() -> bool:
    """``File.is_modified`` of a page this build skips: its output from the last build stands."""
    return False


def _remove(site_dir: Path, dest_uri: str) -> None:
    """Remove a page's output, and the folders it leaves empty (a fresh build has none of them)."""
    target = site_dir / dest_uri
    target.unlink(missing_ok=True)
    folder = target.parent
    while folder != site_dir and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def untracked_inputs(config: MkDocsConfig, plan: SitePlan, held_out: frozenset[str]) -> str:
    """A digest of what the page digests do not cover: mkdocs.yml, templates, content files that are no record.

    Files by name, size and modification time (≈ 30 ms for a content folder
    of 2,000 sessions, from the folder listing's own stats; with a Path and a
    stat call per file it was ≈ 0.1 s); the records are compared by content.
    """
    digest = hashlib.blake2b(digest_size=16)
    if config.config_file_path:
        digest.update(Path(config.config_file_path).read_bytes())
    digest.update(repr((os.environ.get(ENV_PLATFORMS), os.environ.get(ENV_YEARS))).encode("utf-8"))
    records = {*plan.record_sources, *held_out}
    folders = [Path(config.docs_dir), Path(template_folder())]
    if config.theme.custom_dir:
        folders.append(Path(config.theme.custom_dir))
    for folder in folders:
        skip = records if folder == folders[0] else frozenset()
        for relative, stat in _files_with_stats(str(folder)):
            if relative not in skip:
                digest.update(f"{folder}\0{relative}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
    return digest.hexdigest()


def _files_with_stats(folder: str, relative: str = "") -> list[tuple[str, os.stat_result]]:
    """Every file below ``folder`` (symbolic links followed, as MkDocs does), in name order, with its stat."""
    found: list[tuple[str, os.stat_result]] = []
    with os.scandir(os.path.join(folder, relative) if relative else folder) as listing:
        entries = sorted(listing, key=lambda entry: entry.name)
    for entry in entries:
        name = f"{relative}/{entry.name}" if relative else entry.name
        if entry.is_dir():
            found += _files_with_stats(folder, name)
        elif entry.is_file():
            found.append((name, entry.stat()))
    return found
