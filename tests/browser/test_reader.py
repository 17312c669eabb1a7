"""What a reader sees in a real browser: the sample site, served from 127.0.0.1.

Every request is recorded: a page that asked a CDN or font host for anything
would be slow or broken for readers behind the firewall or on a weak signal.
Screenshots land in test-artifacts/browser/ for a person to look at.
"""

from __future__ import annotations

import re

import pytest
from browserkit import PHONE, Visit
from playwright.sync_api import Locator

pytestmark = pytest.mark.browser

PARKING = "sessions/2021/qtysl-04-tingche/"
PARKING_TITLE = "破解停车难：停车场规划建设与共享使用"
FEEDBACK = "feedback/"


def count_beside(link: Locator) -> int:
    """The count the feedback filter menu prints after a link."""
    return int(link.locator("xpath=following-sibling::span[contains(@class, 'hy-count')]").inner_text())


@pytest.mark.parametrize("path, name", [("", "home"), (PARKING, "session")])
def test_pages_load_everything_from_the_site_itself(desktop: Visit, base_url: str, path: str, name: str) -> None:
    response = desktop.page.goto(base_url + path, wait_until="networkidle")
    assert response is not None and response.ok
    assert desktop.requests, "no request was recorded"
    assert desktop.offsite_requests() == []
    # Feed autodiscovery links must not make Material download the sitemap.
    assert not [url for url in desktop.requests if url.endswith("sitemap.xml")]
    assert desktop.errors == []
    desktop.screenshot(f"desktop-{name}")


def test_session_page_shows_outcomes_and_revision_history(desktop: Visit, base_url: str) -> None:
    page = desktop.page
    page.goto(base_url + PARKING)
    assert page.get_by_role("heading", level=1).inner_text() == PARKING_TITLE
    assert page.locator(".hy-outcome").count() > 0
    revisions = page.locator("ol.hy-revisions li")
    assert revisions.count() == 1 and "导入样例内容" in revisions.first.inner_text()
    assert page.locator(".hy-first-public").count() > 0


def test_feedback_list_narrows_to_one_status(desktop: Visit, base_url: str) -> None:
    page = desktop.page
    page.goto(base_url + FEEDBACK)
    filters = page.get_by_role("navigation", name="筛选问题及建议")
    everything = count_beside(filters.get_by_role("link", name="全部", exact=True))
    link = filters.get_by_role("link", name="已落实", exact=True)
    shown = count_beside(link)
    assert 0 < shown < everything
    link.click()
    page.wait_for_url(re.compile(r"/feedback/status/implemented/$"))
    items = page.locator("li.hy-fb-item")
    assert items.count() == shown
    badges = page.locator("li.hy-fb-item .hy-fb-item__state .hy-badge:not(.hy-badge--overdue)")
    assert set(badges.all_inner_texts()) == {"已落实"}
    assert page.get_by_role("navigation", name="筛选问题及建议").locator("strong[aria-current=page]").inner_text() == "已落实"
    desktop.screenshot("desktop-feedback-implemented")


@pytest.mark.parametrize("path, name", [("", "home"), (PARKING, "session"), (FEEDBACK, "feedback")])
def test_phone_screens_never_scroll_sideways(phone: Visit, base_url: str, path: str, name: str) -> None:
    page = phone.page
    page.goto(base_url + path, wait_until="networkidle")
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})"
    )
    phone.screenshot(f"phone-{name}")
    assert widths["client"] <= PHONE["width"]
    assert widths["scroll"] <= widths["client"], f"/{path} is {widths['scroll']}px wide on a {widths['client']}px phone"
    assert phone.offsite_requests() == []


def test_chinese_search_from_the_header_finds_the_parking_session(desktop: Visit, base_url: str) -> None:
    page = desktop.page
    page.goto(base_url + FEEDBACK)
    box = page.locator("header input[type=search]")
    box.click()
    box.press_sequentially("停车", delay=50)
    results = page.locator("header .md-search-result")  # Material's result list, which our search fills
    result = results.get_by_role("link").filter(has_text=PARKING_TITLE)
    result.first.wait_for(timeout=30_000)
    desktop.screenshot("desktop-search-tingche", full_page=False)
    result.first.click()
    page.wait_for_url(re.compile(f"/{PARKING}$"))
    assert desktop.offsite_requests() == []
    assert desktop.errors == []
