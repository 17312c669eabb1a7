"""From a content folder to the corpus every page, feed and data file is made from."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..records.loader import PARALLEL_FROM, KeptRecords, load_records
from .corpus import Corpus


def load_corpus(content_dir: Path | str, now: datetime, parallel_from: int = PARALLEL_FROM,
                cache_dir: Path | None = None, kept: KeptRecords | None = None) -> Corpus:
    """Load and validate a content folder; raise ContentError with every problem.

    From ``parallel_from`` session files on, half of them are read in a forked
    child where that is safe (see base/forking.py). ``cache_dir``: the parse
    cache (records/cache.py), and ``kept`` the records a long-running process
    keeps between loads; ``now`` is applied here, after it, never cached.
    """
    records = load_records(Path(content_dir), parallel_from, cache_dir=cache_dir, kept=kept)
    return Corpus(platforms=records.platforms, departments=records.departments, sessions=records.sessions, now=now,
                  file_digests=records.file_digests)
