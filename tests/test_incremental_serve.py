"""`mkdocs serve --dirty` (`./dev serve`) rebuilds only what a save changed, and
what it serves is what a fresh `mkdocs build` of the same content writes.

A real dev server (subprocess, on a free 127.0.0.1 port: the watcher, the
debounce and the web server are the parts most likely to differ from an
in-process call) serves a generated province-shaped corpus of 100 sessions.
After each edit the test waits for the rebuild and for the search index,
feeds and open data that follow it, then compares every file of the serve
build's site folder (found under the TMPDIR given to the server) with a fresh
build into another folder, byte for byte. Both use the same site_url, the same
SOURCE_DATE_EPOCH, and drafts_on_serve off (served drafts are a deliberate
difference); the livereload script is injected only into HTTP responses, so
the files on disk need no normalising.
"""

from __future__ import annotations

import difflib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from sitebuilder import REPO, SiteFolder, front_matter
from test_live_preview import free_port

WAIT = 120.0  # seconds for one rebuild and its side outputs; a full one takes ~10 on a busy 2-core machine
BUILT = "页面已生成"  # the plugin's; MkDocs drops a repeated "Documentation built in 2.00 seconds"
SIDE = "站内搜索、订阅和开放数据已更新"
INCREMENTAL = re.compile(r"增量重建：(\d+) / (\d+) 个")
EDITED = "sessions/2024/linfen-x15-00053.md"  # chosen once from the generated corpus: held, with outcomes
EDITED_PAGE = "sessions/2024/linfen-x15-00053/index.html"
NEW_TITLE = "保护利用历史文化街区（修订标题）"


def _generator() -> object:
    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


GENERATE = _generator()
EPOCH = str(GENERATE.BENCH_EPOCH)  # type: ignore[attr-defined]


