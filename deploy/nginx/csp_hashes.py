#!/usr/bin/env python3
"""Print the Content-Security-Policy script-src of huiyin.conf for a built site.

The site's pages carry a few small inline scripts (Material for MkDocs writes
two, our theme one). The policy in huiyin.conf allows exactly those by their
SHA-256 hash instead of allowing every inline script. The hashes change when
Material is upgraded or our theme's inline script changes; then run

    python3 deploy/nginx/csp_hashes.py site/

and put the line it prints into huiyin.conf (tests/test_hosting.py fails until
the file and the built site agree).

Material's first script names the site root relative to the page ("." on the
home page, "../.." two folders down, "/" on the 404 page), so it has one hash
per folder depth. Pages of a large site sit deeper than any page of the sample
(a brand's sessions, page 2: /platforms/<slug>/sessions/page/2/ is five down),
so the hash is given for every depth up to DEEPEST, not only the depths found.

Standard library only: runs on the server or the build machine as it is.
"""

from __future__ import annotations

import base64
import hashlib
import re
import sys
from pathlib import Path

DEEPEST = 8
# Data blocks (<script type="application/json">) are not run, so CSP does not look at them.
_INLINE = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.S)
_SCOPE = re.compile(r'^__md_scope=new URL\("(?P<base>[^"]*)",location\)')
_RUNS = {"", "text/javascript", "application/javascript", "module"}


def inline_scripts(html: str) -> list[str]:
    """The text of every inline script a browser would run in this page."""
    found = []
    for match in _INLINE.finditer(html):
        attrs = match.group("attrs")
        if re.search(r"\ssrc\s*=", attrs):
            continue
        kind = re.search(r"""\stype\s*=\s*["']?([^"'\s>]*)""", attrs)
        if kind and kind.group(1).lower() not in _RUNS:
            continue
        found.append(match.group("body"))
    return found


def sha256(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def scripts_of_site(site: Path) -> set[str]:
    """Every inline script of every page, with Material's root-naming script at every depth."""
    scripts: set[str] = set()
    for page in site.rglob("*.html"):
        scripts.update(inline_scripts(page.read_text(encoding="utf-8")))
    for script in list(scripts):
        scope = _SCOPE.match(script)
        if scope and not scope.group("base").startswith("/"):  # the 404 page names the root absolutely
            rest = script[scope.end():]
            for depth in range(DEEPEST + 1):
                base = "/".join([".."] * depth) or "."
                scripts.add(f'__md_scope=new URL("{base}",location)' + rest)
    return scripts


def script_src(site: Path) -> str:
    hashes = sorted(sha256(script) for script in scripts_of_site(site))
    # 'wasm-unsafe-eval': Pagefind, the site search, runs WebAssembly (and nothing else eval-like).
    return "script-src 'self' 'wasm-unsafe-eval' " + " ".join(hashes)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not Path(argv[1]).is_dir():
        print("用法 / usage: python3 deploy/nginx/csp_hashes.py <built site folder>", file=sys.stderr)
        return 2
    print(script_src(Path(argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
