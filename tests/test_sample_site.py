"""The sample site that ships in content/ builds strictly and is complete."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest
from sitebuilder import FIXED_EPOCH, REPO

sys.path.insert(0, str(REPO / "plugins"))
from huiyin.core.base.clock import build_time  # noqa: E402
from huiyin.core.model.loading import load_corpus  # noqa: E402
from huiyin.core.site.paths import session_path  # noqa: E402


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """Build the repository itself, as `mkdocs build --strict` would on main."""
    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    os.symlink(REPO / "theme_overrides", root / "theme_overrides")
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    corpus = load_corpus(root / "content", build_time({"SOURCE_DATE_EPOCH": FIXED_EPOCH}))
    return root / "site", corpus


def test_sample_is_realistic(sample):
    _, corpus = sample
    assert len(corpus.platforms) >= 8
    assert len({p.level for p in corpus.platforms.values()}) >= 3
    assert any(len(p.ancestors) >= 2 for p in corpus.platforms.values())  # real nesting
    assert len(corpus.published_sessions) >= 25
    assert len(corpus.published_outcomes) >= 60
    assert {o.status for o in corpus.published_outcomes} == set(type(corpus.published_outcomes[0].status))
    assert len([s for s in corpus.published_sessions if s.platform.slug == "qingting-yu-shangliang" and s.number]) == 11


def test_every_record_has_its_page(sample):
    site, corpus = sample
    for platform in corpus.platforms.values():
        assert (site / "platforms" / platform.slug / "index.html").is_file(), platform.slug
    for session in corpus.published_sessions:
        assert (site / session_path(session) / "index.html").is_file(), session.source_path


def test_unpublished_records_have_no_page(sample):
    site, corpus = sample
    assert corpus.unpublished_sessions, "the sample should show that drafts and embargoes stay out"
    for session in corpus.unpublished_sessions:
        assert not (site / session_path(session)).exists(), session.source_path


def test_session_pages_stay_small(sample):
    site, corpus = sample
    sizes = {session_path(s): (site / session_path(s) / "index.html").stat().st_size for s in corpus.published_sessions}
    largest = max(sizes, key=sizes.get)
    assert sizes[largest] < 60_000, (largest, sizes[largest])


def test_department_data_file_is_not_published_raw(sample):
    site, _ = sample
    assert not (site / "departments.yml").exists()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [value for name, value in attrs if name in ("href", "src") and value]


def test_every_link_within_the_site_leads_somewhere(sample):
    """Links are written relative to each page (some through MkDocs' url filter, list rows and
    session pages as the page's way up to the root): from every page they must reach a file."""
    site, _ = sample
    broken: list[str] = []
    checked = 0
    for page in sorted(site.rglob("*.html")):
        links = _Links()
        links.feed(page.read_text(encoding="utf-8"))
        for link in links.found:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path:  # other hosts, mailto:, #anchors
                continue
            path = unquote(parts.path)
            # 404.html links from the root (it is served at any depth); the rest relatively.
            target = (site / path.lstrip("/") if path.startswith("/") else page.parent / path).resolve()
            checked += 1
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append(f"{page.relative_to(site)} → {link}")
    assert checked > 5000
    assert broken == [], broken[:10]
