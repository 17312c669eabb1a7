"""`mkdocs serve` shows staff their edits: a changed session or departments file
rebuilds the record pages and the generated ones (archive, feedback) with it.

Runs the real dev server on a free localhost port and edits files under it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sitebuilder import FIXED_EPOCH, SiteFolder, outcome, session

SESSION = "sessions/2021/tingche.md"
WAIT = 20.0  # seconds for one rebuild to show; a build of this site takes about 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def parking(title: str) -> str:
    return session(title, "qingdao", "2021-04-02", [
        outcome("parking-sharing", "错时开放机关停车场", ["市住建局"], ("2021-04-02", "submitted")),
    ])


class DevServer:
    def __init__(self, folder: SiteFolder, tmp: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": FIXED_EPOCH}
        self.log = (tmp / "serve.log").open("w+", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{self.port}"],
            cwd=folder.root, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )

    def fetch(self, path: str) -> str:
        try:
            with urllib.request.urlopen(self.url + path, timeout=5) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return ""

    def wait_for(self, path: str, text: str) -> str:
        """Poll a served page until it holds `text`; fail with the server's log if it never does."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if text in (html := self.fetch(path)):
                return html
            time.sleep(0.2)
        self.log.seek(0)
        pytest.fail(f"/{path} did not show {text!r} within {WAIT:.0f} s; server log:\n{self.log.read()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture
def server(site: SiteFolder, tmp_path: Path) -> Iterator[tuple[SiteFolder, DevServer]]:
    site.write(SESSION, parking("停车难"))
    dev = DevServer(site, tmp_path)
    try:
        dev.wait_for("sessions/", "停车难")
        yield site, dev
    finally:
        dev.stop()


def test_edits_show_in_record_and_generated_pages(server: tuple[SiteFolder, DevServer]) -> None:
    site, dev = server
    site.write(SESSION, parking("破解停车难"))
    dev.wait_for("sessions/", "破解停车难")  # the archive, a generated page
    dev.wait_for("platforms/qingdao/", "破解停车难")  # the brand page
    dev.wait_for("sessions/2021/tingche/", "破解停车难")

    departments = site.content / "departments.yml"
    departments.write_text(
        departments.read_text(encoding="utf-8").replace("name: 青岛市住房和城乡建设局", "name: 青岛市住房和城乡建设管理局"),
        encoding="utf-8",
    )
    dev.wait_for("sessions/2021/tingche/", "青岛市住房和城乡建设管理局")
    dev.wait_for("feedback/departments/qd-zhujian/", "青岛市住房和城乡建设管理局")
