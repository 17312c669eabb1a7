"""Whatever staff commit, the loader answers with records or with clear problems.

Property-based: hypothesis writes arbitrary front matter, encodings (BOM, CRLF,
GBK), empty and binary files and huge values into a content folder, and
core.loader.load_corpus must return a Corpus or raise ContentError whose every
problem names a file and says what is wrong — never a traceback, never a hang.
"""

from __future__ import annotations

import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from huiyin.core.base.clock import SHANGHAI
from huiyin.core.model.corpus import Corpus
from huiyin.core.model.loading import load_corpus
from huiyin.core.records.loader import (
    DOCUMENT_KEYS,
    MEDIA_KEYS,
    OUTCOME_KEYS,
    PARTICIPANT_KEYS,
    PLATFORM_KEYS,
    SESSION_KEYS,
    UPDATE_KEYS,
)
from huiyin.core.records.problems import ContentError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitebuilder import DEPARTMENTS, PLATFORMS, front_matter

NOW = datetime(2025, 11, 21, 8, 0, tzinfo=SHANGHAI)
PER_EXAMPLE_SECONDS = 10  # a hang is a failure, not a stuck test run
LONGEST_MESSAGE = 400  # characters: a problem quotes values, it never dumps them

FAST = settings(
    max_examples=120,
    deadline=3000,  # ms; a slow example is reported, a hung one is stopped by the alarm below
    database=None,  # no .hypothesis/ folder in the checkout
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# -- the property ----------------------------------------------------------------


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def stop(signum: int, frame: Any) -> None:
        raise TimeoutError(f"load_corpus took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def load_outcome(files: dict[str, bytes]) -> Corpus | ContentError:
    """Write the files into a fresh content folder and load it: records, or clear problems."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "content"
        for relative, data in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        with time_limit(PER_EXAMPLE_SECONDS):
            try:
                corpus = load_corpus(root, NOW)
            except ContentError as error:
                assert_clear(error, files)
                return error
            assert_usable(corpus)
            return corpus


def assert_clear(error: ContentError, files: dict[str, bytes]) -> None:
    assert error.problems, "a ContentError must say what is wrong"
    known = {relative.rsplit("/", 1)[-1] for relative in files} | {"departments.yml"}
    for problem in error.problems:
        assert isinstance(problem.path, str) and problem.path.rsplit("/", 1)[-1] in known, problem
        assert isinstance(problem.message, str) and problem.message.strip(), problem
        assert problem.line is None or (isinstance(problem.line, int) and problem.line >= 1), problem
        assert len(str(problem)) <= LONGEST_MESSAGE + len(problem.path), str(problem)[:600]
    assert error.report()


def assert_usable(corpus: Corpus) -> None:
    """A loaded corpus answers the questions every output asks of it."""
    for session in corpus.published_sessions:
        assert session.title and session.platform.slug in corpus.platforms
        for outcome in session.outcomes:
            assert outcome.updates and outcome.global_id
    assert corpus.published_outcomes is not None and corpus.unpublished_sessions is not None


def base_files() -> dict[str, bytes]:
    """A valid departments registry and brand tree for the records under test to refer to."""
    files = {"departments.yml": yaml.safe_dump(DEPARTMENTS, allow_unicode=True).encode()}
    for slug, meta in PLATFORMS.items():
        files[f"platforms/{slug}.md"] = front_matter(meta, "简介\n").encode()
    return files


# -- strategies ------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from([
        "", " ", "2021-04-02", "2021-02-30", "2021-13-01", "0000-01-01", "9999-12-31", "2021-04", "2030-01-01 09:00",
        "2021-04-02T25:61", "2021-04-02 09:00 +99:99", "submitted", "已落實", "declined", "held", "planned", "县级",
        "qingdao", "shibei", "nowhere", "市住建局", "市公安局", "https://example.org/", "javascript:alert(1)",
        "data:text/html,x", "//example.org", "http:x", "13812345678", "11010519491231002X", "0532-85912345",
        "<script>alert(1)</script>", "~", "null", "true", "a" * 21_000,
    ]),
)
anything = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12) | st.integers(), inner, max_size=4),
    max_leaves=12,
)


def record(keys: set[str], values: st.SearchStrategy = anything, **overrides: st.SearchStrategy) -> st.SearchStrategy:
    """A mapping with any subset of the known keys (and now and then an unknown one)."""
    optional = {key: values for key in sorted(keys)} | overrides
    return st.fixed_dictionaries({}, optional=optional).flatmap(
        lambda known: st.dictionaries(st.text(max_size=8), anything, max_size=1).map(lambda extra: {**extra, **known})
    )


updates = st.lists(record(UPDATE_KEYS, documents=st.lists(record(DOCUMENT_KEYS), max_size=2) | anything), max_size=3)
outcomes = st.lists(record(OUTCOME_KEYS, updates=updates | anything), max_size=3)
sessions = record(
    SESSION_KEYS,
    outcomes=outcomes | anything,
    media=st.lists(record(MEDIA_KEYS), max_size=2) | anything,
    participants=record(PARTICIPANT_KEYS) | anything,
)
platforms = record(PLATFORM_KEYS)
bodies = st.text(max_size=200) | st.sampled_from(["", "正文\n", "手机 13812345678\n", "---\n", "<script>x</script>"])


@st.composite
def encoded(draw: st.DrawFn, meta: dict[str, Any], body: str) -> bytes:
    """The record as some editor might save it: UTF-8, BOM, CRLF, GBK, or cut short."""
    try:
        text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body
    except (yaml.YAMLError, ValueError):
        text = "---\n" + repr(meta) + "\n---\n" + body
    variant = draw(st.sampled_from(["utf-8", "bom", "crlf", "cr", "gbk", "truncated"]))
    if variant == "bom":
        return "\ufeff".encode() + text.encode()
    if variant == "crlf":
        return text.replace("\n", "\r\n").encode()
    if variant == "cr":
        return text.replace("\n", "\r").encode()
    if variant == "gbk":
        return text.encode("gbk", errors="replace")
    if variant == "truncated":
        data = text.encode()
        return data[: draw(st.integers(0, len(data)))]
    return text.encode()


# -- the properties ----------------------------------------------------------------


@FAST
@given(data=st.data(), meta=sessions, body=bodies,
       folder=st.sampled_from(["2021", "2025", "2030", "0000", "２０２１", "21"]),
       name=st.sampled_from(["tingche", "a-b", "Bad Name", "13812345678", "index", "x" * 120]))
def test_any_session_file_gives_records_or_clear_problems(data, meta, body, folder, name):
    files = base_files()
    files[f"sessions/{folder}/{name}.md"] = data.draw(encoded(meta, body))
    load_outcome(files)


@FAST
@given(data=st.data(), meta=platforms, body=bodies, name=st.sampled_from(["jiedao", "qingdao", "Bad_Name"]))
def test_any_platform_file_gives_records_or_clear_problems(data, meta, body, name):
    files = base_files()
    files[f"platforms/{name}.md"] = data.draw(encoded(meta, body))
    files["sessions/2021/x.md"] = front_matter({"title": "议题", "platform": name, "date": "2021-04-02"}).encode()
    load_outcome(files)


@FAST
@given(entries=st.lists(record({"slug", "name", "aliases"}), max_size=4) | anything)
def test_any_departments_registry_gives_records_or_clear_problems(entries):
    files = base_files()
    try:
        files["departments.yml"] = yaml.safe_dump(entries, allow_unicode=True).encode()
    except (yaml.YAMLError, ValueError):
        files["departments.yml"] = repr(entries).encode()
    load_outcome(files)


@FAST
@given(raw=st.binary(max_size=300), where=st.sampled_from(
    ["sessions/2021/x.md", "platforms/x.md", "departments.yml", "index.md"]))
def test_any_bytes_give_records_or_clear_problems(raw, where):
    files = base_files()
    files[where] = raw
    load_outcome(files)


@FAST
@given(text=st.text(max_size=300), wrap=st.booleans())
def test_any_text_between_fences_gives_records_or_clear_problems(text, wrap):
    files = base_files()
    files["sessions/2021/x.md"] = (("---\n" + text + "\n---\nbody\n") if wrap else text).encode("utf-8", "surrogatepass")
    load_outcome(files)


# -- the cases a generator would rarely reach ---------------------------------------

VALID = "---\ntitle: 议题\nplatform: qingdao\ndate: 2021-04-02\n"


@pytest.mark.parametrize("content", [
    pytest.param(b"", id="empty file"),
    pytest.param(b"---\n---\n", id="empty front matter"),
    pytest.param(b"\xef\xbb\xbf", id="only a BOM"),
    pytest.param("---\ntitle: 停车难\n---\n".encode("gbk"), id="GBK"),
    pytest.param((VALID + "---\n正文\r\n").replace("\n", "\r\n").encode(), id="CRLF"),
    pytest.param((VALID + "title2: " + "长" * 3_000_000 + "\n---\n").encode(), id="file over the size limit"),
    pytest.param((VALID + "location: " + "长" * 30_000 + "\n---\n").encode(), id="value over the text limit"),
    pytest.param((VALID + "tags: [" + ", ".join(["标签"] * 50_000) + "]\n---\n").encode(), id="fifty thousand tags"),
    pytest.param((VALID + "number: " + "9" * 5000 + "\n---\n").encode(), id="five-thousand-digit number"),
    pytest.param((VALID + "number: 1" + ":59" * 3000 + "\n---\n").encode(), id="sexagesimal giant"),
    pytest.param((VALID + "x: " + "[" * 5000 + "]" * 5000 + "\n---\n").encode(), id="deep nesting"),
    pytest.param((VALID + "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9))
        + "tags: *j\n---\n").encode(), id="billion laughs"),
    pytest.param((VALID + "a: &a [*a]\n---\n").encode(), id="recursive alias"),
    pytest.param((VALID + "date: !!timestamp 2021-02-30\n---\n").encode(), id="explicit bad timestamp"),
    pytest.param((VALID + "x: !!python/object/apply:os.system [echo]\n---\n").encode(), id="python tag"),
    pytest.param((VALID + "outcomes: !!omap [a: 1]\ntags: !!set {a, b}\n---\n").encode(), id="omap and set"),
    pytest.param((VALID + "x: \x00\x1b\n---\n").encode(), id="control characters"),
    pytest.param((VALID + "? [a, b]\n: c\n---\n").encode(), id="list as key"),
    pytest.param((VALID + "<<: [1, 2]\n---\n").encode(), id="bad merge key"),
    pytest.param((VALID + "publish_date: 0001-01-01 00:00 +14:00\n---\n").encode(), id="earliest moment"),
    pytest.param((VALID + "publish_date: 9999-12-31 23:59 -12:00\n---\n").encode(), id="latest moment"),
])
def test_hard_cases_give_records_or_clear_problems(content):
    files = base_files()
    files["sessions/2021/x.md"] = content
    outcome = load_outcome(files)
    if isinstance(outcome, ContentError):
        assert all("x.md" in problem.path or "departments" in problem.path for problem in outcome.problems)


def test_a_gbk_file_is_named_with_the_fix():
    files = base_files()
    files["sessions/2021/x.md"] = "---\ntitle: 停车难\nplatform: qingdao\ndate: 2021-04-02\n---\n".encode("gbk")
    error = load_outcome(files)
    assert isinstance(error, ContentError)
    assert "文件不是 UTF-8 编码" in error.report() and "GBK" in error.report()


def test_a_control_character_is_named_with_its_line():
    files = base_files()
    files["sessions/2021/x.md"] = (VALID + "location: 会议室\x1b\n---\n").encode()
    error = load_outcome(files)
    assert isinstance(error, ContentError)
    (problem,) = error.problems
    assert problem.line == 5 and "U+001B" in problem.message
