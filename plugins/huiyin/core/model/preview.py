"""Partial previews: render only some platforms' or years' sessions.

A provincial site holds tens of thousands of sessions; `mkdocs serve` rebuilds
all of them on every save. Staff checking their own county's records set

    HUIYIN_ONLY_PLATFORMS=yingze,taiyuan   (brand slugs; sub-brands included)
    HUIYIN_ONLY_YEARS=2025,2026

and the preview renders only those sessions, with every list, brand page,
figure and feed computed over them. Validation still reads the whole corpus
(it is cheap next to rendering), so a mistake anywhere is still reported.
A restricted build is not the site: the plugin says so loudly, as a warning,
so that `mkdocs build --strict` (CI, publishing) refuses to produce it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..records.entities import Session
from ..records.fields import suggest
from .corpus import Corpus

ENV_PLATFORMS = "HUIYIN_ONLY_PLATFORMS"
ENV_YEARS = "HUIYIN_ONLY_YEARS"

_SEPARATORS = re.compile(r"[\s,，、;；]+")


class PreviewScopeError(ValueError):
    """A preview variable names something that does not exist; the message says what to write."""


@dataclass(frozen=True)
class PreviewScope:
    platforms: tuple[str, ...] = ()  # brand slugs as written
    brands: frozenset[str] = frozenset()  # those brands and all their sub-brands
    years: frozenset[int] = frozenset()

    def includes(self, session: Session) -> bool:
        if self.brands and session.platform.slug not in self.brands:
            return False
        return not self.years or session.date.year in self.years

    def describe(self) -> str:
        parts = []
        if self.platforms:
            parts.append("平台 " + "、".join(self.platforms) + "（含下级平台）")
        if self.years:
            parts.append("年份 " + "、".join(str(year) for year in sorted(self.years)))
        return "，".join(parts)


def _items(raw: str) -> list[str]:
    return [item for item in _SEPARATORS.split(raw.strip()) if item]


def preview_scope(environ: Mapping[str, str], corpus: Corpus) -> PreviewScope | None:
    """The scope the environment asks for, or None for the whole site."""
    platforms = _items(environ.get(ENV_PLATFORMS, ""))
    years_written = _items(environ.get(ENV_YEARS, ""))
    if not platforms and not years_written:
        return None
    brands: set[str] = set()
    for slug in platforms:
        platform = corpus.platforms.get(slug)
        if platform is None:
            hint = suggest(slug, sorted(corpus.platforms)) or "平台标识即 content/platforms/ 下的文件名（不含 .md）"
            raise PreviewScopeError(f"{ENV_PLATFORMS} 中的平台「{slug}」不存在 — {hint}")
        brands.update(p.slug for p in platform.descendants_and_self())
    years: set[int] = set()
    for written in years_written:
        if not re.fullmatch(r"\d{4}", written):
            raise PreviewScopeError(f"{ENV_YEARS} 中的「{written}」不是四位年份 — 写成 {ENV_YEARS}=2025,2026")
        years.add(int(written))
    return PreviewScope(tuple(platforms), frozenset(brands), frozenset(years))


def restrict(corpus: Corpus, scope: PreviewScope) -> Corpus:
    """The corpus a partial preview renders: the same records, fewer sessions."""
    return corpus.restricted(scope.includes)
