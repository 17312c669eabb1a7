"""ProperDocs, the continuation of MkDocs 1.x, builds the same site as MkDocs.

MkDocs 1.x is unmaintained; ProperDocs is the drop-in successor the README names as
our way out. It reads the `mkdocs.plugins` entry points (our `huiyin`, Material's
`tags`) and, while it runs, answers every `import mkdocs…` with its own modules, so
nothing of ours changes. This test holds it to that: the sample site built by each,
with the same SOURCE_DATE_EPOCH, must be the same bytes in every file, except for the
one place a page names its generator (Material's generator meta tag).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sitebuilder import FIXED_EPOCH, REPO

GENERATORS = {"mkdocs": [sys.executable, "-m", "mkdocs"], "properdocs": [sys.executable, "-m", "properdocs"]}
# The generator's name and version, as Material's base.html prints them in every page's head.
GENERATOR_NAME = re.compile(rb'(<meta name="generator" content=")([^"]*)(">)')


def build(root: Path, generator: str) -> tuple[Path, str]:
    site = root / f"site-{generator}"
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    # -f: ProperDocs looks for properdocs.yml first and would ask us to rename mkdocs.yml.
    command = [*GENERATORS[generator], "build", "--strict", "-f", "mkdocs.yml", "-d", str(site)]
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{generator} build failed:\n{done.stdout}{done.stderr}"
    return site, done.stdout + done.stderr


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    root = tmp_path_factory.mktemp("properdocs")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    os.symlink(REPO / "theme_overrides", root / "theme_overrides")
    return {generator: build(root, generator) for generator in GENERATORS}


def files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def generator_names(site: Path) -> set[str]:
    return {m.group(2).decode() for p in site.rglob("*.html") for m in GENERATOR_NAME.finditer(p.read_bytes())}


def test_each_build_was_made_by_its_own_generator(builds: dict[str, tuple[Path, str]]) -> None:
    mkdocs_names, properdocs_names = (generator_names(builds[g][0]) for g in ("mkdocs", "properdocs"))
    assert len(mkdocs_names) == 1 and len(properdocs_names) == 1, (mkdocs_names, properdocs_names)
    assert "ProperDocs" in properdocs_names.pop() and "ProperDocs" not in mkdocs_names.pop()


def test_properdocs_runs_our_plugin(builds: dict[str, tuple[Path, str]]) -> None:
    site, log = builds["properdocs"]
    assert re.search(r"huiyin: \d+ published sessions", log), log
    assert (site / "feed.xml").is_file() and (site / "data" / "outcomes.json").is_file()
    assert (site / "feedback" / "index.html").is_file() and (site / "pagefind" / "pagefind-entry.json").is_file()


def test_both_generators_write_the_same_site(builds: dict[str, tuple[Path, str]]) -> None:
    mkdocs_files, properdocs_files = (files(builds[g][0]) for g in ("mkdocs", "properdocs"))
    assert sorted(mkdocs_files) == sorted(properdocs_files), {
        "only from mkdocs": sorted(set(mkdocs_files) - set(properdocs_files)),
        "only from properdocs": sorted(set(properdocs_files) - set(mkdocs_files)),
    }
    named = [path for path in mkdocs_files if mkdocs_files[path] != properdocs_files[path]]
    assert named, "no file names its generator: the comparison below would prove nothing about the normalising"

    def normalised(data: bytes) -> bytes:
        return GENERATOR_NAME.sub(rb"\1GENERATOR\3", data)

    differing = [path for path in named if normalised(mkdocs_files[path]) != normalised(properdocs_files[path])]
    assert differing == [], f"{len(differing)} files differ beyond the generator's name: {differing}"
    # Every file that differed is a page that names its generator once.
    assert all(len(GENERATOR_NAME.findall(mkdocs_files[path])) == 1 for path in named)
