"""Material's navigation, tabs and script config, drawn once and reused, are what Material draws.

plugin/shared_parts.py draws those parts once for all pages that link alike.
A reader must not be able to tell: every page of the sample site, built with
the sharing, is byte for byte the page built with Material's own partials
drawn on every page — with a nested navigation section and an outside link,
so that every kind of navigation entry is covered.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from sitebuilder import FIXED_EPOCH, REPO

NESTED_NAV = "  - 标签: tags.md\n"
NESTED_NAV_WITH_SECTION = (
    "  - 更多:\n"
    "      - 标签: tags.md\n"
    "      - 全国政协: https://www.cppcc.gov.cn/\n"
)
SHARED_CONFIG_BLOCK = '{% block config %}{{ huiyin_shared_block("config", super)'


def build_sample(root: Path, theme: Path) -> Path:
    shutil.copytree(REPO / "content", root / "content")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert NESTED_NAV in config
    (root / "mkdocs.yml").write_text(config.replace(NESTED_NAV, NESTED_NAV_WITH_SECTION), encoding="utf-8")
    os.symlink(theme, root / "theme_overrides")
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return root / "site"


def theme_without_sharing(folder: Path) -> Path:
    """theme_overrides as it would be without shared_parts: Material's partials and config block."""
    theme = folder / "theme"
    shutil.copytree(REPO / "theme_overrides", theme)
    (theme / "partials" / "nav.html").unlink()
    (theme / "partials" / "tabs.html").unlink()
    main = (theme / "main.html").read_text(encoding="utf-8")
    assert SHARED_CONFIG_BLOCK in main
    (theme / "main.html").write_text(
        "\n".join(line for line in main.splitlines() if not line.startswith(SHARED_CONFIG_BLOCK)), encoding="utf-8")
    return theme


def pages(site: Path) -> dict[str, bytes]:
    return {str(path.relative_to(site)): path.read_bytes() for path in sorted(site.rglob("*.html"))}


def test_every_page_is_what_material_draws_on_its_own(tmp_path: Path) -> None:
    shared = pages(build_sample(tmp_path / "shared", REPO / "theme_overrides"))
    drawn = pages(build_sample(tmp_path / "drawn", theme_without_sharing(tmp_path)))
    assert shared.keys() == drawn.keys()
    different = [path for path in shared if shared[path] != drawn[path]]
    assert different == [], f"{len(different)} pages differ, e.g. {different[:5]}"
    # The parts are there to compare: tabs with the nested section, the drawer, the config.
    session_page = next(html for path, html in shared.items() if path.startswith("sessions/20")).decode()
    assert 'class="md-tabs"' in session_page and "更多" in session_page
    assert 'href="https://www.cppcc.gov.cn/"' in session_page
    assert 'id="__config"' in session_page and 'data-md-level="0"' in session_page
