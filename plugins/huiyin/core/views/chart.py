"""Geometry of the status chart: one horizontal bar per status.

The numbers are worked out here, at build time, so that the page carries a
finished inline SVG (drawn by the ``status_chart`` macro in
theme_overrides/huiyin/chart.html): no chart library, no script, nothing
from a CDN, and it prints and reads the same on a slow phone.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.figures import Figures, format_rate
from ..records.vocab import STATUS_STYLES, Status

# The drawing's own coordinate system (the SVG viewBox); CSS scales it to fit.
WIDTH = 480
LABEL_WIDTH = 72  # room for a four-character status label
VALUE_WIDTH = 112  # room after the longest bar for "12345（100.0%）"
ROW_HEIGHT = 30
BAR_HEIGHT = 18
PADDING = 6
MIN_BAR = 2  # a status that has any outcome at all never vanishes


@dataclass(frozen=True)
class Bar:
    status: Status
    label: str
    count: int
    share: str  # "42.9%" of the total
    css: str
    colour: str
    y: float  # top edge of the bar
    length: float
    text_y: float  # baseline for the label and the value

    @property
    def value_text(self) -> str:
        return f"{self.count}（{self.share}）"


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bar_x: int  # where every bar starts (labels sit to its left)
    bar_height: int
    total: int
    bars: tuple[Bar, ...]

    @property
    def description(self) -> str:
        """What the chart says, in words, for screen readers."""
        parts = "，".join(f"{bar.label} {bar.count} 条" for bar in self.bars)
        return f"共 {self.total} 条问题及建议：{parts}"

    def value_x(self, bar: Bar) -> float:
        return self.bar_x + bar.length + PADDING


def status_chart(figures: Figures) -> BarChart:
    """Bars scaled to the largest status, in the order of the status vocabulary."""
    longest = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    largest = max(figures.by_status.values(), default=0)
    bars = []
    for row, status in enumerate(Status):
        count = figures.by_status.get(status, 0)
        length = longest * count / largest if largest else 0.0
        if count:
            length = max(length, MIN_BAR)
        y = PADDING + row * ROW_HEIGHT
        style = STATUS_STYLES[status]
        bars.append(
            Bar(
                status=status,
                label=status.label,
                count=count,
                share=format_rate(count / figures.total if figures.total else None),
                css=style.css,
                colour=style.colour,
                y=y,
                length=round(length, 1),
                text_y=y + BAR_HEIGHT - 4,
            )
        )
    return BarChart(
        width=WIDTH,
        height=2 * PADDING + len(bars) * ROW_HEIGHT - (ROW_HEIGHT - BAR_HEIGHT),
        bar_x=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
        total=figures.total,
        bars=tuple(bars),
    )
