"""Reading half the session files in a forked child (two cores, thousands of files).

Below ``PARALLEL_FROM`` files a second process costs more than it saves. The
child sends its sessions back pickled; platforms and departments are not
copied: the child refers to them by slug and the parent puts its own objects
back in their place, so every session points at the one platform tree and
department directory. Whatever goes wrong in the child, the parent reads the
same files itself (see base/forking.py for when forking is safe at all).
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..base.forking import ForkedCall, ForkedCallFailed, can_fork
from .entities import Department, Platform, Session
from .problems import Problem
from .registry import Registry
from .sessions import SessionOrigin

PARALLEL_FROM = 400

SessionFiles = list[tuple[Path, int]]


@dataclass
class SessionBatch:
    """Sessions read from some files, with their problems and origins."""

    sessions: list[Session]
    problems: list[Problem]
    origins: dict[str, SessionOrigin]

    def extend(self, other: SessionBatch) -> None:
        self.sessions += other.sessions
        self.problems += other.problems
        self.origins |= other.origins


def read_in_halves(files: SessionFiles, read: Callable[[SessionFiles], SessionBatch], registry: Registry,
                   parallel_from: int = PARALLEL_FROM) -> SessionBatch:
    """``read(files)``, with the second half read in a forked child when that pays."""
    if len(files) < parallel_from or not can_fork():
        return read(files)
    half = len(files) // 2
    child = ForkedCall(lambda: batch_bytes(read(files[half:]), registry))
    batch = read(files[:half])
    try:
        batch.extend(batch_from(child.result(), registry))
    except ForkedCallFailed:
        batch.extend(read(files[half:]))  # whatever went wrong there, the same files are read here
    return batch


def batch_bytes(batch: SessionBatch, registry: Registry) -> bytes:
    buffer = io.BytesIO()
    BatchPickler(buffer, registry).dump(batch)
    return buffer.getvalue()


def batch_from(data: bytes, registry: Registry) -> SessionBatch:
    batch: SessionBatch = BatchUnpickler(io.BytesIO(data), registry).load()
    return batch


class BatchPickler(pickle.Pickler):
    def __init__(self, file: IO[bytes], registry: Registry):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.registry = registry

    def persistent_id(self, obj: Any) -> tuple[str, str] | None:
        if isinstance(obj, Platform) and self.registry.platforms.get(obj.slug) is obj:
            return ("platform", obj.slug)
        if isinstance(obj, Department) and self.registry.directory.by_slug.get(obj.slug) is obj:
            return ("department", obj.slug)
        return None


class BatchUnpickler(pickle.Unpickler):
    def __init__(self, file: IO[bytes], registry: Registry):
        super().__init__(file)
        self.registry = registry

    def persistent_load(self, pid: tuple[str, str]) -> Platform | Department:
        kind, slug = pid
        return self.registry.platforms[slug] if kind == "platform" else self.registry.directory.by_slug[slug]
