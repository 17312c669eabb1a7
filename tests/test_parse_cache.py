"""The parse cache as a user sees it: same results warm or cold, one edit re-read, problems kept."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from huiyin.core.records import cache as cache_module
from huiyin.core.records.loader import load_records
from huiyin.core.records.problems import ContentError

SAMPLE = Path(__file__).resolve().parents[1] / "content"


def _copy(tmp_path: Path) -> tuple[Path, Path]:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    return content, tmp_path / ".cache" / "huiyin"


def _sessions(records: object) -> list[tuple[object, ...]]:
    """What a reader sees of each session, its platform named by slug (platforms are per load)."""
    return [(s.source_path, s.title, s.platform.slug if s.platform else None,
             [(o.text, o.deadline, [d.slug for d in o.departments]) for o in s.outcomes])
            for s in records.sessions]  # type: ignore[attr-defined]


def _hits(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "缓存命中" in r.getMessage()]


def test_warm_load_equals_cold_and_edits_are_reread(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    content, folder = _copy(tmp_path)
    cold = load_records(content, cache_dir=folder)
    warm = load_records(content, cache_dir=folder)
    assert _sessions(warm) == _sessions(cold)
    total = len(cold.sessions)
    assert _hits(caplog)[-1] == f"huiyin: 缓存命中 {total} / 共 {total}"
    edited = content / cold.sessions[0].source_path
    edited.write_text(edited.read_text(encoding="utf-8").replace("title:", "title: 改", 1), encoding="utf-8")
    again = load_records(content, cache_dir=folder)
    assert _hits(caplog)[-1] == f"huiyin: 缓存命中 {total - 1} / 共 {total}"
    assert again.sessions[0].title.startswith("改")


def test_problems_are_reported_from_the_cache(tmp_path: Path) -> None:
    content, folder = _copy(tmp_path)
    first = sorted((content / "sessions").rglob("*.md"))[0]
    first.write_text(first.read_text(encoding="utf-8").replace("title:", "tittle:", 1), encoding="utf-8")
    reports = []
    for _ in range(2):
        with pytest.raises(ContentError) as error:
            load_records(content, cache_dir=folder)
        reports.append(error.value.report())
    assert reports[0] == reports[1]
    assert "tittle" in reports[1]


def test_corrupt_or_foreign_cache_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    content, folder = _copy(tmp_path)
    cold = load_records(content, cache_dir=folder)
    stored = folder / cache_module.CACHE_FILE
    stored.write_bytes(stored.read_bytes()[: stored.stat().st_size // 2])
    assert _sessions(load_records(content, cache_dir=folder)) == _sessions(cold)
    assert _hits(caplog)[-1].startswith("huiyin: 缓存命中 0 /")
    stored.write_bytes(b"not a pickle at all")
    assert _sessions(load_records(content, cache_dir=folder)) == _sessions(cold)
    monkeypatch.setattr(cache_module, "CODE_VERSION", "another version")
    assert _sessions(load_records(content, cache_dir=folder)) == _sessions(cold)
    assert _hits(caplog)[-1].startswith("huiyin: 缓存命中 0 /")
