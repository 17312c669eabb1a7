"""Problems found in content, reported the way staff can act on them.

Every problem names a file, a line where one is known, what is wrong and what
to do about it. Loading never stops at the first problem: a build collects them
all so that one run shows everything a record needs fixing.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int | None
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text


def problems_added(before: list[Problem], after: list[Problem]) -> list[Problem]:
    """Problems in ``after`` that ``before`` did not have, by message and hint (an edit moves lines).

    `huiyin update` and `huiyin import` refuse an edit only for what it adds: a record that
    already had a problem must still take an answer.
    """
    seen = Counter((p.message, p.hint) for p in before)
    added: list[Problem] = []
    for problem in after:
        key = (problem.message, problem.hint)
        if seen[key]:
            seen[key] -= 1
        else:
            added.append(problem)
    return added


class ContentError(Exception):
    """Raised with every problem of a corpus at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or 0, p.message))
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        lines = [f"内容有 {count} 处问题（content has {count} problem(s)）："]
        lines += [f"  {problem}" for problem in self.problems]
        return "\n".join(lines)


class ProblemLog:
    """Collects problems for one file, so callers need not repeat its path."""

    def __init__(self, path: str, sink: list[Problem]):
        self.path = path
        self._sink = sink

    def add(self, line: int | None, message: str, hint: str = "") -> None:
        self._sink.append(Problem(self.path, line, message, hint))


def display_path(path: Path, root: Path) -> str:
    """A path staff can open: relative to the working folder when possible."""
    resolved = _resolved_folder(path.parent) / path.name
    try:
        return str(resolved.relative_to(_resolved_folder(Path.cwd())))
    except ValueError:
        try:
            return str(Path(root.name) / resolved.relative_to(_resolved_folder(root)))
        except ValueError:
            return str(path)


@functools.lru_cache(maxsize=1024)
def _resolved_folder(folder: Path) -> Path:
    # Resolving walks every component of a path (a system call each); the
    # loader asks once per record, and a province has 20,000 records in a
    # few hundred folders.
    return folder.resolve()
