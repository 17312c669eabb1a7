"""No HTML in Python strings: every piece of markup the site writes comes from an autoescaped template.

Markup built in f-strings escapes only where someone remembered to, and drifts
from the templates' markup of the same thing (the feeds once carried their own
copy of the session page's timeline). So every ``.py`` under plugins/ is read
with ``ast``, and a string constant that holds an HTML tag fails the test:
plain strings, f-string parts (``f"<p>{x}</p>"``) and bytes, including a tag
whose name is filled in (``f"<{tag}>"``).

What counts as a tag: ``<`` or ``</`` and the name of an HTML (or inline SVG)
element, then a space, ``>`` or ``/``; or ``<!doctype``, ``<!--``,
``<![CDATA[``. Only element names, because staff-facing messages and help
texts write placeholders in angle brackets (``platforms/<slug>.md``,
``<session id>#<outcome id>``) and regular expressions write ``(?<!…)``;
none of those is a tag a browser would read.

Docstrings are not looked at: they are documentation, never output, and
explaining what the sanitiser removes means writing ``<script>``. Nothing else
is allowed.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

PLUGINS = Path(__file__).resolve().parents[1] / "plugins"

HTML_ELEMENTS = frozenset("""
a abbr address area article aside audio b base bdi bdo blockquote body br button canvas caption cite code
col colgroup data datalist dd del details dfn dialog div dl dt em embed fieldset figcaption figure footer
form h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins kbd label legend li link main map
mark menu meta meter nav noscript object ol optgroup option output p param picture pre progress q rp rt
ruby s samp script search section select slot small source span strong style sub summary sup table tbody
td template textarea tfoot th thead time title tr track u ul var video wbr
svg g rect circle ellipse line polyline polygon path text tspan defs use symbol
""".split())

FILLED_IN = "\x00"  # stands for an f-string's {value}
_TAG = re.compile(
    rf"</?(?:(?P<name>[a-zA-Z][a-zA-Z0-9]*)(?=[\s/>]|$)|{FILLED_IN})|<!(?:doctype|--|\[CDATA\[)",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> str | None:
    """The first tag in the text, or None."""
    for match in _TAG.finditer(text):
        name = match.group("name")
        if name is None or name.lower() in HTML_ELEMENTS:
            return match.group(0)
    return None


def docstrings(tree: ast.AST) -> set[int]:
    """ids of the string nodes that are docstrings (module, class, function)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                found.add(id(first.value))
    return found


def strings(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Every string constant with its line; an f-string as one text, each {value} as FILLED_IN."""
    skip = docstrings(tree)
    inside_fstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = []
            for value in node.values:
                inside_fstrings.add(id(value))
                parts.append(value.value if isinstance(value, ast.Constant) else FILLED_IN)
            yield node.lineno, "".join(parts)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and id(node) not in skip and id(node) not in inside_fstrings:
            if isinstance(node.value, str):
                yield node.lineno, node.value
            elif isinstance(node.value, bytes):
                yield node.lineno, node.value.decode("latin-1")


def html_in_strings(source: str, name: str = "<source>") -> list[str]:
    """'file:line: tag' for every string of the source that holds HTML."""
    found = []
    for line, text in strings(ast.parse(source, name)):
        tag = looks_like_html(text)
        if tag is not None:
            found.append(f"{name}:{line}: {tag!r} in {text[:60]!r}")
    return sorted(found)


def test_no_python_file_under_plugins_writes_html() -> None:
    files = sorted(PLUGINS.rglob("*.py"))
    assert len(files) > 20, "the plugin sources were not found"
    found = [hit for path in files for hit in html_in_strings(path.read_text(encoding="utf-8"), str(path.relative_to(PLUGINS)))]
    assert found == [], "HTML belongs in a template (plugins/huiyin/core/outputs/templates/ or theme_overrides/):\n" + "\n".join(found)


@pytest.mark.parametrize("source", [
    'x = f"<p>{escape(text)}</p>"',
    'x = "<h2>媒体报道</h2><ul>"',
    "x = f'<p>来源：<a href=\"{url}\">{name}</a></p>'",
    'x = f"<{tag}>{text}</{tag}>"',  # a tag whose name is filled in
    "x = f'<!doctype html><html lang=\"{LANGUAGE}\"><body>{body}</body></html>'",
    'x = Markup("<br>")',
    'x = "<A HREF=x>"',
    'x = b"<script>"',
    'x = "<!-- a comment -->"',
    'x = f"前文{a}<span class=\\"hy\\">{b}"',
])
def test_html_in_a_string_is_found(source: str) -> None:
    assert html_in_strings(source), source


@pytest.mark.parametrize("source", [
    'def f():\n    """Removes <script> and onerror= from bodies."""',
    'x = "移到 platforms/<slug>.md"',
    'x = "活动id#建议id / <session id>#<outcome id>"',
    'x = "sessions/<年份>/<文件名>.md"',
    r'x = re.compile(r"(?<!\d)(\d{11})(?![\dA-Za-z])")',
    'x = f"{a} < {b}"',
])
def test_a_placeholder_or_a_docstring_is_not_html(source: str) -> None:
    assert html_in_strings(source) == [], source
