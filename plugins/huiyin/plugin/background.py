"""Write the outputs that are not pages (feeds, open data) on the second core.

They depend only on the corpus, which is complete before MkDocs writes the
first page, and MkDocs renders pages on one core. So at the start of page
writing the build forks: the child writes feeds and open data while the
parent renders pages, and the parent collects the child at the end. On a
2-core machine this takes their whole cost off the build's wall time.

Where forking is not safe (`mkdocs serve` runs a web server and a file
watcher in threads; see core/forking.py) the same function runs in-process at
the end.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..core.forking import ForkedCall, ForkedCallFailed, can_fork


def write_files(site_dir: Path, outputs: dict[str, bytes]) -> None:
    for path, data in sorted(outputs.items()):
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


class SideOutputs:
    """Outputs computed by ``make`` and written into ``site_dir``, in a child if possible."""

    def __init__(self, make: Callable[[], dict[str, bytes]], site_dir: Path):
        self.make = make
        self.site_dir = site_dir
        self.child: ForkedCall | None = None

    @classmethod
    def start(cls, make: Callable[[], dict[str, bytes]], site_dir: Path) -> SideOutputs:
        outputs = cls(make, site_dir)
        if can_fork():
            outputs.child = ForkedCall(outputs.write)
        return outputs

    def write(self) -> bytes:
        write_files(self.site_dir, self.make())
        return b""

    def finish(self) -> None:
        """Wait for the child (or do the work now); raise RuntimeError with its traceback if it failed."""
        if self.child is None:
            self.write()
            return
        try:
            self.child.result()
        except ForkedCallFailed as failure:
            raise RuntimeError(str(failure)) from None

    def abandon(self) -> None:
        if self.child is not None:
            self.child.abandon()
