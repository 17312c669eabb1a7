"""Reading session files in two processes gives exactly what reading them in one does.

From a few hundred session files on, the loader reads the second half in a
forked child (core/forking.py). Staff must not be able to tell: the same
records, pointing at the same platform and department objects, and on bad
input the same report, line for line, whichever half a mistake is in.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from huiyin.core.base.clock import SHANGHAI
from huiyin.core.base.forking import ForkedCall, can_fork
from huiyin.core.model.corpus import Corpus
from huiyin.core.model.loading import load_corpus
from huiyin.core.records import parallel as parallel_module
from huiyin.core.records.problems import ContentError
from sitebuilder import SiteFolder, outcome, session

NOW = datetime(2025, 11, 21, 8, 0, tzinfo=SHANGHAI)
SERIAL = 10**9  # parallel_from no corpus reaches
ALWAYS = 2


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[ForkedCall]:
    """Every child the loader starts: a test of the parallel path must have taken it."""
    assert can_fork(), "these tests need fork and no other threads (Linux, plain pytest)"
    started: list[ForkedCall] = []

    class Counted(ForkedCall):
        def __init__(self, *args: Any):
            super().__init__(*args)
            started.append(self)

    monkeypatch.setattr(parallel_module, "ForkedCall", Counted)
    return started


def write_sessions(site: SiteFolder, count: int) -> None:
    for n in range(count):
        site.write(f"sessions/2021/s{n:03d}.md", session(
            f"第{n}次协商", "qingdao" if n % 2 else "shibei", f"2021-{n % 12 + 1:02d}-{n % 27 + 1:02d}",
            [outcome("a", f"建议{n}", ["市住建局", "市公安局"], ("2021-12-01", "submitted"), ("2021-12-20", "claimed", "已认领")),
             outcome("b", f"建议{n}乙", ["青岛市卫生健康委员会"], ("2021-12-02", "submitted"))],
            participants={"members": n, "officials": ["市公安局"]}, tags=["停车", f"标签{n % 3}"], number=n + 1,
        ))


def portrait(corpus: Corpus) -> list[tuple]:
    """Everything a page shows of each session, with links to shared objects checked by identity."""
    platforms = {id(p) for p in corpus.platforms.values()}
    departments = {id(d) for d in corpus.departments}
    return [
        (
            s.id, s.title, s.date, s.number, s.tags, s.body, s.page_meta, s.platform.slug, id(s.platform) in platforms,
            s.participants.members, [(d.slug, id(d) in departments) for d in s.participants.officials],
            [(o.global_id, o.text, o.updates, o.due, o.session is s, [(d.slug, id(d) in departments) for d in o.departments])
             for o in s.outcomes],
        )
        for s in corpus.sessions
    ]


def test_two_processes_load_the_same_corpus_as_one(site: SiteFolder, forks: list[ForkedCall]) -> None:
    write_sessions(site, 40)
    serial = load_corpus(site.content, NOW, parallel_from=SERIAL)
    assert not forks
    parallel = load_corpus(site.content, NOW, parallel_from=ALWAYS)
    assert len(forks) == 1
    assert portrait(parallel) == portrait(serial)
    assert len(parallel.sessions) == 40
    # The child's sessions hang on the parent's platform tree: brand pages list them.
    assert len(parallel.platform_sessions(parallel.platforms["shandong"])) == 40


def report(content: Path, parallel_from: int) -> str:
    with pytest.raises(ContentError) as caught:
        load_corpus(content, NOW, parallel_from=parallel_from)
    return caught.value.report()


def test_mistakes_in_either_half_are_reported_as_one_process_reports_them(site: SiteFolder, forks: list[ForkedCall]) -> None:
    write_sessions(site, 40)
    # First half (files are read in name order, the child takes the second half):
    site.write("sessions/2021/a-bad-yaml.md", "---\ntitle: [未闭合\nplatform: qingdao\n---\n")
    site.write("sessions/2021/a-unknown-department.md", session("单位写错", "qingdao", "2021-05-04", [
        outcome("a", "建议", ["市住建"], ("2021-05-04", "submitted"))]))
    # Second half:
    site.write("sessions/2021/z-bad-status.md", session("状态写错", "qingdao", "2021-05-09", [
        outcome("a", "建议", ["市公安局"], ("2021-05-09", "完成"))]))
    site.write("sessions/2021/z-phone.md", session("手机号", "qingdao", "2021-05-10", body="联系电话 13912345678\n"))
    # Across the halves: an id and a number each held by a file on both sides.
    site.write("sessions/2021/a-pinned.md", session("甲", "qingdao", "2021-06-01", id="shared-id"))
    site.write("sessions/2021/z-pinned.md", session("乙", "qingdao", "2021-06-02", id="shared-id"))
    site.write("sessions/2021/zz-number.md", session("期数重复", "qingdao", "2021-06-03", number=2))

    parallel = report(site.content, ALWAYS)
    assert len(forks) == 1
    assert parallel == report(site.content, SERIAL)
    for expected in ("a-bad-yaml.md:3: YAML", "a-unknown-department.md:8: 未知的承办单位「市住建」", "z-bad-status.md:12",
                     "z-phone.md:6", "a-pinned.md:5: 活动 id「shared-id」", "z-pinned.md:5: 活动 id「shared-id」",
                     "s001.md:12: 第 2 期", "zz-number.md:5: 第 2 期"):
        assert expected in parallel


def test_if_the_child_fails_the_parent_reads_its_half(site: SiteFolder, forks: list[ForkedCall],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    write_sessions(site, 40)
    serial = load_corpus(site.content, NOW, parallel_from=SERIAL)

    def broken(batch: Any, registry: Any) -> bytes:
        raise MemoryError("the child ran out of memory")

    monkeypatch.setattr(parallel_module, "batch_bytes", broken)
    parallel = load_corpus(site.content, NOW, parallel_from=ALWAYS)
    assert len(forks) == 1
    assert portrait(parallel) == portrait(serial)


def test_with_other_threads_running_nothing_is_forked(site: SiteFolder, forks: list[ForkedCall]) -> None:
    """`mkdocs serve` has a server and a watcher thread: forking then is unsafe."""
    import threading

    write_sessions(site, 10)
    release = threading.Event()
    watcher = threading.Thread(target=release.wait)
    watcher.start()
    try:
        corpus = load_corpus(site.content, NOW, parallel_from=ALWAYS)
    finally:
        release.set()
        watcher.join()
    assert not forks
    assert len(corpus.sessions) == 10
