"""Every kind of page under the production Content-Security-Policy, in a real browser.

The sample site is served by nginx with deploy/nginx/huiyin.conf (tests/nginxserver.py),
so each page arrives with the header readers' browsers will get. Anything the policy
blocks — an inline script whose hash is missing, WebAssembly for the search, a style,
an image — is a failure, whether Chromium reports it as a `securitypolicyviolation`
event in the page or as a console message.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browserkit import DESKTOP, Visit, open_tab
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

PARKING = "sessions/2021/qtysl-04-tingche/"
PARKING_TITLE = "破解停车难：停车场规划建设与共享使用"

# Before any script of the page runs: keep every violation the page's document reports.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.effectiveDirective + " blocked " + (event.blockedURI || "?") +
    " at " + event.sourceFile + ":" + event.lineNumber + " " + (event.sample || ""));
}, true);
"""

PAGES = [
    ("", 200),                                   # home
    ("sessions/", 200),                          # the archive
    (PARKING, 200),                              # a session
    ("platforms/", 200),                         # all brands
    ("platforms/qingting-yu-shangliang/", 200),  # a brand
    ("feedback/", 200),                          # the results feedback list
    ("feedback/status/implemented/", 200),       # one of its sub-lists
    ("feedback/departments/", 200),              # the department ranking
    ("feedback/departments/qd-zhujian/", 200),   # one department
    ("tags/", 200),
    ("no/such/page/", 404),                      # the site's own 404 page
]


@pytest.fixture
def guarded(browser: Any) -> Iterator[tuple[Visit, list[str]]]:
    """A desktop tab that records CSP violations, and the console's CSP messages."""
    visit = open_tab(browser, DESKTOP)
    console: list[str] = []
    visit.page.on("console", lambda message: console.append(message.text)
                  if "Content Security Policy" in message.text else None)
    visit.page.add_init_script(RECORD_VIOLATIONS)
    yield visit, console
    visit.page.context.close()


def violations(visit: Visit, console: list[str]) -> list[str]:
    return list(visit.page.evaluate("() => window.__cspViolations || ['no recorder: init script did not run']")) + console


@pytest.mark.parametrize("path, status", PAGES, ids=[p or "home" for p, _ in PAGES])
def test_page_runs_under_the_production_policy(guarded: tuple[Visit, list[str]], nginx_url: str,
                                               path: str, status: int) -> None:
    visit, console = guarded
    response = visit.page.goto(nginx_url + path, wait_until="networkidle")
    assert response is not None and response.status == status
    assert "script-src" in response.headers.get("content-security-policy", ""), "not served with the policy"
    ran = visit.page.evaluate("""() => ({
        scope: typeof window.__md_scope === "object",
        bundle: typeof window.document$ === "object",
        ours: Document.prototype.querySelectorAll.toString().includes("alternate"),
    })""")
    # Each inline script and the bundle ran: a blocked one would leave its mark missing.
    assert ran == {"scope": True, "bundle": True, "ours": True}
    assert violations(visit, console) == []
    assert visit.errors == []
    assert visit.offsite_requests() == []


def test_search_runs_under_the_production_policy(guarded: tuple[Visit, list[str]], nginx_url: str) -> None:
    visit, console = guarded
    page = visit.page
    page.goto(nginx_url + "feedback/", wait_until="networkidle")
    box = page.locator("header input[type=search]")
    box.click()
    assert page.locator("#__search").is_checked(), "the search dialog did not open"
    box.press_sequentially("停车", delay=50)
    # Results appear only if Pagefind's WebAssembly and its index fetches were allowed.
    result = page.locator("header .md-search-result").get_by_role("link").filter(has_text=PARKING_TITLE)
    try:
        result.first.wait_for(timeout=30_000)
    except PlaywrightTimeout:
        pytest.fail(f"no search result for 停车; CSP reports: {violations(visit, console)}; "
                    f"page errors: {visit.errors}")
    page.wait_for_load_state("networkidle")
    visit.screenshot("csp-search-tingche", full_page=False)
    assert violations(visit, console) == []
    assert visit.errors == []
    assert any("/pagefind/" in url for url in visit.requests)
    assert visit.offsite_requests() == []
