"""The home page: the staff-written welcome (index.md), then the site's figures
and the latest sessions (theme_overrides/huiyin/home.html)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..model.corpus import Corpus
from ..model.figures import Figures
from ..records.entities import Session
from ..site.pages import View
from ..site.paths import feed_path

LATEST_SESSIONS = 6
"""How many of the newest held sessions the home page lists.

The home page is a doorway, not a list: the figures stand above the rows,
and the links to every session (/sessions/, the brand pages) and the feed
right under them. Six rows take under half a phone's screen (52–80 px each,
362 px together on the sample's home page at 390 × 844), so those links stay
within reach, in a small site as in one of 20,000 sessions.
"""


@dataclass(frozen=True, kw_only=True)
class HomeView(View):
    """What the home page shows below the welcome; the template is the default one, front matter may name another."""

    template: ClassVar[str] = "huiyin/home.html"
    latest: list[Session]  # newest first
    figures: Figures  # of every published outcome
    feed: str | None = feed_path("")  # every session


def home_view(corpus: Corpus) -> HomeView:
    return HomeView(latest=corpus.held_sessions[:LATEST_SESSIONS], figures=corpus.site_figures)
