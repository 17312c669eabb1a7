"""Write the outputs that are not pages (search index, feeds, open data) on the second core.

They depend only on the corpus, which is complete before MkDocs renders the
first page, and MkDocs renders pages on one core. So before rendering starts
the build forks: the child writes the search index, the feeds and the open
data (core/outputs/side.py says what and in which order) while the parent
renders pages, and the parent collects the child at the end. On a 2-core
machine this takes most of their cost off the build's wall time.

Where forking is not safe (`mkdocs serve` runs a web server and a file
watcher in threads; see core/base/forking.py) they are written after the
pages, in a thread, without holding up the served pages (``LatestOnly``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import traceback
from collections.abc import Callable
from pathlib import Path

from ..core.base.forking import ForkedCall, ForkedCallFailed, can_fork


class SideOutputs:
    """Outputs that ``work`` writes into the site folder, in a child if possible.

    ``work`` returns "" when all went well, or a message for staff saying what
    failed and what to do.
    """

    def __init__(self, work: Callable[[], str]):
        self.work = work
        self.child: ForkedCall | None = None

    @classmethod
    def start(cls, work: Callable[[], str]) -> SideOutputs:
        outputs = cls(work)
        if can_fork():
            outputs.child = ForkedCall(lambda: work().encode("utf-8"))
        return outputs

    def finish(self) -> str:
        """Wait for the child (or do the work now) and return its message; RuntimeError if it crashed."""
        if self.child is None:
            return self.work()
        try:
            return self.child.result().decode("utf-8")
        except ForkedCallFailed as failure:
            raise RuntimeError(str(failure)) from None

    def abandon(self) -> None:
        if self.child is not None:
            self.child.abandon()


class LatestOnly:
    """Side outputs under `mkdocs serve`: after the pages, in a thread, and only the newest build's.

    A save should show its pages at once, not after the search index, feeds
    and open data (about a third of a build's work at 2,000 sessions), so the
    served pages come first and these follow. Each run writes into a folder of
    its own beside the site folder and moves its files into place only if no
    newer build has started meanwhile (``supersede``, under the same lock): a
    stale run is discarded, and nothing is ever written into a site folder a
    newer build is emptying or rewriting. Files the previous run placed that
    this one does not write (a department's feed, gone with the department)
    are removed, as a fresh build would not have them.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.generation = 0
        self.placed: set[str] = set()  # site paths the last run moved into place

    def supersede(self) -> None:
        """A newer build starts: no older run moves anything into the site folder from now on."""
        with self.lock:
            self.generation += 1

    def start(self, site_dir: Path, work: Callable[[Path], str], done: Callable[[str], None]) -> threading.Thread:
        """Run ``work(folder)`` in a thread; ``done`` hears its message ("" when all went well) if still current."""
        thread = threading.Thread(target=self._run, args=(self.generation, site_dir, work, done), daemon=True)
        thread.start()
        return thread

    def _run(self, generation: int, site_dir: Path, work: Callable[[Path], str], done: Callable[[str], None]) -> None:
        staging = Path(tempfile.mkdtemp(prefix="huiyin-side-", dir=site_dir.parent))
        try:
            problem = work(staging)
            with self.lock:
                if generation != self.generation:
                    return
                if not problem:
                    self._place(staging, site_dir)
            done(problem)
        except Exception:  # a thread's exception would vanish: say what happened
            done(f"huiyin: 站内搜索、RSS 订阅或开放数据生成失败：\n{traceback.format_exc()}")
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _place(self, staging: Path, site_dir: Path) -> None:
        written = {path.relative_to(staging).as_posix() for path in staging.rglob("*") if path.is_file()}
        for relative in sorted(written):
            target = site_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / relative, target)
        for relative in self.placed - written:
            (site_dir / relative).unlink(missing_ok=True)
        self.placed = written
