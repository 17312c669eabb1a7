"""Site search: a chunked static index built by Pagefind over the built site.

Why not Material's search: it ships one JSON file holding every page's words
(≈ 3 KB per session page after jieba segmentation, so 60 MB and more at a
provincial 20,000 sessions) that every reader downloads before the first
result, and on a phone over a slow network that is no search at all. Pagefind
(extended build: Chinese segmentation at index and query time) splits the index
into small chunks by word; one query fetches the chunks for its words plus one
small fragment per result shown, a few hundred KB however large the site.

What is searchable is decided here, by path: session pages and brand pages
(the records' own pages). Lists (archive, feedback, departments, tags) only
repeat what those pages say, and would make every query match hundreds of
list pages. Drafts and embargoed sessions are never built in a real build, so
they cannot be indexed.

MkDocs-free: the plugin passes the site folder and which element of a page
holds its content (a theme detail).
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

BUNDLE_DIR = "pagefind"  # under the site: pagefind.js, wasm, index and fragment chunks
LANGUAGE = "zh"  # the whole site is Chinese; one index, segmented as Chinese

# Pages that enter the index, as a Pagefind glob over the built site:
# /sessions/<year>/<slug>/ and /platforms/<slug>/ (see site.py and the content model).
SEARCHABLE_PAGES = "{sessions/[0-9][0-9][0-9][0-9]/*/index.html,platforms/*/index.html}"


class SearchIndexError(Exception):
    """The index could not be built; the message says what to do (Chinese, for staff)."""


@dataclass(frozen=True)
class SearchIndex:
    pages: int
    seconds: float
    bundle: Path


def pagefind_executable() -> Path:
    try:
        from pagefind.service import get_executable
    except ImportError:
        get_executable = None  # type: ignore[assignment]
    found = get_executable() if get_executable else None
    if found is None or not Path(found).is_file():
        raise SearchIndexError(
            "找不到站内搜索的索引程序 Pagefind。"
            "请安装：pip install 'pagefind[extended]'（extended 版才支持中文分词），"
            "或在 mkdocs.yml 的 huiyin 插件下设置 search: false 暂时关闭站内搜索"
        )
    return Path(found)


def build_search_index(site_dir: Path, root_selector: str, exclude_selectors: tuple[str, ...] = ()) -> SearchIndex:
    """Index the searchable pages of a built site into ``site_dir/pagefind/``.

    ``root_selector`` is the element holding a page's own content (not the
    header, navigation or footer); ``exclude_selectors`` are parts of it that
    are not worth finding (permalink anchors, breadcrumbs).
    """
    command = [
        str(pagefind_executable()),
        "--site", str(site_dir),
        "--output-subdir", BUNDLE_DIR,
        "--glob", SEARCHABLE_PAGES,
        "--root-selector", root_selector,
        "--force-language", LANGUAGE,
        "--silent",
    ]
    for selector in exclude_selectors:
        command += ["--exclude-selectors", selector]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SearchIndexError(
            f"站内搜索索引生成失败（Pagefind 退出码 {done.returncode}）：{(done.stderr or done.stdout).strip()[-2000:]}"
        )
    bundle = site_dir / BUNDLE_DIR
    meta = next(bundle.glob(f"pagefind.{LANGUAGE}_*.pf_meta"), None)
    if meta is None:
        raise SearchIndexError("站内搜索索引为空：没有找到任何可搜索的页面（协商活动页或平台页）")
    return SearchIndex(pages=count_indexed_pages(site_dir), seconds=seconds, bundle=bundle)


def count_indexed_pages(site_dir: Path) -> int:
    """Pages Pagefind wrote a fragment for (one fragment per indexed page)."""
    return sum(1 for _ in (site_dir / BUNDLE_DIR / "fragment").glob("*.pf_fragment"))
