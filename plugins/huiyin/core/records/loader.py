"""Load a content folder into validated records, or report every problem.

The story: the registry (departments, then platforms and their tree), the
sessions (each file on its own, half of them in a forked child at provincial
scale), the rules that span files (duplicate ids and numbers), then the
staff-written pages (for personal numbers only) and the files that would run
in a browser. A file that cannot be read at all is reported and skipped, so the
other files are still checked in the same run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import schema
from .cache import KeptRecords, SessionCache, open_cache, registry_key
from .entities import Department, Platform, Session
from .files import ContentFiles
from .parallel import PARALLEL_FROM, SessionBatch, SessionFiles, read_in_halves
from .problems import ContentError, ProblemLog, display_path
from .registry import Registry, read_registry
from .rules import check_unique_sessions
from .sessions import SessionFile, read_session

__all__ = ["PARALLEL_FROM", "KeptRecords", "Records", "load_records", "read_session_files"]

_log = logging.getLogger("mkdocs.plugins.huiyin")

# The keys each kind of record may carry, from the one schema (records/schema.py).
PLATFORM_KEYS = schema.PLATFORM.keys()
SESSION_KEYS = schema.SESSION.keys()
OUTCOME_KEYS = schema.OUTCOME.keys()
UPDATE_KEYS = schema.UPDATE.keys()
DOCUMENT_KEYS = schema.DOCUMENT.keys()
MEDIA_KEYS = schema.MEDIA.keys()
PARTICIPANT_KEYS = schema.PARTICIPANTS.keys()
DEPARTMENT_KEYS = schema.DEPARTMENT.keys()


@dataclass(frozen=True)
class Records:
    """Every record of a content folder, read and checked: what the model is made from."""

    platforms: dict[str, Platform]
    departments: list[Department]
    sessions: list[Session]  # drafts and embargoed ones included
    file_digests: dict[str, str] | None = None  # source path → its file's and the registry's sha256 (with a cache)


def load_records(content_dir: Path, parallel_from: int = PARALLEL_FROM,
                 shown: Callable[[Path, Path], str] = display_path, cache_dir: Path | None = None,
                 kept: KeptRecords | None = None) -> Records:
    """Read and check everything; raise ContentError with every problem at once.

    With ``cache_dir``, session files whose bytes are unchanged since the last
    run (same registry, same code) are taken from the parse cache there;
    with ``kept`` too, from the one this process kept in memory last time.
    """
    files = ContentFiles(content_dir, shown)
    key = registry_key(files) if cache_dir is not None else ""
    registry = (kept.registry_for(key) if kept is not None and key else None) or read_registry(files)
    registry_sound = not files.problems
    cache = None if cache_dir is None else (kept and kept.cache_for(cache_dir, key)) or open_cache(cache_dir, key, registry)
    batch = read_sessions(files, registry, parallel_from, cache)
    if kept is not None and registry_sound:
        kept.keep(key, registry, cache)
    files.problems += batch.problems
    check_unique_sessions(batch.sessions, batch.origins, files.log_for_source)
    files.check_pages()
    files.check_no_active_files()
    if files.problems:
        raise ContentError(files.problems)
    return Records(registry.platforms, registry.directory.departments, batch.sessions, _file_digests(cache))


def _file_digests(cache: SessionCache | None) -> dict[str, str] | None:
    """Each session file's sha256 joined with the registry's: what a session is made from (``Records``)."""
    if cache is None:
        return None
    return {relative: f"{cache.key}:{digest}" for relative, digest in cache.digests.items()}


def read_sessions(files: ContentFiles, registry: Registry, parallel_from: int,
                  cache: SessionCache | None) -> SessionBatch:
    """Every session file, from the cache where it can be; in the files' order either way."""
    every = files.session_files()
    batch, unread = (SessionBatch([], [], {}), every) if cache is None else cache.split(files, every)
    read = read_in_halves(unread, lambda part: read_session_files(files, registry, part), registry, parallel_from)
    if cache is not None:
        cache.store(files, unread, read)
        if cache.worth_saving(len(unread), len(every)):
            cache.save(registry)
        _log.info("huiyin: 缓存命中 %d / 共 %d", cache.hits, len(every))
    batch.extend(read)
    order = {files.relative(path): index for index, (path, _) in enumerate(every)}
    batch.sessions.sort(key=lambda session: order.get(session.source_path, len(order)))
    return batch


def read_session_files(files: ContentFiles, registry: Registry, part: SessionFiles) -> SessionBatch:
    """Read these session files; their problems go into the batch, not into ``files``."""
    batch = SessionBatch([], [], {})
    for path, year in part:
        log = ProblemLog(files.shown(path, files.root), batch.problems)
        record = files.read_record(path, log)
        if record is None:
            continue
        session, origin = read_session(registry, SessionFile(files.relative(path), year), record, log)
        batch.sessions.append(session)
        batch.origins[session.source_path] = origin
    return batch
