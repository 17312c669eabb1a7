"""Helpers for the real-browser tests: where Chromium is, how it is started,
and a tab that records every request it makes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sitebuilder import REPO

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
ARTIFACTS = REPO / "test-artifacts" / "browser"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@dataclass
class Visit:
    """A browser tab that records what it asked for and what broke."""

    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def offsite_requests(self) -> list[str]:
        return [url for url in self.requests if urlsplit(url).scheme not in {"data", "blob"}
                and urlsplit(url).hostname != "127.0.0.1"]

    def screenshot(self, name: str, full_page: bool = True) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


def open_tab(browser: Any, viewport: dict[str, int]) -> Visit:
    context = browser.new_context(viewport=viewport, locale="zh-CN", service_workers="block")
    page = context.new_page()
    visit = Visit(page)
    page.on("request", lambda request: visit.requests.append(request.url))
    page.on("pageerror", lambda error: visit.errors.append(str(error)))
    return visit




# -- what a reader with poor sight, a shaky hand or a screen reader meets ----------

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Everything a finger can tap. A link inside a line of text is exempt (WCAG 2.5.5/2.5.8's
# inline exception): an inline <a> whose parent also holds other text.
SMALL_TARGETS = """(minimum) => {
  const found = [];
  const tappable = 'a[href], button, input:not([type=hidden]):not([type=checkbox]), label[for], select, textarea, summary, [role=button]';
  for (const el of document.querySelectorAll(tappable)) {
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= 0 || box.left >= innerWidth) continue;
    const inText = el.tagName === 'A' && getComputedStyle(el).display === 'inline'
      && el.parentElement.textContent.trim() !== el.textContent.trim();
    if (inText) continue;
    if (box.width < minimum - 0.5 || box.height < minimum - 0.5) {
      found.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 20)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return found;
}"""

# Every element that shows text of its own (a text node child), with its size and line height.
TEXT_SIZES = """(within) => {
  const found = [];
  for (const el of document.querySelectorAll(within + ' *')) {
    if (el.closest('svg') || !el.checkVisibility({visibilityProperty: true})) continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const style = getComputedStyle(el);
    if (style.position === 'absolute' && style.clip === 'rect(0px, 0px, 0px, 0px)') continue;  // screen readers only
    const size = parseFloat(style.fontSize);
    const line = style.lineHeight === 'normal' ? 1.2 * size : parseFloat(style.lineHeight);
    found.push({tag: el.tagName.toLowerCase(), cls: String(el.className), text: el.textContent.trim().slice(0, 20),
                size, ratio: line / size, heading: /^H[1-6]$/.test(el.tagName) || !!el.closest('h1,h2,h3,h4,h5,h6')});
  }
  return found;
}"""


def axe_violations(page: Any, tags: list[str] = WCAG_AA, rules: dict[str, bool] | None = None) -> list[str]:
    """Violations axe-core finds on the page among the rules with these tags (WCAG 2.1 A and AA
    unless told), plus or minus single rules ({"color-contrast-enhanced": True}), one line per
    node: rule, the node's selector, what is wrong."""
    from axe_playwright_python.sync_playwright import Axe

    options: dict[str, Any] = {"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]}
    if rules:
        options["rules"] = {rule: {"enabled": enabled} for rule, enabled in rules.items()}
    results = Axe().run(page, options=options)
    return [
        f"{violation['id']}: {' '.join(map(str, node['target']))} — {' '.join(node.get('failureSummary', '').split())[:300]}"
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]


def small_targets(page: Any, minimum: int) -> list[str]:
    return list(page.evaluate(SMALL_TARGETS, minimum))


def text_sizes(page: Any, within: str = "body") -> list[dict[str, Any]]:
    return list(page.evaluate(TEXT_SIZES, within))


def sideways_scroll(page: Any) -> tuple[int, int]:
    """(scrollWidth, clientWidth) of the page: a phone screen must not scroll sideways."""
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    return int(widths[0]), int(widths[1])
