"""The one pager: how a long list is cut into pages, and where each page lives.

Two path schemes exist because both are published and linked from outside:
the feedback lists number their pages ``<base><n>/`` (feedback/all/2/), the
session lists ``<base>page/<n>/`` (sessions/2021/page/2/, where ``<base><n>/``
would read as a year or a slug). Renaming either would break links that
newspapers already carry, so ``Pager`` takes the scheme as a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Scheme = Literal["numbered", "page"]


def list_page_path(base: str, number: int, scheme: Scheme = "numbered") -> str:
    """Site path of page ``number`` (1-based) of a list living at ``base``."""
    if number == 1:
        return base
    return f"{base}{number}/" if scheme == "numbered" else f"{base}page/{number}/"


def page_count(rows: int, page_size: int) -> int:
    return max(1, -(-rows // page_size))


@dataclass(frozen=True)
class Pager:
    """Where a page stands in its list, and the links to the others."""

    number: int  # 1-based
    paths: tuple[str, ...]  # site path of every page of the list
    start: int  # 1-based position of this page's first row in the whole list

    @property
    def count(self) -> int:
        return len(self.paths)

    @property
    def previous(self) -> str | None:
        return self.paths[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.paths[self.number] if self.number < self.count else None

    def window(self, around: int = 2) -> list[tuple[int, str] | None]:
        """Page links to show: first, last and a few around this one; None marks a gap."""
        shown = sorted({1, self.count, *range(self.number - around, self.number + around + 1)})
        links: list[tuple[int, str] | None] = []
        for number in (n for n in shown if 1 <= n <= self.count):
            if links and links[-1] is not None and number - links[-1][0] > 1:
                links.append(None)
            links.append((number, self.paths[number - 1]))
        return links

    @classmethod
    def pages(cls, rows: int, page_size: int, base: str, scheme: Scheme = "numbered") -> list[Pager]:
        """One pager per page of a list of ``rows`` rows."""
        count = page_count(rows, page_size)
        paths = tuple(list_page_path(base, number, scheme) for number in range(1, count + 1))
        return [cls(number, paths, (number - 1) * page_size + 1) for number in range(1, count + 1)]
