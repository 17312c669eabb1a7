"""A cache of read session files, keyed by their bytes, so a warm build reads only what changed.

A session is a pure function of the registry, its place and its text
(records/sessions.py), so an entry is keyed by the file's relative path and the
sha256 of its bytes, and the whole cache by the registry's key (departments.yml
and every platform file) and by the code's version (the source of records/ and
of the working-day calendar the deadlines are counted with). ``now`` plays no
part in reading a session (drafts and embargoes are decided by the corpus), so
nothing time-dependent is cached.

The cache is never trusted: a file that cannot be read, was written by other
code or for another registry, or fails to unpickle in any way is ignored and
rebuilt from the files. Problems are stored without their displayed path and
given the current one (``shown``) when used, so ``huiyin check`` (absolute
paths) and the build (relative ones) share one cache.

Hashing every file is itself a read of the whole corpus (≈ 0.15 s at 2,000
sessions, ≈ 1 s at 20,000 on this VM's disk), so a file is hashed again only
when its size or modification time differ from when it was last hashed, as
git's index does, and with git's guard against "racy" files: a stat is
trusted only for a file last modified well before it was hashed, since a write
within the same clock tick would leave both unchanged.

A long-running process (`mkdocs serve`) keeps the cache in memory between
loads (``KeptRecords``): no unpickling (≈ 0.4 s at 2,000), and the very
objects of unchanged sessions and of an unchanged registry are used again.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import pickle
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .entities import Session
from .files import MAX_FILE_BYTES, ContentFiles
from .parallel import BatchPickler, BatchUnpickler, SessionBatch, SessionFiles
from .problems import Problem
from .registry import Registry
from .sessions import SessionOrigin

CACHE_FILE = "sessions.pickle"
RACY_NS = 2_000_000_000  # a stat is trusted for files modified this long before they were hashed (FAT: 2 s ticks)
SAVE_AFTER = 25  # files read afresh before the cache is rewritten (SessionCache.worth_saving)
CACHE_FOLDER = Path(".cache") / "huiyin"  # beside mkdocs.yml, i.e. beside the content folder
_log = logging.getLogger("mkdocs.plugins.huiyin")

# (line, message, hint) of a problem: its path is the file's, re-derived on use.
StoredProblem = tuple[int | None, str, str]


@dataclass
class Entry:
    """What reading one file gave: its session (None if unreadable), origin and problems."""

    digest: str
    session: Session | None
    origin: SessionOrigin | None
    problems: list[StoredProblem]


@dataclass(frozen=True)
class Hashed:
    """A file's sha256, and its size and modification time when it was hashed."""

    size: int
    mtime_ns: int
    hashed_ns: int  # the clock when it was read: a stat is trusted only if mtime_ns is well before
    digest: str

    def still(self, stat: os.stat_result) -> bool:
        """Whether the file is unchanged since it was hashed, by its stat alone."""
        return (stat.st_size == self.size and stat.st_mtime_ns == self.mtime_ns
                and self.mtime_ns < self.hashed_ns - RACY_NS)


