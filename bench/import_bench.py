"""Benchmark: `huiyin import` of a filled answer sheet (issue 15: 1,000 rows over 300 records in < 10 s).

Generates a province-shaped corpus of SESSIONS session records (bench/generate.py),
writes an answer sheet of ROWS filled-in rows across its published outcomes (every
outcome once, then a second, later answer for as many as needed), and times the
real command, as staff run it, from process start to exit:

- ``--dry-run`` (every row checked, every record's new text made and read again);
- the import itself (the same, plus the atomic writes);
- the same sheet again (every row skipped as already recorded);
- the same rows as a GB18030 CSV, on a fresh copy of the corpus.

    .venv/bin/python bench/import_bench.py [--sessions 300] [--rows 1000] [--repeat 3]

Everything lands in the git-ignored bench/out/import-<SESSIONS>/.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import BENCH_EPOCH, BENCH_TODAY, generate
from huiyin.core.model.loading import load_corpus
from huiyin.core.records.entities import Outcome
from huiyin.core.staff.answer_sheets import COLUMNS

OUT = Path(__file__).resolve().parent / "out"


def answer_rows(outcomes: list[Outcome], count: int) -> list[dict[str, object]]:
    """``count`` rows: each outcome answered once, then a second time, in the order of the sheet."""
    rows: list[dict[str, object]] = []
    rounds = 0
    while len(rows) < count:
        rounds += 1
        for index, outcome in enumerate(outcomes):
            if len(rows) == count:
                break
            last = outcome.last_update.date
            on = min(last + timedelta(days=rounds), BENCH_TODAY)
            status = "办理中" if rounds == 1 else "已落实"
            row: dict[str, object] = {"建议编号": outcome.global_id, "日期": datetime(on.year, on.month, on.day),
                                      "状态": status, "答复摘要": f"第{rounds}次答复：已按建议第{index + 1}项推进，相关工作正在落实。"}
            if index % 4 == 0:
                row |= {"文件标题": f"工作方案（{index + 1}）;任务清单", "文件链接": f"https://example.org/doc/{index}.html;"}
            rows.append(row)
    return rows


def write_workbook(path: Path, rows: list[dict[str, object]]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    labels = [c.label for c in COLUMNS]
    sheet.append(labels)
    for row in rows:
        sheet.append([row.get(label) for label in labels])
    book.save(path)


def write_gb18030_csv(path: Path, rows: list[dict[str, object]]) -> None:
    """As Excel on Chinese Windows saves "CSV (逗号分隔)": GB18030, CRLF, dates as 2026/11/1."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    labels = [c.label for c in COLUMNS]
    writer.writerow(labels)
    for row in rows:
        value = row.get("日期")
        day = f"{value.year}/{value.month}/{value.day}" if isinstance(value, datetime) else ""
        writer.writerow([day if label == "日期" else row.get(label) or "" for label in labels])
    path.write_bytes(out.getvalue().encode("gb18030"))


def timed(*args: str) -> tuple[float, str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(BENCH_EPOCH), "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "huiyin.cli", *args], env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"huiyin {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return elapsed, done.stdout


def summary(stdout: str) -> str:
    return next((line for line in stdout.splitlines() if "应用" in line), stdout.strip()[-200:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step; the median is reported")
    args = parser.parse_args()
    root = OUT / f"import-{args.sessions}"
    pristine, content = root / "pristine", root / "content"
    counts = generate(pristine, args.sessions)
    now = datetime.fromtimestamp(BENCH_EPOCH, tz=UTC)
    outcomes = load_corpus(pristine, now).published_outcomes
    rows = answer_rows(outcomes, args.rows)
    sheet, gb_sheet = root / "answers.xlsx", root / "answers-gb18030.csv"
    write_workbook(sheet, rows)
    write_gb18030_csv(gb_sheet, rows)
    files = len({o.session.source_path for o in outcomes if o.session is not None})
    print(f"corpus: {counts['sessions']} session records, {len(outcomes)} published outcomes in {files} files; "
          f"sheet: {len(rows)} rows ({sheet.stat().st_size // 1024} KB .xlsx)")
    steps = (("dry run", ["--dry-run"]), ("import", []), ("again (all skipped)", []))
    for label, target in (("xlsx", sheet), ("GB18030 csv", gb_sheet)):
        times: dict[str, list[float]] = {step: [] for step, _ in steps}
        said: dict[str, str] = {}
        for _ in range(args.repeat):
            shutil.rmtree(content, ignore_errors=True)
            shutil.copytree(pristine, content)
            for step, extra in steps:
                elapsed, stdout = timed("import", str(target), "--content", str(content), *extra)
                times[step].append(elapsed)
                said[step] = summary(stdout)
        for step, _ in steps:
            runs = sorted(times[step])
            print(f"{label:12} {step:20} median {statistics.median(runs):5.2f} s (min {runs[0]:.2f}, max {runs[-1]:.2f})"
                  f"   {said[step]}")
    elapsed, stdout = timed("check", "--content", str(content))
    print(f"huiyin check afterwards   {elapsed:6.2f} s   {stdout.strip()}")


if __name__ == "__main__":
    main()
