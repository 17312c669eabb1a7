"""Real-browser fixtures: the sample site built once, served on 127.0.0.1, and
headless Chromium (Debian's package) driven by Playwright.

Chromium is not optional: CI installs it (./dev test), so a missing browser is a
failure with a message that says how to install it, never a skip.

Module-scoped: Playwright's sync API cannot run twice at once in one thread, and
other test modules start their own, so the browser closes with each module.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nginxserver
import pytest
from browserkit import CHROMIUM, CHROMIUM_FLAGS, DESKTOP, PHONE, Visit, open_tab
from sitebuilder import REPO, SiteFolder


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own sample content, built as CI would: the built site's folder."""
    root = tmp_path_factory.mktemp("browser-site")
    build_sample(root)
    return root / "site"


@pytest.fixture(scope="module")
def base_url(sample_site: Path) -> Iterator[str]:
    """The sample site (sample_site) served by Python's http.server on a free 127.0.0.1 port.

    site_url stays the production address of mkdocs.yml: the page is served
    from elsewhere (as a preview or a mirror would be), so any request that
    follows an absolute link to site_url shows up as a request to another host.
    """
    handler = functools.partial(QuietHandler, directory=str(sample_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def nginx_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same sample site served by a real nginx with deploy/nginx/huiyin.conf on a free
    127.0.0.1 port, so pages arrive with the production headers (Content-Security-Policy)."""
    nginxserver.require_nginx()
    root = tmp_path_factory.mktemp("nginx-site")
    build_sample(root)
    with nginxserver.serve(root / "site", root / "nginx") as url:
        yield url


def build_sample(root: Path) -> None:
    folder = SiteFolder(root, with_defaults=False)
    shutil.copytree(REPO / "content", folder.content, dirs_exist_ok=True)
    # A one-commit repository, so session pages carry their revision history as in production.
    identity = ["-c", "user.name=回音", "-c", "user.email=ci@example.org"]
    for command in (
        ["git", "init", "-q", "-b", "main"],
        ["git", *identity, "add", "content"],
        ["git", *identity, "commit", "-q", "-m", "导入样例内容"],
    ):
        subprocess.run(command, cwd=root, check=True, capture_output=True)
    result = folder.build()
    assert result.returncode == 0, result.log


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        pytest.fail(
            f"找不到 Chromium（{CHROMIUM}）：浏览器测试需要 Debian 的 chromium 软件包。"
            "请运行 ./dev test（会自动安装），或 apt-get update && apt-get install -y chromium"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def desktop(browser: Any) -> Iterator[Visit]:
    visit = open_tab(browser, DESKTOP)
    yield visit
    visit.page.context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Visit]:
    visit = open_tab(browser, PHONE)
    yield visit
    visit.page.context.close()
