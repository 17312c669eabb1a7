"""The results feedback list (结果反馈清单) and department pages.

Placeholder until issue 3 lands: only the /feedback/ overview, so that the
navigation and links of the foundation have a target.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .corpus import Corpus
    from .site import SitePage


def feedback_pages(corpus: Corpus) -> list[SitePage]:
    from .site import SitePage

    return [
        SitePage(
            "feedback/index.md",
            "结果反馈",
            "huiyin/feedback.html",
            {"figures": corpus.site_figures, "outcomes": corpus.published_outcomes},
            feed="feedback/feed.xml",
        )
    ]
