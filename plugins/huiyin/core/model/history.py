"""What git remembers about each session record: its revisions, and when each
outcome update was first made public.

Readers trust a record more when they can see how it changed: who corrected
what, and when a department's answer actually appeared on the site (an update
dated in April but first published in September tells its own story).

Git is read once per build, in one streaming pass that stays linear in the size
of the history, whatever the number of sessions:

    git log -p --reverse --no-renames -U<whole file> -- sessions

The whole-file context means every diff carries the full new version of the
file, so no patch has to be applied and no file has to be kept in memory: each
version's front matter is read as it streams past, oldest commit first. Front
matter that did not change since the file's previous version is not parsed again.

Everything is keyed by session id (pinned `id`, or `<year>/<slug>` from the
path), as feeds and open data are: a record moved with its id pinned keeps its
history. MkDocs-free; git is the only outside thing this module touches.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import IO

import yaml

from ..base.clock import SHANGHAI
from ..records.entities import Outcome, Session, Update
from ..records.fields import parse_moment
from ..records.privacy import find_personal_numbers

SESSIONS_DIR = "sessions"
# Git's diff context, in lines: more than any record has (records are < 2 MB).
WHOLE_FILE = 2_000_000
# Revisions listed on a session page, newest first: a phone need not load every edit.
SHOWN_REVISIONS = 20
# Shown instead of a commit subject holding a phone or identity number: history
# cannot be rewritten, so the subject is withheld rather than failing the build.
WITHHELD_SUBJECT = "（提交说明含个人号码，不予显示）"
# Each commit header starts with NUL, which never occurs in a text diff.
LOG_FORMAT = "%x00commit%x00%H%x00%ct%x00%s"


@dataclass(frozen=True)
class Revision:
    """One commit that changed a session's record."""

    commit: str  # full hash
    date: date  # commit date, Beijing time
    subject: str  # first line of the commit message, or WITHHELD_SUBJECT

    @property
    def short(self) -> str:
        return self.commit[:7]


@dataclass
class SessionHistory:
    """What a session page shows of its record's history."""

    revisions: list[Revision]  # newest first
    first_published_dates: dict[tuple[str, int], date]  # (outcome id, position) → date
    incomplete: bool = False  # the clone is shallow: older commits are missing
    repo_url: str | None = None

    @property
    def recent(self) -> list[Revision]:
        return self.revisions[:SHOWN_REVISIONS]

    @property
    def older(self) -> int:
        """How many earlier revisions the page leaves out."""
        return max(0, len(self.revisions) - SHOWN_REVISIONS)

    def first_published(self, outcome: Outcome, update: Update) -> date | None:
        return self.first_published_dates.get((outcome.id, update.position))

    def commit_url(self, revision: Revision) -> str | None:
        """Link to the commit on the forge (GitHub, Gitee, GitLab and Gitea style)."""
        if not self.repo_url:
            return None
        return f"{self.repo_url.rstrip('/')}/commit/{revision.commit}"


@dataclass
class RepositoryHistory:
    """The history of every session record, read from git in one pass."""

    revisions: dict[str, list[Revision]] = field(default_factory=dict)  # session id → oldest first
    first_published: dict[tuple[str, str, int], date] = field(default_factory=dict)
    shallow: bool = False
    head: str | None = None  # the commit it was read at
    content_dir: Path | None = None

    def of(self, session: Session, repo_url: str | None = None) -> SessionHistory:
        published: dict[tuple[str, int], date] = {}
        for outcome in session.outcomes:
            for update in outcome.updates:
                key = (session.id, outcome.id, update.position)
                if key in self.first_published:
                    published[(outcome.id, update.position)] = self.first_published[key]
        return SessionHistory(
            revisions=list(reversed(self.revisions.get(session.id, []))),
            first_published_dates=published,
            incomplete=self.shallow,
            repo_url=repo_url,
        )


# -- reading git --------------------------------------------------------------


class HistoryUnavailable(Exception):
    """Git is there but could not be read (too old, broken repository…)."""


def read_history(content_dir: Path | str, previous: RepositoryHistory | None = None) -> RepositoryHistory | None:
    """The history of `content_dir`/sessions, or None when it is not in a git work tree.

    `previous` is returned as it is when nothing was committed since it was read:
    `mkdocs serve` rebuilds on every save, and a long history takes a while to read.
    """
    content_dir = Path(content_dir)
    state = _repository_state(content_dir)
    if state is None:
        return None
    if state.head is None:  # a repository with no commit yet
        return RepositoryHistory(shallow=state.shallow)
    if previous is not None and previous.head == state.head and previous.content_dir == content_dir:
        return previous
    history = RepositoryHistory(shallow=state.shallow, head=state.head, content_dir=content_dir)
    command = [
        "git", "-c", "core.quotepath=off", "log",
        "-p", "--reverse", "--no-renames", "--no-color", "--no-ext-diff", "--no-textconv", "--relative",
        "--src-prefix=a/", "--dst-prefix=b/", "--diff-merges=off",
        f"-U{WHOLE_FILE}", f"--format={LOG_FORMAT}", state.head, "--", SESSIONS_DIR,
    ]
    with tempfile.TemporaryFile() as errors:
        with subprocess.Popen(
            command, cwd=content_dir, stdout=subprocess.PIPE, stderr=errors, env=_git_environment()
        ) as process:
            assert process.stdout is not None
            _HistoryReader(history, state.boundary).read(_lines(process.stdout))
        if process.returncode != 0:
            errors.seek(0)
            raise HistoryUnavailable(errors.read().decode("utf-8", errors="replace").strip())
    return history


