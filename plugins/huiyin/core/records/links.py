"""Links written in the Markdown body of a record or page.

Front-matter links are checked field by field (fields.unsafe_url). A body is
Markdown with raw HTML allowed, so its links are found here: inline links and
images, reference definitions, autolinks, and URL attributes of raw HTML, with
HTML entities decoded first (``&#106;avascript:`` is ``javascript:`` to a
browser). The page sanitiser would strip them anyway; reporting them tells
staff their link is gone instead of letting it vanish.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .fields import unsafe_url
from .problems import ProblemLog

_INLINE = re.compile(r"\]\(\s*<?([^)\s>]+)")
_REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]]+\]:[ \t]*<?([^\s>]+)", re.M)
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*)>")
_ATTRIBUTE = re.compile(
    r"""\b(?:href|src|action|formaction|poster|background|xlink:href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""",
    re.I,
)


@dataclass(frozen=True)
class BodyLink:
    offset: int  # in the body, for the line number
    url: str
    problem: str


def unsafe_body_links(body: str) -> list[BodyLink]:
    found: list[BodyLink] = []
    for pattern in (_INLINE, _REFERENCE, _AUTOLINK, _ATTRIBUTE):
        for match in pattern.finditer(body):
            url = html.unescape(next(group for group in match.groups() if group is not None))
            if problem := unsafe_url(url):
                found.append(BodyLink(match.start(), url, problem))
    return sorted(found, key=lambda link: link.offset)


def check_body_links(log: ProblemLog, body: str, body_line: int) -> None:
    for link in unsafe_body_links(body):
        line = body_line + body.count("\n", 0, link.offset)
        log.add(line, f"正文中的链接不安全或无效：「{link.url[:60]}」", link.problem)
