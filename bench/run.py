"""Province-scale benchmark: our build against a plain MkDocs + Material build.

One command generates a province-shaped corpus of N sessions (bench/generate.py),
builds it twice in the same run and prints the figures of docs/performance.md:

    .venv/bin/python bench/run.py --sessions 2000

1. ours:  the project's mkdocs.yml (huiyin plugin, theme overrides, tags, Pagefind).
2. plain: the same Markdown files with mkdocs-material, its default search plugin
          and nothing else (no huiyin plugin, no custom_dir, no tags plugin); the
          nav lists only the home and tags pages, as ours keeps records out of it.

For each: wall time, peak memory (PSS of the whole process tree, sampled from /proc), output
size, largest HTML page, largest file, and the search download. For ours also the limits of
issue 16: every HTML page under 1 MB, every file a page loads (all but data/ and the feeds)
under 5 MB, and the size of each whole-site open-data download (exempt: not loaded by pages). For ours the
search download is measured in headless Chromium: a real query typed into the
header search box on a served copy of the site, summing every response after
the page had loaded. The corpus, configs and reports go under bench/out/
(git-ignored).

The built sites are written to a RAM disk (/dev/shm) when there is one, each
build into a folder that did not exist before. On the shared VM these figures
were taken on, creating files on the disk slowed down with every site deleted
before it (0.1 ms → 1 ms per file after a few runs, 2 s of a 10 s build, and
our build writes twice as many files as plain), so the disk measured the
benchmark's own clean-ups rather than either build; a fresh CI checkout
writes into a new folder on a fresh disk. `--site-root bench/out` builds on
disk instead. `--repeat N` builds ours and plain alternately N times each and
reports the median of each.

`--staff-loop` then measures what a member of staff waits for at this size
(issue 18) by running bench/serve_bench.py on its own corpus of as many
sessions: a save under `mkdocs serve` as a ratio to its first build, serve's
memory, a warm against a cold build, and `huiyin check FILE` at 10,000
sessions. Its lines are added to the report.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import BENCH_EPOCH, UNPUBLISHED_MARKER, generate  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
MB = 1_000_000
HTML_LIMIT = 1 * MB
FILE_LIMIT = 5 * MB
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"]
QUERY = "停车"
# Downloads, not files a page loads (issue 16): the open data under data/ and the feeds.
# The content model exempts them from the 5 MB limit; everything else must stay under it.
DATA_FOLDER = "data/"
FEED_NAMES = ("feed.xml", "feed.json")


# -- configs ------------------------------------------------------------------


class _KeepPythonTags(yaml.SafeLoader):
    """Reads mkdocs.yml keeping !!python/... nodes as they are."""


class _Tagged:
    def __init__(self, node: yaml.Node):
        self.node = node


_KeepPythonTags.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: _Tagged(node))


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Tagged, lambda dumper, value: value.node)


def project_config() -> dict[str, Any]:
    return yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_KeepPythonTags)


def write_config(path: Path, config: dict[str, Any]) -> None:
    path.write_text(yaml.dump(config, allow_unicode=True, Dumper=_Dumper, sort_keys=False), encoding="utf-8")


def our_config(content: Path) -> dict[str, Any]:
    config = project_config()
    config["docs_dir"] = str(content)
    config["theme"]["custom_dir"] = str(REPO / "theme_overrides")
    return config


def plain_config(content: Path) -> dict[str, Any]:
    ours = project_config()
    theme = {key: value for key, value in ours["theme"].items() if key != "custom_dir"}
    return {
        "site_name": ours["site_name"],
        "site_url": ours.get("site_url"),
        "docs_dir": str(content),
        "use_directory_urls": ours.get("use_directory_urls", True),
        "theme": theme,
        "nav": [{"首页": "index.md"}, {"标签": "tags.md"}],
        "plugins": ["search"],
        "markdown_extensions": ours.get("markdown_extensions", []),
    }


# -- running a build ------------------------------------------------------------


def tree_memory(root: int) -> int:
    """Proportional set size (PSS) of a process and all its descendants, from /proc.

    PSS, not RSS: the build forks a child for feeds and open data, and pages
    the two share copy-on-write would be counted twice in a sum of RSS.
    """
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                ppid = int(stat.read().rsplit(b")", 1)[1].split()[1])
        except OSError:
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += pss(pid)
        stack.extend(children.get(pid, []))
    return total


def pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


@dataclass
class Build:
    name: str
    seconds: float = 0.0
    peak_tree_bytes: int = 0
    returncode: int = 0
    log: str = ""
    all_seconds: list[float] = field(default_factory=list)  # every run, when repeated


def default_site_root() -> Path:
    shm = Path("/dev/shm")
    return shm / "huiyin-bench" if shm.is_dir() and os.access(shm, os.W_OK) else REPO / "bench" / "out"


def run_build(name: str, folder: Path, site: Path, env: dict[str, str], profile: bool = False) -> Build:
    """One `mkdocs build` of folder/mkdocs.yml into ``site``, which must not exist yet."""
    assert not site.exists()
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)]
    if profile:
        command = [sys.executable, "-m", "cProfile", "-o", str(folder / "build.prof"), "-m", "mkdocs",
                   "build", "-q", "-d", str(site)]
    log_path = folder / "build.log"
    started = time.perf_counter()
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)
        peak = 0
        while process.poll() is None:
            peak = max(peak, tree_memory(process.pid))
            time.sleep(0.2)
    seconds = time.perf_counter() - started
    return Build(name, seconds, peak, process.returncode, log_path.read_text(encoding="utf-8", errors="replace"))


def fresh_site(site_root: Path, name: str) -> Path:
    """A folder for one build that did not exist before; earlier runs' sites are removed first."""
    parent = site_root / name
    if parent.exists():
        shutil.rmtree(parent)
    parent.mkdir(parents=True)
    return parent / "site"


