"""What a share image shows, and so its file name: drawn later, named now.

A link pasted into WeChat (or any app that reads Open Graph) shows the
page's og:image beside its title. For a session or a brand it is the 回 mark
over a bar of its outcomes by status, in the status colours of the pages
(STATUS_STYLES, records/vocab.py). No text is drawn: text would need a CJK
font in every publishing pipeline and would make the bytes depend on the
font's version.

The file is named by the hash of everything it shows (``assets/share/<hash>.png``),
so the page only needs the name, which costs microseconds here; the drawing
is done once per distinct picture, in the build's second-core child
(outputs/share_images.py). The bar is quantised to BAR_SEGMENTS segments: two
sessions whose outcomes split alike (2 of 3 implemented, 4 of 6
implemented…) show the same picture and share a file. The generated provincial
corpus of 2,000 sessions (bench/generate.py) needs 508 files for 1,947 session
and 129 brand pages: a session has one to six outcomes, and there are only so
many ways to split six outcomes over six statuses, so the count stays in the
hundreds however many sessions there are.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from ..records.vocab import STATUS_STYLES, Status
from ..site.paths import share_image_path

SIZE = 600  # px, square: WeChat shows ≥ 300 px; 600 stays sharp on a 2× screen, ≈ 1 KB as PNG
BAR_SEGMENTS = 24  # the bar is 480 px wide, 20 px a segment: one segment is 1/24 ≈ 4 % of the outcomes
# The site's red (theme_overrides/assets/huiyin.css, --md-primary-fg-color); tests/test_sharing.py
# checks that the two agree.
MARK_COLOUR = "#b71c1c"
DESIGN = "1"  # change when the drawing changes: every file name changes with it, so no cache keeps an old picture


@dataclass(frozen=True)
class ShareImage:
    """One picture: the mark's colour and the bar's segments, as (status colour, segments) left to right."""

    mark: str
    bar: tuple[tuple[str, int], ...]  # empty: nothing to show yet (a planned session), a grey track
    path: str = field(init=False)  # site path, from the hash of the fields above

    def __post_init__(self) -> None:
        inputs = f"{DESIGN}|{SIZE}|{BAR_SEGMENTS}|{self.mark}|{self.bar}"
        digest = hashlib.sha256(inputs.encode("ascii")).hexdigest()[:16]
        object.__setattr__(self, "path", share_image_path(digest))


def segments(counts: tuple[int, ...]) -> list[int]:
    """Each status's share of BAR_SEGMENTS (counts in vocabulary order; largest remainder, ties to the earlier status)."""
    total = sum(counts)
    if not total:
        return [0] * len(counts)
    shares = [value * BAR_SEGMENTS // total for value in counts]
    by_remainder = sorted(range(len(counts)), key=lambda i: (-(counts[i] * BAR_SEGMENTS % total), i))
    for index in by_remainder[: BAR_SEGMENTS - sum(shares)]:
        shares[index] += 1
    return shares


def site_mark() -> ShareImage:
    """The site's own picture, for every page that has no outcomes of its own (lists, feedback, data…).

    The mark over a bar in the site's red, the same in every build: a picture
    of the whole site's outcomes would change with every answer recorded, and
    with it the og:image of hundreds of list pages that show nothing else of
    that outcome, which `mkdocs serve --dirty` would then have to render again
    (views/changes.py).
    """
    return ShareImage(MARK_COLOUR, ((MARK_COLOUR, BAR_SEGMENTS),))


@cache
def _picture(mark: str, counts: tuple[int, ...]) -> ShareImage:
    bar = tuple((STATUS_STYLES[status].colour, n) for status, n in zip(Status, segments(counts)) if n)
    return ShareImage(mark, bar)


def share_image(counts: Mapping[Status, int], mark: str = MARK_COLOUR) -> ShareImage:
    """The picture of a set of outcomes counted by status.

    Remembered by the counts: sessions repeat a few hundred ways of splitting
    their outcomes, so most pages find their picture named already (≈ 2 µs
    instead of ≈ 20 µs for the hash).
    """
    return _picture(mark, tuple(counts.get(status, 0) for status in Status))


def status_counts(statuses: list[Status]) -> dict[Status, int]:
    counts: dict[Status, int] = {}
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
    return counts


def describe_counts(counts: Mapping[Status, int]) -> str:
    """The bar in words (the image's alt text): 办理状态：已落实 2 条、办理中 1 条."""
    parts = [f"{status.label} {counts[status]} 条" for status in Status if counts.get(status)]
    return "办理状态：" + "、".join(parts) if parts else "尚无问题及建议"