@dataclass
class _RepositoryState:
    head: str | None  # None: no commit yet
    shallow: bool
    boundary: set[str]  # a shallow clone's oldest commits


def _repository_state(content_dir: Path) -> _RepositoryState | None:
    """Where the repository stands, or None outside a git work tree."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--is-inside-work-tree", "--is-shallow-repository", "--git-path", "shallow", "HEAD"],
            cwd=content_dir, capture_output=True, text=True, env=_git_environment(), timeout=60,
        )
    except (OSError, subprocess.SubprocessError):  # no git installed, or the folder is gone
        return None
    lines = done.stdout.splitlines()
    if len(lines) < 3 or lines[0] != "true":
        return None
    head = lines[3] if done.returncode == 0 and len(lines) > 3 else None
    shallow = lines[1] == "true"
    boundary: set[str] = set()
    shallow_file = Path(content_dir, lines[2])
    if shallow and shallow_file.is_file():
        boundary = set(shallow_file.read_text(encoding="ascii", errors="replace").split())
    return _RepositoryState(head, shallow, boundary)


def _git_environment() -> dict[str, str]:
    # Plain, untranslated git whatever the staff member's settings; no pager.
    return {**os.environ, "LC_ALL": "C", "GIT_PAGER": "cat", "GIT_CONFIG_NOSYSTEM": "1"}


def _lines(stream: IO[bytes]) -> Iterator[bytes]:
    for raw in stream:
        yield raw.rstrip(b"\n")


# -- parsing the log ------------------------------------------------------------


@dataclass
class _Commit:
    hash: str
    moment: datetime
    subject: str
    boundary: bool  # a shallow clone's oldest commit: it shows the files as if new


class _HistoryReader:
    """Consumes `git log -p` lines, oldest commit first, filling a RepositoryHistory.

    Lines stay bytes until needed: most of the stream is narrative that is skipped.
    """

    def __init__(self, history: RepositoryHistory, boundary: set[str]):
        self.history = history
        self.boundary = boundary
        self.commit: _Commit | None = None
        self.path: str | None = None  # the file whose diff is streaming past
        self.in_hunk = False
        self.front_matter: list[bytes] | None = None  # lines so far; None when not collecting
        self.fence_seen = False
        self.session_of_path: dict[str, str] = {}  # path → session id of its last version
        self.last_front_matter: dict[str, bytes] = {}  # path → front matter of its last version

    def read(self, lines: Iterator[bytes]) -> None:
        for line in lines:
            if line.startswith(b"\x00"):  # diff lines start with " ", "+", "-", "@", "\\" or a word
                self.finish_file()
                self.start_commit(line.decode("utf-8", errors="replace"))
            elif line.startswith(b"diff --git "):
                self.finish_file()
            elif self.front_matter is not None:
                self.content_line(line)
            elif not self.in_hunk:
                self.header_line(line)
        self.finish_file()

    def start_commit(self, line: str) -> None:
        _, _, commit, timestamp, subject = line.split("\x00", 4)
        moment = datetime.fromtimestamp(int(timestamp), tz=SHANGHAI)
        self.commit = _Commit(commit, moment, _public_subject(subject.strip()), commit in self.boundary)

    def header_line(self, line: bytes) -> None:
        if line.startswith(b"+++ b/"):
            self.path = _path(line[len(b"+++ b/"):])
        elif line.startswith(b"--- a/"):
            self.path = _path(line[len(b"--- a/"):])  # kept if the file is deleted
        elif line.startswith(b"@@"):
            self.in_hunk = True
            self.front_matter = [] if _is_session_path(self.path) else None
            self.fence_seen = False

    def content_line(self, line: bytes) -> None:
        """A line of the whole-file hunk: ' ' or '+' belong to the new version."""
        assert self.front_matter is not None
        if line[:1] not in (b" ", b"+"):
            return  # a removed line, or "\ No newline at end of file"
        text = line[1:].rstrip(b"\r")
        if not self.fence_seen:
            self.fence_seen = True
            if text.removeprefix(b"\xef\xbb\xbf").rstrip() != b"---":
                self.front_matter = None  # no front matter: the loader will say so
            return
        if text.rstrip() in (b"---", b"..."):
            self.record_version(b"\n".join(self.front_matter))
            self.front_matter = None
            return
        self.front_matter.append(text)

    def finish_file(self) -> None:
        """End of one file's diff: note the revision (deleted or added alike)."""
        # A shallow clone's oldest commit shows every file as new, touched or not.
        if self.commit is not None and not self.commit.boundary and _is_session_path(self.path):
            assert self.path is not None
            session_id = self.session_of_path.get(self.path) or _default_id(self.path)
            revisions = self.history.revisions.setdefault(session_id, [])
            if not revisions or revisions[-1].commit != self.commit.hash:
                revisions.append(Revision(self.commit.hash, self.commit.moment.date(), self.commit.subject))
        self.path, self.in_hunk, self.front_matter = None, False, None

    def record_version(self, front_matter: bytes) -> None:
        """One version of a session's front matter, as of the current commit."""
        assert self.path is not None and self.commit is not None
        if self.last_front_matter.get(self.path) == front_matter:
            return  # only the narrative changed
        self.last_front_matter[self.path] = front_matter
        version = _read_version(front_matter.decode("utf-8", errors="replace"))
        if version is None:
            return  # a broken version: it could not have been built, so nothing was published
        session_id = version.id or _default_id(self.path)
        self.session_of_path[self.path] = session_id
        published_at = version.published_at(self.commit.moment)
        if published_at is None or self.commit.boundary:
            return  # not public in this version, or a shallow clone's stand-in for older history
        for outcome_id, count in version.update_counts:
            for position in range(1, count + 1):
                self.history.first_published.setdefault((session_id, outcome_id, position), published_at)


