"""Write the outputs that are not pages (search index, feeds, open data) on the second core.

They depend only on the corpus, which is complete before MkDocs renders the
first page, and MkDocs renders pages on one core. So before rendering starts
the build forks: the child writes the search index, the feeds and the open
data (core/outputs/side.py says what and in which order) while the parent
renders pages, and the parent collects the child at the end. On a 2-core
machine this takes most of their cost off the build's wall time.

Where forking is not safe (`mkdocs serve` runs a web server and a file
watcher in threads; see core/base/forking.py) the same function runs in-process at
the end.
"""

from __future__ import annotations

from collections.abc import Callable

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
