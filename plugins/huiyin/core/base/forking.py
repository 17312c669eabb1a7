"""Running part of a build in a forked copy of the process, on the second core.

A build renders pages on one core (MkDocs is single-threaded), and the
machines it runs on have two or more. A forked child starts with everything
the parent has loaded so far, for free, so work that needs that state (the
platforms, when reading half the session files; the whole corpus, when
writing feeds) can run beside the parent without being sent anywhere. Only
the child's result comes back, as bytes.

Forking is only done where it is safe: a POSIX `fork` and no other threads in
the process. A fork copies only the calling thread, so a lock held by another
thread (a web server's, a file watcher's — `mkdocs serve`) would stay held in
the child forever. Callers do the work in-process when `can_fork()` is false.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
import traceback
from collections.abc import Callable

_DONE, _FAILED = b"\x00", b"\x01"


def can_fork() -> bool:
    # macOS offers fork but its system libraries are not fork-safe (Python
    # itself defaults to spawn there); Windows has no fork at all.
    return (
        sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


class ForkedCallFailed(Exception):
    """The child raised (the message is its traceback) or died."""


class ForkedCall:
    """``work()`` run in a forked child from the moment of construction.

    ``result()`` waits for the bytes it returned. The caller checks
    ``can_fork()`` first.
    """

    def __init__(self, work: Callable[[], bytes]):
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=_run, args=(work, sender), daemon=True)
        self._process.start()
        sender.close()  # the child holds the only sending end: EOF if it dies

    def result(self) -> bytes:
        """The child's bytes; ForkedCallFailed if it raised or died."""
        try:
            message = self._receiver.recv_bytes()  # before join: a large result fills the pipe
        except EOFError:
            message = _FAILED + b"the child process ended without a result"
        finally:
            self._receiver.close()
        self._process.join()
        if message[:1] != _DONE or self._process.exitcode != 0:
            raise ForkedCallFailed(message[1:].decode("utf-8", errors="replace") or f"exit code {self._process.exitcode}")
        return message[1:]

    def abandon(self) -> None:
        """Stop the child (the build failed); its result is not wanted."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._receiver.close()


def _run(work: Callable[[], bytes], sender: multiprocessing.connection.Connection) -> None:
    try:
        message = _DONE + work()
    except BaseException:  # everything goes back to the parent, which decides
        message = _FAILED + traceback.format_exc().encode("utf-8")
    sender.send_bytes(message)
