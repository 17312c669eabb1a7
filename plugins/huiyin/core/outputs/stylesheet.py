"""The status colours as a stylesheet, so that pages and charts take them from one table.

STATUS_STYLES (records/vocab.py) is the one place a status colour is written:
the SVG status chart needs each colour as a value at build time (a fill
attribute, which holds when a page is saved or printed without its CSS), and
the badges need it in CSS. So the CSS is generated from the table — custom
properties ``--hy-<status>`` and one ``.hy-badge--<status>`` rule each — rather
than the table read back from a hand-written stylesheet. The adapter adds it
to the site as ``assets/huiyin-status.css`` (listed in mkdocs.yml extra_css).
"""

from __future__ import annotations

import re

from ..records.vocab import STATUS_STYLES, Status
from .templates import render

STATUS_STYLESHEET = "assets/huiyin-status.css"  # site path

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")  # what the table holds; anything else would not be CSS we meant
_MODIFIER = re.compile(r"[a-z][a-z-]*")


def status_stylesheet() -> str:
    """The stylesheet's text, statuses in vocabulary order (the same bytes every build)."""
    styles = [STATUS_STYLES[status] for status in Status]
    for style in styles:
        if not _COLOUR.fullmatch(style.colour) or not _MODIFIER.fullmatch(style.css):
            raise ValueError(f"STATUS_STYLES: not a #rrggbb colour and a CSS class modifier: {style}")
    return render(STATUS_STYLESHEET, styles=styles) + "\n"
