"""HTML sanitising with nh3 (Ammonia), shared by pages and feeds.

Record bodies are Markdown, and Markdown passes raw HTML through: a pasted
<script> or onerror= would run in readers' browsers and in every newsroom
that embeds our feeds. Only structural markup survives; links keep http,
https and relative targets.
"""

from __future__ import annotations

import nh3

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}
_COMMON = {"id", "class", "title", "lang"}
_ATTRIBUTES = {
    "*": _COMMON,
    "a": _COMMON | {"href"},
    "img": _COMMON | {"src", "alt", "width", "height"},
    "td": _COMMON | {"colspan", "rowspan", "align"},
    "th": _COMMON | {"colspan", "rowspan", "align", "scope"},
    "time": _COMMON | {"datetime"},
    "ol": _COMMON | {"start"},
}


def sanitize_html(html: str) -> str:
    """Markup safe to embed anywhere: no scripts, handlers, styles or unsafe URLs."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="noopener nofollow",
        strip_comments=True,
    )
