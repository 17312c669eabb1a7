"""Benchmark: reading a large record history from git (core.history.read_history).

Makes a repository with SESSIONS session records over ten year folders, each committed VERSIONS times
(every commit adds one outcome update to one record, the way staff work), with
git fast-import, then times one read_history over it.

    /work/venv/bin/python bench/history_bench.py [SESSIONS] [VERSIONS]

Defaults: 20000 sessions × 3 versions = 60000 commits. The repository is kept
in bench/out/history-<SESSIONS>x<VERSIONS>/ (git-ignored) and reused.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

from huiyin.core.model.history import read_history

OUT = Path(__file__).resolve().parent / "out"
STATUSES = ["submitted", "claimed", "in_progress", "adopted", "implemented"]
BODY = "本期围绕议题开展协商，委员、专家和群众代表充分发表意见。\n" * 20


def year(number: int) -> int:
    """Ten years of sessions, so each year's folder holds a tenth of them."""
    return 2016 + number % 10


def record(number: int, version: int) -> bytes:
    updates = "".join(
        f"      - date: 2021-0{1 + step}-1{step}\n        status: {STATUSES[step % 5]}\n"
        f"        note: 第{step + 1}次办理情况说明，已与提出人沟通。\n"
        for step in range(version + 1)
    )
    text = (
        f"---\ntitle: 第{number}号协商议题\nplatform: qingdao\ndate: {year(number)}-01-01\nnumber: {number + 1}\n"
        f"tags: [停车, 养老]\noutcomes:\n  - id: o{number}\n    text: 建议事项{number}\n"
        f"    departments: [市住建局]\n    updates:\n{updates}---\n{BODY}"
    )
    return text.encode("utf-8")


def fast_import_stream(sessions: int, versions: int):
    mark_time = 1_609_459_200  # 2021-01-01
    commit = 0
    for version in range(versions):
        for number in range(sessions):
            commit += 1
            data = record(number, version)
            message = f"第{number}号议题：第{version + 1}次更新".encode()
            yield b"commit refs/heads/main\n"
            yield f"committer 政协办公厅 <staff@example.org> {mark_time + commit * 60} +0800\n".encode()
            yield b"data %d\n%s\n" % (len(message), message)
            yield f"M 100644 inline content/sessions/{year(number)}/s{number}.md\n".encode()
            yield b"data %d\n%s\n" % (len(data), data)


def make_repository(sessions: int, versions: int) -> Path:
    root = OUT / f"history-{sessions}x{versions}"
    if (root / ".git").is_dir():
        return root
    root.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    importer = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=root, stdin=subprocess.PIPE)
    assert importer.stdin is not None
    for chunk in fast_import_stream(sessions, versions):
        importer.stdin.write(chunk)
    importer.stdin.close()
    if importer.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "main"], cwd=root, check=True)
    return root


def main() -> None:
    sessions = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    versions = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    started = time.perf_counter()
    root = make_repository(sessions, versions)
    print(f"repository: {root} ({time.perf_counter() - started:.1f} s to make or find)")
    started = time.perf_counter()
    history = read_history(root / "content")
    elapsed = time.perf_counter() - started
    assert history is not None
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"read_history: {elapsed:.2f} s for {sessions} sessions × {versions} versions "
        f"({sessions * versions} commits); {len(history.revisions)} sessions with history, "
        f"{len(history.first_published)} first-published dates; peak RSS {peak_mb:.0f} MB"
    )


if __name__ == "__main__":
    main()