class Served:
    """A `mkdocs serve --dirty` of ``folder``, its log, and the site folder it serves from."""

    def __init__(self, folder: SiteFolder, tmp: Path, port: int):
        self.folder = folder
        self.temp = tmp / "serve-tmp"
        self.temp.mkdir()
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": EPOCH, "TMPDIR": str(self.temp)}
        self.log_path = tmp / "serve.log"
        self.log_file = self.log_path.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
            cwd=folder.root, env=env, stdout=self.log_file, stderr=subprocess.STDOUT,
        )

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8")

    @property
    def site(self) -> Path:
        found = sorted(self.temp.glob("mkdocs_*"))
        assert len(found) == 1, found
        return found[0]

    def settled(self, builds_before: int) -> str:
        """Wait for a build after ``builds_before`` and the side outputs that follow the last one."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log
            log = self.log
            if log.count(BUILT) > builds_before and log.rfind(SIDE) > log.rfind(BUILT):
                time.sleep(1.0)  # a second event of the same save (editors write twice) would start one more
                if self.log == log:
                    return log
            time.sleep(0.2)
        pytest.fail(f"no rebuild within {WAIT:.0f} s; server log:\n{self.log}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log_file.close()


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_same_as_fresh_build(served: Served, step: str) -> None:
    fresh = served.folder.build(strict=False, epoch=EPOCH, site_dir="fresh")
    assert fresh.returncode == 0, fresh.log
    theirs, ours = files_of(fresh.site), files_of(served.site)
    missing, extra = sorted(theirs.keys() - ours.keys()), sorted(ours.keys() - theirs.keys())
    differ = sorted(path for path in theirs.keys() & ours.keys() if theirs[path] != ours[path])
    assert not (missing or extra or differ), (
        f"after {step}: served site differs from a fresh build\n"
        f"missing: {missing[:20]}\nextra: {extra[:20]}\ndiffer: {differ[:20]}\n"
        + (first_difference(theirs[differ[0]], ours[differ[0]], differ[0]) if differ else "")
    )
    shutil.rmtree(fresh.site)


def first_difference(fresh: bytes, served: bytes, path: str) -> str:
    """The lines of one file that differ, so that a failure says what a page missed."""
    lines = difflib.unified_diff(
        fresh.decode("utf-8", "replace").splitlines(), served.decode("utf-8", "replace").splitlines(),
        f"fresh/{path}", f"served/{path}", n=0, lineterm="",
    )
    return "\n".join(line[:300] for line in list(lines)[:20])


def rewrite(folder: SiteFolder, relative: str, change: object) -> None:
    """Load a record's front matter, let ``change`` edit it, write it back."""
    path = folder.content / relative
    _, meta_text, body = path.read_text(encoding="utf-8").split("---\n", 2)
    meta = yaml.safe_load(meta_text)
    change(meta)  # type: ignore[operator]
    path.write_text(front_matter(meta, body), encoding="utf-8")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("incremental")
    port = free_port()
    folder = SiteFolder(tmp, with_defaults=False, plugin_options={"drafts_on_serve": False})
    GENERATE.generate(folder.content, 100)  # type: ignore[attr-defined]
    config = folder.root / "mkdocs.yml"
    config.write_text(
        re.sub(r"(?m)^site_url: .*$", f"site_url: http://127.0.0.1:{port}/", config.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    server = Served(folder, tmp, port)
    try:
        server.settled(0)
        yield server
    finally:
        server.stop()


def last_incremental(log: str) -> tuple[int, int]:
    found = INCREMENTAL.findall(log)
    assert found, "the rebuild was not incremental"
    rendered, pages = found[-1]
    return int(rendered), int(pages)


def edit_title(meta: dict) -> None:
    meta["title"] = NEW_TITLE


def undo_last_update(meta: dict) -> None:
    outcome = next(o for o in meta["outcomes"] if len(o["updates"]) > 1)
    outcome["updates"].pop()


def rename_department(path: Path) -> None:
    """A department renamed; records still name it by its old name, now an alias."""
    departments = yaml.safe_load(path.read_text(encoding="utf-8"))
    renamed = next(d for d in departments if d["name"].startswith("临汾市"))
    renamed["aliases"] = [*renamed.get("aliases", []), renamed["name"]]
    renamed["name"] = renamed["name"] + "（更名）"
    path.write_text(yaml.safe_dump(departments, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_served_site_equals_a_fresh_build_after_every_edit(served: Served) -> None:
    folder = served.folder
    assert (folder.content / EDITED).is_file()
    assert_same_as_fresh_build(served, "the first build")

    # At most this share of pages rendered again: a title shows on its own page, its brand pages, the
    # lists and feedback pages it stands on; an added, deleted or re-statused outcome also changes the
    # counts of the feedback filter menu, which every feedback page shows. Never the other records' pages.
    def step(name: str, edit: object, *, incremental: bool, share: float = 0.5) -> None:
        before = served.log.count(BUILT)
        edit()  # type: ignore[operator]
        log = served.settled(before)
        if incremental:
            rendered, pages = last_incremental(log[log.rfind("Building documentation"):])
            assert 0 < rendered < pages * share, f"{name}: rendered {rendered} of {pages} pages"
        assert_same_as_fresh_build(served, name)

    step("editing a session's title", lambda: rewrite(folder, EDITED, edit_title), incremental=True, share=0.1)
    assert NEW_TITLE in (served.site / EDITED_PAGE).read_text("utf-8")

    added = "sessions/2024/linfen-x15-09999.md"
    source = re.sub(r"(?m)^number: \d+$", "number: 98", (folder.content / EDITED).read_text(encoding="utf-8"))
    step("adding a session", lambda: folder.write(added, source.replace(NEW_TITLE, "新增的一场协商")),
         incremental=True)
    deleted = sorted((folder.content / "sessions/2023").glob("*.md"))[0]
    step("deleting a session", lambda: deleted.unlink(), incremental=True)
    step("changing an outcome's status", lambda: rewrite(folder, EDITED, undo_last_update), incremental=True)

    county = sorted((folder.content / "platforms").glob("changzhi-x0*.md"))[0]
    step("editing a platform", lambda: rewrite(folder, f"platforms/{county.name}", lambda m: m.update(name="潞州区「有事好商量」")),
         incremental=False)
    step("editing departments.yml", lambda: rename_department(folder.content / "departments.yml"), incremental=False)
    config = folder.root / "mkdocs.yml"
    step("editing mkdocs.yml",
         lambda: config.write_text(config.read_text("utf-8").replace("site_description: ", "site_description: 修订："), "utf-8"),
         incremental=False)


def test_a_broken_record_shows_its_error_and_the_previous_site_stays(served: Served) -> None:
    page = served.site / EDITED_PAGE
    before_html = page.read_text(encoding="utf-8")
    before = served.log.count(BUILT)
    path = served.folder.content / EDITED
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("platform: linfen-x15", "platform: no-such-brand"), encoding="utf-8")
    deadline = time.monotonic() + WAIT
    while "no-such-brand" not in served.log and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "no-such-brand" in served.log, served.log  # the error names what is wrong
    assert served.log.count(BUILT) == before  # no build finished
    assert page.read_text(encoding="utf-8") == before_html  # the previous page is still served

    path.write_text(good, encoding="utf-8")
    served.settled(before)
    assert_same_as_fresh_build(served, "repairing the record")
