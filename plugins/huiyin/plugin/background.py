"""Write the outputs that are not pages (feeds, open data) on the second core.

They depend only on the corpus, which is complete before MkDocs writes the
first page, and MkDocs renders pages on one core. So at the start of page
writing the build forks: the child writes feeds and open data while the
parent renders pages, and the parent collects the child at the end. On a
2-core machine this takes their whole cost off the build's wall time.

Forking is only done where it is safe and cheap: a POSIX `fork` and no other
threads in the process (`mkdocs build`). Elsewhere (`mkdocs serve` runs a web
server and a file watcher in threads) the same function runs in-process at
the end, as before.
"""

from __future__ import annotations

import multiprocessing
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path


def write_files(site_dir: Path, outputs: dict[str, bytes]) -> None:
    for path, data in sorted(outputs.items()):
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _child(make: Callable[[], dict[str, bytes]], site_dir: Path, report: Connection) -> None:
    try:
        write_files(site_dir, make())
        report.send(None)
    except BaseException:  # everything goes back to the parent, which fails the build
        report.send(traceback.format_exc())


class SideOutputs:
    """Outputs computed by ``make`` and written into ``site_dir``, in a child if possible."""

    def __init__(self, make: Callable[[], dict[str, bytes]], site_dir: Path):
        self.make = make
        self.site_dir = site_dir
        self.process: multiprocessing.process.BaseProcess | None = None
        self.report: Connection | None = None

    @classmethod
    def start(cls, make: Callable[[], dict[str, bytes]], site_dir: Path) -> SideOutputs:
        outputs = cls(make, site_dir)
        if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
            context = multiprocessing.get_context("fork")
            outputs.report, child_end = context.Pipe(duplex=False)
            outputs.process = context.Process(target=_child, args=(make, site_dir, child_end), daemon=True)
            outputs.process.start()
            child_end.close()
        return outputs

    @property
    def in_background(self) -> bool:
        return self.process is not None

    def finish(self) -> None:
        """Wait for the child (or do the work now); raise RuntimeError with its traceback if it failed."""
        if self.process is None or self.report is None:
            write_files(self.site_dir, self.make())
            return
        try:
            failure = self.report.recv()
        except EOFError:
            failure = "子进程意外退出"
        self.process.join()
        if failure is not None or self.process.exitcode != 0:
            raise RuntimeError(failure or f"exit code {self.process.exitcode}")

    def abandon(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()