# -- reading one version's front matter -------------------------------------------
#
# Only a few facts of each old version matter, so the YAML is composed into nodes
# (in C, no type guessing) and only those facts are read; a full load of every
# version costs twice as much on a long history.

_Loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
# PyYAML's safe loader reads these plain scalars as false, or as null.
_FALSE = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"}
_NULL = {"", "~", "null", "Null", "NULL"}


@dataclass
class _Version:
    id: str | None
    draft: bool
    publish_date: str | None
    update_counts: list[tuple[str, int]]  # (outcome id, number of updates)

    def published_at(self, committed: datetime) -> date | None:
        """When this version became public: on commit, or when its embargo ended."""
        if self.draft:
            return None
        if self.publish_date is None:
            return committed.date()
        embargo = parse_moment(self.publish_date)
        if embargo is None:
            return None  # an unreadable embargo fails the build: not published
        return max(committed, embargo).astimezone(SHANGHAI).date()


def _read_version(text: str) -> _Version | None:
    try:
        root = yaml.compose(text, Loader=_Loader)  # noqa: S506 - composes nodes, builds no objects
    except (yaml.YAMLError, RecursionError, ValueError):
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    meta = _mapping(root)
    draft = meta.get("draft")
    return _Version(
        id=_scalar(meta.get("id")),
        # Anything but a plain false is a draft: the loader errs on the safe side too.
        draft=draft is not None and _scalar(draft) is not None and not _plain_in(draft, _FALSE),
        publish_date=_scalar(meta.get("publish_date")),
        update_counts=list(_update_counts(meta.get("outcomes"))),
    )


def _update_counts(outcomes: yaml.Node | None) -> Iterator[tuple[str, int]]:
    if not isinstance(outcomes, yaml.SequenceNode):
        return
    for node in outcomes.value:
        if isinstance(node, yaml.MappingNode):
            outcome = _mapping(node)
            updates = outcome.get("updates")
            if outcome_id := _scalar(outcome.get("id")):
                yield outcome_id, len(updates.value) if isinstance(updates, yaml.SequenceNode) else 0


def _mapping(node: yaml.MappingNode) -> dict[str, yaml.Node]:
    return {key.value: value for key, value in node.value if isinstance(key, yaml.ScalarNode)}


def _scalar(node: yaml.Node | None) -> str | None:
    """The text of a scalar, None for a missing, null or non-scalar value."""
    if not isinstance(node, yaml.ScalarNode) or _plain_in(node, _NULL):
        return None
    return node.value.strip() or None


def _plain_in(node: yaml.Node, words: set[str]) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.style is None and node.value in words


def _public_subject(subject: str) -> str:
    return WITHHELD_SUBJECT if find_personal_numbers(subject) else subject


def _path(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace").rstrip("\t")


def _is_session_path(path: str | None) -> bool:
    """sessions/<year>/<slug>.md, the only place session records live."""
    if not path:
        return False
    parts = PurePosixPath(path).parts
    return len(parts) == 3 and parts[0] == SESSIONS_DIR and parts[2].endswith(".md") and parts[2] != "index.md"


def _default_id(path: str) -> str:
    parts = PurePosixPath(path).parts
    return f"{parts[1]}/{PurePosixPath(parts[2]).stem}"