def median_build(runs: list[Build]) -> Build:
    """The run with the median wall time (the lower middle one for an even count); the peak memory of all."""
    ordered = sorted(runs, key=lambda run: run.seconds)
    middle = ordered[(len(ordered) - 1) // 2]
    return Build(middle.name, middle.seconds, max(run.peak_tree_bytes for run in runs), middle.returncode, middle.log,
                 [run.seconds for run in runs])


# -- looking at the output --------------------------------------------------------


@dataclass
class Output:
    total_bytes: int = 0
    files: int = 0
    html_pages: int = 0
    largest_html: tuple[str, int] = ("", 0)
    largest_file: tuple[str, int] = ("", 0)
    html_over_limit: list[str] = field(default_factory=list)
    files_over_limit: list[str] = field(default_factory=list)
    largest_loaded: tuple[str, int] = ("", 0)  # the largest file a page may load (not data/, not a feed)
    loaded_over_limit: list[str] = field(default_factory=list)
    whole_site_data: list[tuple[str, int]] = field(default_factory=list)  # data/*.csv, data/*.json
    largest_year_data: tuple[str, int] = ("", 0)  # the largest of data/<year>/…
    feeds_bytes: int = 0
    feedback_pages: int = 0
    largest_feedback_page: tuple[str, int] = ("", 0)
    search_files: int = 0
    search_bytes: int = 0
    largest_search_file: tuple[str, int] = ("", 0)
    unpublished_marker_in: list[str] = field(default_factory=list)


def inspect_site(site: Path, search_dir: str) -> Output:
    out = Output()
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        relative = path.relative_to(site).as_posix()
        size = path.stat().st_size
        out.total_bytes += size
        out.files += 1
        if size > out.largest_file[1]:
            out.largest_file = (relative, size)
        if size > FILE_LIMIT:
            out.files_over_limit.append(relative)
        note_download_or_loaded(out, relative, size)
        if relative.startswith(search_dir + "/"):
            out.search_files += 1
            out.search_bytes += size
            if size > out.largest_search_file[1]:
                out.largest_search_file = (relative, size)
        if relative.endswith(".html"):
            out.html_pages += 1
            if size > out.largest_html[1]:
                out.largest_html = (relative, size)
            if size > HTML_LIMIT:
                out.html_over_limit.append(relative)
            if relative.startswith("feedback/"):
                out.feedback_pages += 1
                if size > out.largest_feedback_page[1]:
                    out.largest_feedback_page = (relative, size)
    return out


def note_download_or_loaded(out: Output, relative: str, size: int) -> None:
    """Sort a file into the downloads (open data, feeds) or what a page may load (the rest)."""
    if relative.startswith(DATA_FOLDER):
        if relative.count("/") == 1 and relative.endswith((".csv", ".json")):
            out.whole_site_data.append((relative, size))
        elif relative.count("/") == 2 and size > out.largest_year_data[1]:
            out.largest_year_data = (relative, size)
        return
    if relative.rsplit("/", 1)[-1] in FEED_NAMES:
        out.feeds_bytes += size
        return
    if size > out.largest_loaded[1]:
        out.largest_loaded = (relative, size)
    if size > FILE_LIMIT:
        out.loaded_over_limit.append(relative)


def unpublished_leaks(site: Path) -> list[str]:
    """Output files holding the marker only unpublished sessions carry."""
    marker = UNPUBLISHED_MARKER.encode()
    return [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and marker in p.read_bytes()]


# -- one search in a real browser ---------------------------------------------------


def serve(site: Path) -> http.server.ThreadingHTTPServer:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def search_download(site: Path, page_path: str, query: str = QUERY) -> dict[str, Any]:
    """Bytes fetched after a page has loaded, to run one search typed into the header box."""
    from playwright.sync_api import sync_playwright

    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    fetched: list[tuple[str, int]] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
            page.goto(base + page_path, wait_until="networkidle")
            recording: list[Any] = []
            page.on("response", lambda response: recording.append(response))
            page.locator("header").get_by_role("button", name="搜索").first.click()
            box = page.locator("header").get_by_role("searchbox")
            box.fill(query)
            page.wait_for_selector(".hy-search-result a", timeout=60_000)
            page.wait_for_load_state("networkidle")
            hits = page.locator(".hy-search-result a").count()
            found = page.locator(".hy-search-result .md-search-result__meta").inner_text()
            first = page.locator(".hy-search-result a").first.inner_text()
            for response in recording:
                try:
                    fetched.append((response.url.removeprefix(base), len(response.body())))
                except Exception:  # redirects and aborted requests have no body
                    fetched.append((response.url.removeprefix(base), 0))
            browser.close()
    finally:
        server.shutdown()
    by_kind: dict[str, int] = {}
    for url, size in fetched:
        by_kind[download_kind(url)] = by_kind.get(download_kind(url), 0) + size
    return {"query": query, "results_shown": hits, "found": found, "first_result": first, "total_bytes": sum(s for _, s in fetched),
            "requests": len(fetched), "by_kind": by_kind, "files": fetched}


def download_kind(url: str) -> str:
    name = url.split("?", 1)[0].rsplit("/", 1)[-1]
    if name.endswith(".pf_index"):
        return "index chunks"
    if name.endswith(".pf_fragment"):
        return "fragments"
    if name.endswith(".pf_filter"):
        return "filters"
    if name.startswith("pagefind-entry") or name.endswith(".pf_meta"):
        return "entry + meta"
    if "wasm" in name:
        return "wasm"
    if name.endswith(".js"):
        return "javascript"
    if name.endswith(".css"):
        return "css"
    return "other"


# -- report --------------------------------------------------------------------------


def mb(n: int) -> str:
    return f"{n / MB:.2f} MB"


def report(n: int, corpus: dict[str, int], ours: Build, plain: Build | None, out_ours: Output,
           out_plain: Output | None, search: dict[str, Any] | None, leaks: list[str]) -> str:
    lines = [f"== huiyin benchmark: {n} sessions ({corpus['platforms']} platforms, {corpus['departments']} departments)",
             f"   machine: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}"]
    rows = [("", "ours", "plain")]

    def row(label: str, a: str, b: str | None) -> None:
        rows.append((label, a, b if b is not None else "-"))

    row("wall time" + (" (median)" if len(ours.all_seconds) > 1 else ""), f"{ours.seconds:.1f} s",
        f"{plain.seconds:.1f} s" if plain else None)
    if len(ours.all_seconds) > 1:
        row("every run", " ".join(f"{s:.1f}" for s in ours.all_seconds),
            " ".join(f"{s:.1f}" for s in plain.all_seconds) if plain else None)
    row("peak memory (PSS, process tree)", mb(ours.peak_tree_bytes), mb(plain.peak_tree_bytes) if plain else None)
    row("output size", mb(out_ours.total_bytes), mb(out_plain.total_bytes) if out_plain else None)
    row("files", str(out_ours.files), str(out_plain.files) if out_plain else None)
    row("largest HTML page", f"{out_ours.largest_html[1] / 1000:.0f} KB {out_ours.largest_html[0]}",
        f"{out_plain.largest_html[1] / 1000:.0f} KB {out_plain.largest_html[0]}" if out_plain else None)
    row("largest file", f"{out_ours.largest_file[1] / 1000:.0f} KB {out_ours.largest_file[0]}",
        f"{out_plain.largest_file[1] / 1000:.0f} KB {out_plain.largest_file[0]}" if out_plain else None)
    row("search index on disk", f"{mb(out_ours.search_bytes)} in {out_ours.search_files} files",
        f"{mb(out_plain.search_bytes)} in {out_plain.search_files} files" if out_plain else None)
    if search:
        row(f"one search «{search['query']}» downloads", f"{search['total_bytes'] / 1000:.0f} KB "
            f"in {search['requests']} requests", f"{mb(out_plain.search_bytes)} (whole index)" if out_plain else None)
    width = max(len(r[0]) for r in rows)
    wide = max(len(r[1]) for r in rows)
    lines += [f"   {a:<{width}}  {b:<{wide}}  {c}" for a, b, c in rows]
    if plain:
        lines.append(f"   ratio ours/plain: {ours.seconds / plain.seconds:.2f}×  (goal ≤ 1.3×)")
        if len(ours.all_seconds) > 1:
            pairs = " ".join(f"{a / b:.2f}" for a, b in zip(ours.all_seconds, plain.all_seconds))
            lines.append(f"   ratio of each pair of runs: {pairs}")
    lines.append(f"   feedback pages: {out_ours.feedback_pages}, largest {out_ours.largest_feedback_page[1] / 1000:.0f} KB "
                 f"{out_ours.largest_feedback_page[0]}")
    if search:
        parts = ", ".join(f"{kind} {size / 1000:.0f} KB" for kind, size in sorted(search["by_kind"].items()))
        lines.append(f"   search download by kind: {parts}; «{search['found']}», {search['results_shown']} shown, "
                     f"first: {search['first_result'][:40]!r}")
    lines.append(f"   largest file a page loads: {out_ours.largest_loaded[1] / 1000:.0f} KB {out_ours.largest_loaded[0]} "
                 f"(everything but data/ and the feeds)")
    downloads = ", ".join(f"{name.removeprefix(DATA_FOLDER)} {mb(size)}" for name, size in sorted(out_ours.whole_site_data))
    lines.append(f"   whole-site downloads (data/): {downloads}")
    lines.append(f"   largest per-year download: {mb(out_ours.largest_year_data[1])} {out_ours.largest_year_data[0]}; "
                 f"feeds together {mb(out_ours.feeds_bytes)}")
    checks = [
        ("every HTML page under 1 MB", not out_ours.html_over_limit, ", ".join(out_ours.html_over_limit[:5])),
        ("every file a page loads under 5 MB", not out_ours.loaded_over_limit, ", ".join(out_ours.loaded_over_limit[:5])),
        ("nothing unpublished in the output", not leaks, ", ".join(leaks[:5])),
    ]
    if plain:
        checks.append(("build ≤ 1.3× plain", ours.seconds <= 1.3 * plain.seconds, ""))
    if search:
        checks.append(("one search downloads < 2 MB", search["total_bytes"] < 2 * MB, ""))
        checks.append((f"search finds «{search['query']}»", search["results_shown"] > 0, ""))
    for label, ok, detail in checks:
        lines.append(f"   [{'ok' if ok else 'FAIL'}] {label}{' — ' + detail if detail and not ok else ''}")
    return "\n".join(lines)


def staff_loop(sessions: int, reuse_corpus: bool) -> str:
    """bench/serve_bench.py's figures at this size, as it prints them (it imports this module, so it runs apart)."""
    command = [sys.executable, str(REPO / "bench" / "serve_bench.py"), "--sessions", str(sessions)]
    if reuse_corpus:
        command.append("--reuse-corpus")
    done = subprocess.run(command, check=False, capture_output=True, text=True)
    if done.returncode != 0:
        return f"staff loop: bench/serve_bench.py failed (exit {done.returncode})\n{done.stderr[-3000:]}"
    return "staff loop (bench/serve_bench.py):\n" + done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description="Build a generated province-scale site, ours and plain, and measure.")
    parser.add_argument("--sessions", type=int, default=2000, help="sessions to generate (default 2000)")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--no-plain", action="store_true", help="skip the plain MkDocs + Material build")
    parser.add_argument("--no-browser", action="store_true", help="skip the headless Chromium search measurement")
    parser.add_argument("--reuse-corpus", action="store_true", help="keep an already generated corpus of the same size")
    parser.add_argument("--profile", action="store_true", help="run our build under cProfile (bench/out/.../ours/build.prof)")
    parser.add_argument("--repeat", type=int, default=1, help="build ours and plain alternately this many times; medians are reported")
    parser.add_argument("--staff-loop", action="store_true",
                        help="also run bench/serve_bench.py (serve saves, warm build, huiyin check) at this size")
    parser.add_argument("--site-root", type=Path, default=default_site_root(),
                        help="where the built sites go (default: /dev/shm/huiyin-bench if there is a RAM disk, else --out)")
    args = parser.parse_args()

    root = args.out / f"n{args.sessions}"
    content = root / "content"
    stamp = root / "corpus.json"
    wanted = {"sessions": args.sessions, "seed": args.seed}
    if args.reuse_corpus and stamp.is_file() and json.loads(stamp.read_text())["wanted"] == wanted:
        corpus = json.loads(stamp.read_text())["corpus"]
    else:
        started = time.perf_counter()
        corpus = generate(content, args.sessions, args.seed)
        stamp.write_text(json.dumps({"wanted": wanted, "corpus": corpus}))
        print(f"generated {args.sessions} sessions in {time.perf_counter() - started:.1f} s", flush=True)

    env = {**os.environ, "SOURCE_DATE_EPOCH": str(BENCH_EPOCH), "NO_MKDOCS_2_WARNING": "1"}
    for variable in ("HUIYIN_ONLY_PLATFORMS", "HUIYIN_ONLY_YEARS"):
        env.pop(variable, None)  # a benchmark builds the whole site

    (root / "ours").mkdir(parents=True, exist_ok=True)
    write_config(root / "ours" / "mkdocs.yml", our_config(content.resolve()))
    if not args.no_plain:
        (root / "plain").mkdir(parents=True, exist_ok=True)
        write_config(root / "plain" / "mkdocs.yml", plain_config(content.resolve()))
    site_root = args.site_root / f"n{args.sessions}"
    print(f"sites are built under {site_root}", flush=True)
    ours_runs: list[Build] = []
    plain_runs: list[Build] = []
    for _ in range(max(1, args.repeat)):
        run = run_build("ours", root / "ours", fresh_site(site_root, "ours"), env, profile=args.profile)
        print(f"ours:  {run.seconds:.1f} s (exit {run.returncode})", flush=True)
        if run.returncode != 0:
            print(run.log[-5000:])
            return 1
        ours_runs.append(run)
        if args.no_plain:
            continue
        run = run_build("plain", root / "plain", fresh_site(site_root, "plain"), env)
        print(f"plain: {run.seconds:.1f} s (exit {run.returncode})", flush=True)
        if run.returncode != 0:
            print(run.log[-5000:])
            return 1
        plain_runs.append(run)
    ours = median_build(ours_runs)
    plain = median_build(plain_runs) if plain_runs else None

    out_ours = inspect_site(site_root / "ours" / "site", "pagefind")
    out_plain = inspect_site(site_root / "plain" / "site", "search") if plain else None
    leaks = unpublished_leaks(site_root / "ours" / "site")
    search = None
    if not args.no_browser:
        search = search_download(site_root / "ours" / "site", "sessions/")
    text = report(args.sessions, corpus, ours, plain, out_ours, out_plain, search, leaks)
    if args.staff_loop:
        text += "\n" + staff_loop(args.sessions, args.reuse_corpus)
    print(text)
    results = {"sessions": args.sessions, "corpus": corpus, "cores": os.cpu_count(), "ours": asdict(ours) | {"log": ours.log[-2000:]},
               "plain": (asdict(plain) | {"log": plain.log[-2000:]}) if plain else None,
               "output_ours": asdict(out_ours), "output_plain": asdict(out_plain) if out_plain else None,
               "search": search, "unpublished_leaks": leaks}
    (root / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    (root / "report.txt").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
