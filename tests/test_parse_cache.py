"""The parse cache as a user sees it: same results warm or cold, one edit re-read, problems kept."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest
from huiyin.core.records import cache as cache_module
from huiyin.core.records.cache import KeptRecords
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


def _same_length_edit(path: Path) -> None:
    """Change one character of the title, keeping the file's size and modification time."""
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    start = text.index("title:") + len("title: ")
    replacement = "甲" if text[start] != "甲" else "乙"  # both three bytes in UTF-8, as every Han character is
    changed = text[:start] + replacement + text[start + 1:]
    assert len(changed.encode("utf-8")) == len(text.encode("utf-8")) or text[start].isascii()
    if text[start].isascii():  # an ASCII title: keep the byte count with an ASCII letter
        changed = text[:start] + ("X" if text[start] != "X" else "Y") + text[start + 1:]
    path.write_text(changed, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size


def test_a_file_changed_within_the_tick_it_was_read_in_is_read_again(tmp_path: Path) -> None:
    """Size and time alone would miss it (git's "racy" files): a file this recent is hashed again."""
    content, folder = _copy(tmp_path)
    for path in (content / "sessions").rglob("*.md"):
        os.utime(path)  # just written, as by an editor a moment before the build
    first = load_records(content, cache_dir=folder)
    edited = content / first.sessions[0].source_path
    _same_length_edit(edited)
    again = load_records(content, cache_dir=folder)
    assert again.sessions[0].title != first.sessions[0].title
    assert again.sessions[0].title.split()[0][1:] == first.sessions[0].title.split()[0][1:]


def test_files_untouched_long_before_they_were_read_are_not_read_again(tmp_path: Path) -> None:
    """The speed of a warm load: an old file's size and time stand for its content, as in git's index."""
    content, folder = _copy(tmp_path)
    for path in (content / "sessions").rglob("*.md"):
        os.utime(path, (1_700_000_000, 1_700_000_000))  # last changed long before this run hashes it
    first = load_records(content, cache_dir=folder)
    _same_length_edit(content / first.sessions[0].source_path)
    assert load_records(content, cache_dir=folder).sessions[0].title == first.sessions[0].title
    touched = content / first.sessions[0].source_path
    os.utime(touched)  # what any editor or git checkout does on writing: a new time
    assert load_records(content, cache_dir=folder).sessions[0].title != first.sessions[0].title


def test_a_serving_process_keeps_its_records_between_loads(tmp_path: Path) -> None:
    """Under `mkdocs serve`: unchanged sessions are the very objects of the last load; a registry edit starts afresh."""
    content, folder = _copy(tmp_path)
    kept = KeptRecords()
    first = load_records(content, cache_dir=folder, kept=kept)
    edited = content / first.sessions[0].source_path
    edited.write_text(edited.read_text(encoding="utf-8").replace("title:", "title: 改", 1), encoding="utf-8")
    second = load_records(content, cache_dir=folder, kept=kept)
    assert second.sessions[0].title.startswith("改") and second.sessions[0] is not first.sessions[0]
    assert all(a is b for a, b in zip(first.sessions[1:], second.sessions[1:], strict=True))
    assert second.platforms is first.platforms  # the registry they point at
    departments = content / "departments.yml"
    departments.write_text(departments.read_text(encoding="utf-8") + "\n# 新增备注\n", encoding="utf-8")
    third = load_records(content, cache_dir=folder, kept=kept)
    assert third.platforms is not first.platforms
    assert not any(a is b for a, b in zip(second.sessions, third.sessions, strict=True))
    assert _sessions(third) == _sessions(load_records(content))  # as a load without any cache reads them
