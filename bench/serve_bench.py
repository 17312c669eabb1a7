"""The staff loop at province scale (issue 18): preview a save, check a file, build with a warm cache.

    .venv/bin/python bench/serve_bench.py --sessions 2000 --check-sessions 10000

Figures, all from one run on one machine (compare only ratios within a run):

1. `mkdocs build` with a cold parse cache (.cache/huiyin/ removed), then with
   the warm cache it left: seconds and their ratio. Sites and serve's site
   folder go to the RAM disk, as in bench/run.py (a site deleted on this VM's
   disk slowed the next build's writes: the warm build came out 1.3–1.6×
   slower than the cold one).
2. `mkdocs serve --dirty` (what ./dev serve runs): its first full build (as
   MkDocs reports it), then for each of a few saves of one session's title the
   seconds from the save until the new title shows, over HTTP, on the session's
   page and on its brand page; the median as a ratio to the first build (issue
   18: at most 0.2×, target 0.1×). Memory: the serve process tree's peak PSS.
3. `huiyin check FILE` of one session in a corpus of --check-sessions
   sessions, with a warm cache (after one run that fills it): seconds.

The corpora go under bench/out/ (git-ignored); `--reuse-corpus` keeps them.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import BENCH_EPOCH, generate  # noqa: E402
from run import default_site_root, fresh_site, our_config, tree_memory, write_config  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CACHE = ".cache"
SERVE_MARKER = "页面已生成"  # logged by the plugin after each serve build's pages
SIDE_MARKER = "站内搜索、订阅和开放数据已更新"  # … and when the side outputs that follow are in place
FIRST_BUILD = re.compile(r"Documentation built in ([\d.]+) seconds")


def corpus(out: Path, sessions: int, reuse: bool) -> Path:
    """A generated site folder: content/ and mkdocs.yml."""
    folder = out / f"corpus-{sessions}"
    content = folder / "content"
    if not (reuse and content.is_dir()):
        generate(content, sessions)
    write_config(folder / "mkdocs.yml", our_config(content))
    return folder


def environment() -> dict[str, str]:
    """Fixed "now"; temporary folders (serve's site folder) on the RAM disk, as bench/run.py builds there."""
    site_root = default_site_root()
    site_root.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "SOURCE_DATE_EPOCH": str(BENCH_EPOCH), "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(site_root)}


def timed_build(folder: Path, site: Path) -> float:
    """One `mkdocs build` into a folder that did not exist (bench/run.py: a deleted site slows the next)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=folder, env=environment(),
                   check=True)
    return time.perf_counter() - started


def edited_session(content: Path) -> tuple[Path, str, str]:
    """A held session of a county brand in the last year: its file, page and brand page (where it is listed)."""
    for path in sorted((content / "sessions" / "2026").glob("*-x*.md"), reverse=True):
        text = path.read_text(encoding="utf-8")
        held = re.search(r"(?m)^date: 2026-(\d\d)-", text)
        if held and int(held.group(1)) < 10 and "draft:" not in text and "publish_date:" not in text:
            platform = re.search(r"(?m)^platform: (\S+)$", text)
            assert platform is not None
            return path, f"sessions/2026/{path.stem}/", f"platforms/{platform.group(1)}/"
    raise SystemExit("no held county session in 2026 to edit")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


class Serve:
    def __init__(self, folder: Path, port: int):
        self.log_path = folder / "serve.log"
        self.log = self.log_path.open("w", encoding="utf-8")
        self.url = f"http://127.0.0.1:{port}/"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
            cwd=folder, env=environment(), stdout=self.log, stderr=subprocess.STDOUT,
        )
        self.peak = 0

    def text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait(self, done: object, timeout: float = 900) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"mkdocs serve ended:\n{self.text()}")
            self.peak = max(self.peak, tree_memory(self.process.pid))
            if done():  # type: ignore[operator]
                return
            time.sleep(0.05)
        raise SystemExit(f"timed out; log:\n{self.text()}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)
        self.log.close()


def one_save(serve: Serve, path: Path, text: str, shown: str, pages: list[str]) -> float:
    """Seconds from writing ``text`` to ``shown`` being on every one of ``pages``; then the side outputs settle."""
    started = time.perf_counter()
    path.write_text(text, encoding="utf-8")
    serve.wait(lambda: all(shown in fetch(serve.url + page) for page in pages))
    seconds = time.perf_counter() - started
    # Let this save's search index, feeds and open data finish, as they would while staff read the page.
    serve.wait(lambda: (log := serve.text()).rfind(SIDE_MARKER) > log.rfind(SERVE_MARKER))
    return seconds


def measure_serve(folder: Path, saves: int) -> dict[str, float]:
    path, page, brand = edited_session(folder / "content")
    original = path.read_text(encoding="utf-8")
    title = re.search(r"(?m)^title: (.*)$", original)
    assert title is not None
    serve = Serve(folder, free_port())
    try:
        serve.wait(lambda: SIDE_MARKER in serve.text())
        first = float(FIRST_BUILD.findall(serve.text())[0])
        latencies = [one_save(serve, path, original.replace(title.group(0), f"title: {title.group(1)}（第{n}次修改）"),
                              f"{title.group(1)}（第{n}次修改）", [page, brand]) for n in range(1, saves + 1)]
        # The last rebuild's own line may follow its side outputs' (it is logged when serve's build returns).
        serve.wait(lambda: len(FIRST_BUILD.findall(serve.text())) > saves, timeout=60)
        rebuilds = [float(seconds) for seconds in FIRST_BUILD.findall(serve.text())[1:]]
        print("  saves → shown:", ", ".join(f"{s:.2f}" for s in latencies), "s; MkDocs' own rebuild times:",
              ", ".join(f"{s:.2f}" for s in rebuilds), "s")
        return {"first": first, "save": statistics.median(latencies), "saves": float(len(latencies)),
                "rebuild": statistics.median(rebuilds), "peak": float(serve.peak)}
    finally:
        serve.stop()
        path.write_text(original, encoding="utf-8")


def measure_check(folder: Path) -> tuple[float, float]:
    path, _, _ = edited_session(folder / "content")
    command = [str(Path(sys.executable).parent / "huiyin"), "check", "--content", str(folder / "content"), str(path)]
    shutil.rmtree(folder / CACHE, ignore_errors=True)
    times = []
    for _ in range(2):  # cold (fills the cache), then warm
        started = time.perf_counter()
        subprocess.run(command, cwd=folder, env=environment(), check=False, capture_output=True)
        times.append(time.perf_counter() - started)
    return times[0], times[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--check-sessions", type=int, default=10000, help="corpus size for `huiyin check FILE` (0: skip)")
    parser.add_argument("--saves", type=int, default=3, help="title saves to time under serve (median reported)")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "serve")
    parser.add_argument("--reuse-corpus", action="store_true")
    args = parser.parse_args()

    folder = corpus(args.out, args.sessions, args.reuse_corpus)
    shutil.rmtree(folder / CACHE, ignore_errors=True)
    cold = timed_build(folder, fresh_site(default_site_root(), "serve-cold"))
    warm = timed_build(folder, fresh_site(default_site_root(), "serve-warm"))
    print(f"{args.sessions} sessions: mkdocs build, cold parse cache {cold:.1f} s, warm {warm:.1f} s "
          f"({warm / cold:.2f}× the cold build)")
    served = measure_serve(folder, args.saves)
    print(f"mkdocs serve --dirty: first build {served['first']:.1f} s; one session's title saved → shown on its page "
          f"and its brand page in {served['save']:.2f} s (median of {served['saves']:.0f}), "
          f"{served['save'] / served['first']:.2f}× the first build (MkDocs' rebuild alone {served['rebuild']:.2f} s, "
          f"{served['rebuild'] / served['first']:.2f}×); serve peak memory {served['peak'] / 2**20:.0f} MB")
    if args.check_sessions:
        big = corpus(args.out, args.check_sessions, args.reuse_corpus)
        cold_check, warm_check = measure_check(big)
        print(f"{args.check_sessions} sessions: huiyin check FILE, cold cache {cold_check:.1f} s, "
              f"warm cache {warm_check:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