@dataclass
class SessionCache:
    """The entries of one registry and code version, and which of them this run used."""

    folder: Path
    key: str
    entries: dict[str, Entry] = field(default_factory=dict)
    hashed: dict[str, Hashed] = field(default_factory=dict)  # relative path → its last hashing
    digests: dict[str, str] = field(default_factory=dict)  # this run's files: relative path -> sha256
    hits: int = 0

    def next_run(self) -> SessionCache:
        """The same entries, for another load by the same process."""
        return SessionCache(self.folder, self.key, self.entries, self.hashed)

    def file_digest(self, path: Path, relative: str) -> str | None:
        """The file's sha256, or None when it is to be read (and reported) the ordinary way."""
        try:
            stat = path.stat()
            if stat.st_size > MAX_FILE_BYTES:
                return None
            known = self.hashed.get(relative)
            if known is not None and known.still(stat):
                return known.digest
            hashed_ns = time.time_ns()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return None
        self.hashed[relative] = Hashed(stat.st_size, stat.st_mtime_ns, hashed_ns, digest)
        return digest

    def split(self, files: ContentFiles, part: SessionFiles) -> tuple[SessionBatch, SessionFiles]:
        """The batch read from the cache, and the files that must be read."""
        batch, misses = SessionBatch([], [], {}), []
        for path, year in part:
            relative = files.relative(path)
            digest = self.file_digest(path, relative)
            entry = self.entries.get(relative)
            if digest is not None:
                self.digests[relative] = digest
            if entry is None or digest is None or entry.digest != digest:
                misses.append((path, year))
                continue
            self.hits += 1
            if entry.problems:
                shown = files.shown(path, files.root)
                batch.problems += [Problem(shown, line, message, hint) for line, message, hint in entry.problems]
            if entry.session is not None and entry.origin is not None:
                batch.sessions.append(entry.session)
                batch.origins[relative] = entry.origin
        return batch, misses

    def store(self, files: ContentFiles, read: SessionFiles, batch: SessionBatch) -> None:
        """Remember what reading ``read`` gave, file by file."""
        relative_of = {files.shown(path, files.root): files.relative(path) for path, _ in read}
        problems: dict[str, list[StoredProblem]] = {relative: [] for relative in relative_of.values()}
        for problem in batch.problems:
            if problem.path not in relative_of:
                return  # a problem of no file read here: too odd to cache
            problems[relative_of[problem.path]].append((problem.line, problem.message, problem.hint))
        sessions = {session.source_path: session for session in batch.sessions}
        for relative, found in problems.items():
            digest = self.digests.get(relative)
            if digest is not None:
                self.entries[relative] = Entry(digest, sessions.get(relative), batch.origins.get(relative), found)

    def worth_saving(self, read: int, total: int) -> bool:
        """Whether rewriting the cache file pays for the ``read`` files of ``total`` it lacked.

        Rewriting pickles every entry again: ≈ 1 s at 2,000 sessions, a fifth
        of a `mkdocs serve` rebuild after one save. A file it lacks costs a
        read and parse next time (≈ 4 ms). So a run that read nothing keeps the
        file as it is, and one that read a few (a save under serve, a commit
        in CI) leaves them to be read again until there are ``SAVE_AFTER`` of
        them or a twentieth of the corpus: at most ≈ 0.1 s per run.
        """
        return read > 0 and (read >= SAVE_AFTER or read * 20 >= total)

    def save(self, registry: Registry) -> None:
        """Write the entries of this run's files (others are gone); a failure only costs speed."""
        kept = {relative: entry for relative, entry in self.entries.items()
                if self.digests.get(relative) == entry.digest}
        buffer = io.BytesIO()
        pickle.dump((CODE_VERSION, self.key), buffer, protocol=pickle.HIGHEST_PROTOCOL)
        hashed = {relative: self.hashed[relative] for relative in kept if relative in self.hashed}
        BatchPickler(buffer, registry).dump((kept, hashed))
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_atomically(self.folder / CACHE_FILE, buffer.getvalue())
        except OSError as error:
            _log.info("huiyin: 无法写入解析缓存 %s（%s），下次构建将重新读取全部文件", self.folder, error)


@dataclass
class KeptRecords:
    """A registry and its parse cache, kept in memory by a process that loads the records again and again.

    `mkdocs serve` loads them after every save. The registry is kept as well
    as the sessions: sessions point at its platforms and departments, which
    are compared by identity, so unchanged sessions can only be used again
    with the very registry they were read against.
    """

    key: str = ""  # registry_key() of what is kept
    registry: Registry | None = None
    cache: SessionCache | None = None

    def registry_for(self, key: str) -> Registry | None:
        return self.registry if key == self.key else None

    def keep(self, key: str, registry: Registry, cache: SessionCache | None) -> None:
        self.key, self.registry, self.cache = key, registry, cache

    def cache_for(self, folder: Path, key: str) -> SessionCache | None:
        """The kept cache for another run, if it was made for this folder and registry."""
        kept = self.cache
        if kept is None or kept.key != key or kept.folder != folder:
            return None
        return kept.next_run()


def open_cache(folder: Path, key: str, registry: Registry) -> SessionCache:
    """The cache in ``folder`` if it is this code's and this registry's (``key``), else an empty one."""
    cache = SessionCache(folder, key)
    try:
        with (folder / CACHE_FILE).open("rb") as stream:
            if pickle.load(stream) != (CODE_VERSION, key):
                return cache
            entries, hashed = BatchUnpickler(stream, registry).load()
    except Exception:  # noqa: BLE001 — missing, truncated, corrupt or foreign: rebuilt, never trusted
        return cache
    if not (isinstance(entries, dict) and all(isinstance(entry, Entry) for entry in entries.values())):
        return cache
    if isinstance(hashed, dict) and all(isinstance(known, Hashed) for known in hashed.values()):
        cache.hashed = hashed
    cache.entries = entries
    return cache


def registry_key(files: ContentFiles) -> str:
    """The sha256 of everything a session's reading depends on besides its own file."""
    digest = hashlib.sha256()
    # Misplaced platform files are reported once, by the registry.
    for path in [files.root / "departments.yml", *sorted(files.platform_files(report=False))]:
        digest.update(files.relative(path).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"\1missing")
        digest.update(b"\0")
    return digest.hexdigest()


def code_version() -> str:
    """The sha256 of the code that reads records and counts deadlines: an upgrade starts afresh."""
    here = Path(__file__).parent
    sources = sorted(here.glob("*.py")) + [here.parent / "base" / "workdays.py",
                                           here.parent / "base" / "holiday_notices.py"]
    digest = hashlib.sha256(str(pickle.HIGHEST_PROTOCOL).encode())  # the protocol the cache is written with
    for source in sources:
        digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    return digest.hexdigest()


CODE_VERSION = code_version()


def _write_atomically(target: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".sessions-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
