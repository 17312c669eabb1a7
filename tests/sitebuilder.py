"""Build small sites in temporary folders, the way a staff member would.

Tests write records from the content model (not from the sample), build them
with the project's own mkdocs.yml and theme through the real `mkdocs` command,
and look at what a reader, a feed reader or a staff member would see.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
FIXED_EPOCH = "1763683200"  # 2025-11-21 00:00 UTC: "now" for every test build

DEPARTMENTS = [
    {"slug": "qd-zhujian", "name": "青岛市住房和城乡建设局", "aliases": ["市住房城乡建设局", "市住建局"]},
    {"slug": "qd-gongan", "name": "青岛市公安局", "aliases": ["市公安局"]},
    {"slug": "qd-weijian", "name": "青岛市卫生健康委员会", "aliases": ["市卫生健康委", "市衛生健康委"]},
]

PLATFORMS = {
    "shandong": {"name": "有事多商量", "level": "province", "region": "山东省"},
    "qingdao": {"name": "倾听与商量", "level": "city", "region": "山东省青岛市", "parent": "shandong",
                "annual_target": 6},
    "shibei": {"name": "市北议事厅", "level": "county", "region": "山东省青岛市市北区", "parent": "qingdao"},
    "zhejiang": {"name": "请你来协商", "level": "province", "region": "浙江省"},
}


def front_matter(meta: dict[str, Any], body: str = "") -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body


def session(title: str, platform: str, date: str, outcomes: list | None = None, body: str = "", **extra: Any) -> str:
    meta: dict[str, Any] = {"title": title, "platform": platform, "date": date, **extra}
    if outcomes is not None:
        meta["outcomes"] = outcomes
    return front_matter(meta, body or f"{title}的协商纪要。\n")


def outcome(oid: str, text: str, departments: list[str], *updates: tuple, due: str | None = None) -> dict:
    """An outcome; each update is (date, status) or (date, status, note)."""
    record: dict[str, Any] = {"id": oid, "text": text, "departments": departments}
    if due:
        record["due"] = due
    record["updates"] = [
        {"date": u[0], "status": u[1], **({"note": u[2]} if len(u) > 2 else {})} for u in updates
    ]
    return record


@dataclass
class BuildResult:
    returncode: int
    stdout: str
    stderr: str
    site: Path
    content: Path

    @property
    def log(self) -> str:
        return self.stdout + self.stderr

    def page(self, path: str) -> str:
        """The HTML of a site path such as 'sessions/2021/x/'."""
        target = self.site / path
        if path.endswith("/") or not path:
            target = target / "index.html"
        return target.read_text(encoding="utf-8")

    def exists(self, path: str) -> bool:
        target = self.site / path
        return (target / "index.html").is_file() if path.endswith("/") else target.is_file()

    def all_output(self) -> dict[str, bytes]:
        return {
            str(p.relative_to(self.site)): p.read_bytes() for p in sorted(self.site.rglob("*")) if p.is_file()
        }


class SiteFolder:
    """A throwaway site: the project's mkdocs.yml and theme, content of our choosing."""

    def __init__(self, root: Path, *, with_defaults: bool = True, plugin_options: dict | None = None):
        self.root = root
        self.content = root / "content"
        self.content.mkdir(parents=True, exist_ok=True)
        config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
        config["theme"]["custom_dir"] = str(REPO / "theme_overrides")
        if plugin_options:
            for plugin in config["plugins"]:
                if isinstance(plugin, dict) and "huiyin" in plugin:
                    plugin["huiyin"] = {**(plugin["huiyin"] or {}), **plugin_options}
        (root / "mkdocs.yml").write_text(yaml.dump(config, allow_unicode=True, Dumper=_ConfigDumper), encoding="utf-8")
        if with_defaults:
            self.write("index.md", "# 回音\n\n测试站点。\n")
            self.write("tags.md", "# 标签\n\n<!-- material/tags -->\n")
            self.write("departments.yml", yaml.safe_dump(DEPARTMENTS, allow_unicode=True, sort_keys=False))
            for slug, meta in PLATFORMS.items():
                self.write(f"platforms/{slug}.md", front_matter(meta, f"{meta['name']}简介。\n"))

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def build(self, *args: str, epoch: str | None = FIXED_EPOCH, strict: bool = True, site_dir: str = "site",
              env: dict[str, str] | None = None) -> BuildResult:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
        env.pop("SOURCE_DATE_EPOCH", None)
        if epoch is not None:
            env["SOURCE_DATE_EPOCH"] = epoch
        command = [sys.executable, "-m", "mkdocs", "build", "-d", site_dir, *(["--strict"] if strict else []), *args]
        done = subprocess.run(command, cwd=self.root, env=env, capture_output=True, text=True, timeout=600)
        return BuildResult(done.returncode, done.stdout, done.stderr, self.root / site_dir, self.content)


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml keeping !!python tags as opaque nodes."""


class _Tagged:
    def __init__(self, tag: str, node: yaml.Node):
        self.tag, self.node = tag, node


def _keep_tag(loader: yaml.Loader, suffix: str, node: yaml.Node) -> _Tagged:
    return _Tagged("tag:yaml.org,2002:python/" + suffix, node)


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _keep_tag)


class _ConfigDumper(yaml.SafeDumper):
    pass


def _dump_tagged(dumper: yaml.Dumper, value: _Tagged) -> yaml.Node:
    node = value.node
    node.tag = value.tag
    return node


_ConfigDumper.add_representer(_Tagged, _dump_tagged)
