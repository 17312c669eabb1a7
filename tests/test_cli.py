"""The `huiyin` command as staff run it: new record, recorded answer, check, build.

Every test runs the real command in a subprocess, in a throwaway site folder,
and looks at what a staff member sees: the files on disk, the messages and the
exit code.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sitebuilder import FIXED_EPOCH, REPO, SiteFolder, outcome, session

# Every key of the content model a session record may hold (content-model.md).
SESSION_FIELDS = [
    "title", "platform", "date", "id", "number", "stage", "location", "topic_source", "tags",
    "participants", "members", "experts", "public", "officials", "public_input", "media", "outlet",
    "kind", "outcomes", "text", "departments", "due", "updates", "status", "note", "documents",
    "url", "draft", "publish_date",
    # Handling (督办)
    "lead", "due_in", "supervision", "by", "since", "extend_to", "satisfaction",
]


def huiyin(*args: str, cwd: Path, epoch: str | None = FIXED_EPOCH) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SOURCE_DATE_EPOCH", None)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    return subprocess.run(
        [sys.executable, "-m", "huiyin.cli", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def uncomment_outcomes_and_publish(path: Path) -> None:
    """What a staff member does next: fill in the outcome block of the template, drop draft."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("# outcomes:"))
    end = next(i for i in range(start, len(lines)) if lines[i] == "---")
    lines[start:end] = [line[2:] if line.startswith("# ") else line for line in lines[start:end]]
    lines = [line for line in lines if not line.startswith("draft: true")]
    path.write_text("\n".join(lines), encoding="utf-8")


def only_added_lines(before: str, after: str) -> list[str]:
    """The lines `after` adds to `before`; fails if any line was changed or removed."""
    diff = list(difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True)))
    changed = [line for line in diff if line.startswith(("- ", "? "))]
    assert not changed, "".join(changed)
    return [line[2:] for line in diff if line.startswith("+ ")]


# -- help ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command, chinese, english",
    [
        ([], "新建记录", "create a record"),
        (["new", "session"], "新建协商活动记录", "Create a session record"),
        (["update"], "追加一条办理进展", "Append an update"),
        (["check"], "检查全部内容", "Validate all content"),
    ],
)
def test_help_is_in_chinese_and_english(tmp_path: Path, command: list[str], chinese: str, english: str) -> None:
    done = huiyin(*command, "--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert chinese in done.stdout and english in done.stdout
    assert "用法 / usage:" in done.stdout


def test_wrong_arguments_say_so_in_both_languages(tmp_path: Path) -> None:
    done = huiyin("new", "session", "--title", "停车难", cwd=tmp_path)
    assert done.returncode == 2
    assert "参数有误 / bad arguments" in done.stderr and "--platform" in done.stderr


# -- huiyin new session ----------------------------------------------------------


def test_new_session_writes_a_valid_draft_with_every_field(site: SiteFolder) -> None:
    done = huiyin("new", "session", "--platform", "qingdao", "--title", "破解停车难：共享车位", "--date", "2025-03-01", cwd=site.root)
    assert done.returncode == 0, done.stderr
    created = site.content / "sessions/2025/pojie-tingchenan.md"
    assert "content/sessions/2025/pojie-tingchenan.md" in done.stdout
    text = created.read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---")[1])
    assert meta["title"] == "破解停车难：共享车位"
    assert meta["platform"] == "qingdao" and str(meta["date"]) == "2025-03-01" and meta["draft"] is True
    for key in SESSION_FIELDS:
        assert re.search(rf"^#?[ #]*(- )?{key}:", text, re.MULTILINE), f"template lacks {key}"
    checked = huiyin("check", cwd=site.root)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_new_session_in_the_future_is_planned(site: SiteFolder) -> None:
    done = huiyin("new", "session", "--platform", "qingdao", "--title", "普惠托育", "--slug", "puhui-tuoyu", "--date", "2026-01-15", cwd=site.root)
    assert done.returncode == 0, done.stderr
    text = (site.content / "sessions/2026/puhui-tuoyu.md").read_text(encoding="utf-8")
    assert re.search(r"^stage: planned", text, re.MULTILINE)


def test_new_session_defaults_to_today_in_shanghai(site: SiteFolder) -> None:
    # 2025-12-31 16:30 UTC is already 2026-01-01 in Beijing.
    done = huiyin("new", "session", "--platform", "qingdao", "--title", "跨年协商", "--slug", "kuanian", cwd=site.root, epoch="1767198600")
    assert done.returncode == 0, done.stderr
    assert "date: 2026-01-01" in (site.content / "sessions/2026/kuanian.md").read_text(encoding="utf-8")


def test_new_session_refuses_to_overwrite(site: SiteFolder) -> None:
    existing = site.write("sessions/2025/tingche.md", session("停车难", "qingdao", "2025-03-01"))
    before = existing.read_bytes()
    done = huiyin("new", "session", "--platform", "qingdao", "--title", "停车难", "--slug", "tingche", "--date", "2025-03-01", cwd=site.root)
    assert done.returncode == 1
    assert "content/sessions/2025/tingche.md" in done.stderr and "已存在" in done.stderr
    assert existing.read_bytes() == before


def test_new_session_suggests_a_close_platform(site: SiteFolder) -> None:
    done = huiyin("new", "session", "--platform", "qingdo", "--title", "停车难", cwd=site.root)
    assert done.returncode == 1
    assert "未知的平台「qingdo」" in done.stderr and "qingdao（倾听与商量）" in done.stderr
    assert not (site.content / "sessions").exists()


def test_new_session_takes_a_platform_by_its_name(site: SiteFolder) -> None:
    done = huiyin("new", "session", "--platform", "倾听与商量", "--title", "停车难", "--slug", "tingche", "--date", "2025-03-01", cwd=site.root)
    assert done.returncode == 0, done.stderr
    assert "platform: qingdao" in (site.content / "sessions/2025/tingche.md").read_text(encoding="utf-8")


def test_new_session_rejects_a_bad_slug(site: SiteFolder) -> None:
    done = huiyin("new", "session", "--platform", "qingdao", "--title", "停车难", "--slug", "Ting Che", cwd=site.root)
    assert done.returncode == 1 and "文件名「Ting Che」不合规" in done.stderr


# -- huiyin update ---------------------------------------------------------------

# A record as staff really write them: comments, quotes, flow lists, an
# indentless list, a block note, a comment after the last update.
HAND_WRITTEN = """\
---
# 第四期，录入：办公室
title: "停车难：共享车位"   # 引号要保留
platform: qingdao
date: 2021-03-18
tags: [停车, '城市治理']
outcomes:
  - id: parking-sharing
    text: '推动机关事业单位停车场错时开放'
    departments: [市住建局, 市公安局]
    due: 2021-06-30
    updates:
    - date: 2021-04-02        # 交办
      status: submitted
    -   date: '2021-04-10'
        status: 已认领
        note: |
          市住建局已认领。
          牵头研究。

        # 等待部门正式答复
    # 下一条建议
  - id: smart-parking
    departments: [市公安局]
    text: 智能停车
    updates: [{date: 2021-04-02, status: submitted}]
---
停车难是热线诉求前列。
"""


@pytest.fixture
def hand_written(site: SiteFolder) -> Path:
    return site.write("sessions/2021/tingche.md", HAND_WRITTEN)


def test_update_adds_lines_and_changes_no_other(site: SiteFolder, hand_written: Path) -> None:
    done = huiyin(
        "update", "2021/tingche#parking-sharing", "--status", "implemented", "--date", "2021-09-01",
        "--note", "印发实施方案: 37个停车场开建 #1", "--document", "实施方案=https://example.org/a?id=1",
        cwd=site.root,
    )
    assert done.returncode == 0, done.stderr
    assert "已落实" in done.stdout
    added = only_added_lines(HAND_WRITTEN, hand_written.read_text(encoding="utf-8"))
    # In the layout of the item before it: dash at column 4, keys at 8, quoted date, Chinese status.
    assert added == [
        "    -   date: '2021-09-01'\n",
        "        status: 已落实\n",
        "        note: '印发实施方案: 37个停车场开建 #1'\n",
        "        documents:\n",
        "          - title: 实施方案\n",
        "            url: https://example.org/a?id=1\n",
    ]
    # Right after the last update's comment, before the next outcome's comment.
    after = hand_written.read_text(encoding="utf-8")
    assert after.index("# 等待部门正式答复") < after.index("'2021-09-01'") < after.index("# 下一条建议")
    checked = huiyin("check", cwd=site.root)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_update_keeps_line_endings_and_bom(site: SiteFolder) -> None:
    record = session("停车难", "qingdao", "2021-03-18", [outcome("a", "错时开放", ["市住建局"], ("2021-04-02", "submitted"))])
    raw = ("\ufeff" + record).replace("\n", "\r\n").encode("utf-8")
    path = site.write("sessions/2021/crlf.md", raw)
    done = huiyin("update", "2021/crlf#a", "--status", "claimed", "--date", "2021-04-03", cwd=site.root)
    assert done.returncode == 0, done.stderr
    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and b"\n" not in after.replace(b"\r\n", b"")
    assert only_added_lines(raw.decode("utf-8"), after.decode("utf-8")) == [
        "  - date: '2021-04-03'\r\n", "    status: claimed\r\n",  # dates quoted, as the record quotes them
    ]


def test_update_accepts_traditional_labels_and_finds_pinned_ids(site: SiteFolder) -> None:
    record = session("停车难", "qingdao", "2021-03-18", [outcome("a", "错时开放", ["市住建局"], ("2021-04-02", "submitted"))], id="qd-04")
    path = site.write("sessions/2021/tingche.md", record)
    done = huiyin("update", "qd-04#a", "--status", "已落實", "--date", "2021-05-01", "--note", "已办结", cwd=site.root)
    assert done.returncode == 0, done.stderr
    assert only_added_lines(record, path.read_text(encoding="utf-8")) == [
        "  - date: '2021-05-01'\n", "    status: implemented\n", "    note: 已办结\n",
    ]


def test_update_writes_a_one_line_item_after_one_line_items(site: SiteFolder) -> None:
    record = (
        "---\ntitle: 停车难\nplatform: qingdao\ndate: 2021-03-18\noutcomes:\n"
        "  - id: a\n    text: 错时开放\n    departments: [市住建局]\n    updates:\n"
        "      - {date: 2021-04-02, status: submitted}\n"
        "      - {date: 2021-04-10, status: 已认领, note: 市住建局已认领。}\n---\n正文\n"
    )
    path = site.write("sessions/2021/tingche.md", record)
    done = huiyin("update", "2021/tingche#a", "--status", "in_progress", "--date", "2021-05-01", "--note", "推进中, 已开工",
                  "--document", "方案=https://example.org/a", cwd=site.root)
    assert done.returncode == 0, done.stderr
    assert only_added_lines(record, path.read_text(encoding="utf-8")) == [
        "      - {date: 2021-05-01, status: 办理中, note: '推进中, 已开工', documents: [{title: 方案, url: https://example.org/a}]}\n",
    ]


def test_update_defaults_to_today_in_shanghai(site: SiteFolder, hand_written: Path) -> None:
    # 2025-11-21 16:30 UTC is 2025-11-22 in Beijing.
    done = huiyin("update", "2021/tingche#parking-sharing", "--status", "in_progress", cwd=site.root, epoch="1763742600")
    assert done.returncode == 0, done.stderr
    assert "    -   date: '2025-11-22'" in hand_written.read_text(encoding="utf-8")


def test_update_records_an_extension_and_a_follow_up(site: SiteFolder, hand_written: Path) -> None:
    done = huiyin("update", "2021/tingche#parking-sharing", "--status", "in_progress", "--date", "2021-05-01",
                  "--extend-to", "2021-09-30", "--note", "经批准延期", cwd=site.root)
    assert done.returncode == 0, done.stderr
    done = huiyin("update", "2021/tingche#parking-sharing", "--status", "in_progress", "--date", "2021-05-10",
                  "--satisfaction", "不滿意", "--note", "回访不满意", cwd=site.root)
    assert done.returncode == 0, done.stderr
    added = only_added_lines(HAND_WRITTEN, hand_written.read_text(encoding="utf-8"))
    assert "        extend_to: '2021-09-30'\n" in added and "        satisfaction: 不滿意\n" in added, added
    assert huiyin("check", cwd=site.root).returncode == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["--status", "claimed", "--date", "2021-04-05"], "日期 2021-04-05 早于上一条进展的 2021-04-10"),
        (["--status", "claimed", "--date", "2025-11-30"], "晚于今天"),
        (["--status", "claimed", "--date", "2021-02-30"], "不是有效日期"),
        (["--status", "declined", "--date", "2021-05-01"], "未采纳（declined）时必须写明原因"),
        (["--status", "finished"], "状态「finished」不在可选范围内"),
        (["--status", "claimed", "--document", "方案=javascript:alert(1)"], "链接不安全或无效"),
        (["--status", "claimed", "--note", "联系电话 13812345678"], "疑似手机号码"),
        (["--status", "in_progress", "--date", "2021-05-01", "--extend-to", "2021-09-30"], "延期（--extend-to）必须写明原因"),
        (["--status", "in_progress", "--date", "2021-05-01", "--extend-to", "2021-06-01", "--note", "延期"],
         "不晚于它取代的答复期限 2021-06-30"),
        (["--status", "implemented", "--date", "2021-05-01", "--satisfaction", "不满意", "--note", "回访"],
         "回访不满意时，状态不能是办结状态「已落实」"),
        (["--status", "claimed", "--satisfaction", "很好"], "回访满意度「很好」不在可选范围内"),
    ],
)
def test_update_refuses_bad_input_and_leaves_the_file_alone(site: SiteFolder, hand_written: Path, args: list[str], message: str) -> None:
    done = huiyin("update", "2021/tingche#parking-sharing", *args, cwd=site.root)
    assert done.returncode == 1, done.stdout
    assert message in done.stderr
    assert "content/sessions/2021/tingche.md" in done.stderr
    assert hand_written.read_text(encoding="utf-8") == HAND_WRITTEN


@pytest.mark.parametrize(
    "reference, message",
    [
        ("2021/tingche#parking", "这次活动没有 id 为「parking」的建议 — 本活动的建议 id：parking-sharing、smart-parking"),
        ("2021/tingch#parking-sharing", "找不到活动「2021/tingch」 — 相近的有：2021/tingche"),
        ("2021/tingche", "应写作 活动id#建议id"),
        ("2021/tingche#smart-parking", "写成了一行的 [...] 形式"),
    ],
)
def test_update_names_what_it_cannot_find(site: SiteFolder, hand_written: Path, reference: str, message: str) -> None:
    done = huiyin("update", reference, "--status", "claimed", "--date", "2021-05-01", cwd=site.root)
    assert done.returncode == 1
    assert message in done.stderr
    assert hand_written.read_text(encoding="utf-8") == HAND_WRITTEN


# -- huiyin check ----------------------------------------------------------------


@pytest.fixture
def broken(site: SiteFolder) -> SiteFolder:
    """One good session and three files with mistakes of different kinds."""
    site.write("sessions/2021/good.md", session("好记录", "qingdao", "2021-03-01", number=1, outcomes=[
        outcome("a", "错时开放", ["市住建局"], ("2021-04-02", "submitted"))]))
    site.write("sessions/2021/bad-status.md", session("状态写错", "qingdao", "2021-03-02", outcomes=[
        outcome("a", "错时开放", ["市住建局"], ("2021-04-02", "done"))]))
    site.write("sessions/2021/same-number.md", session("期数重复", "qingdao", "2021-03-03", number=1))
    site.write("sessions/2021/broken-yaml.md", "---\ntitle: [未闭合\n---\n正文\n")
    site.write("platforms/orphan.md", "---\nname: 孤儿平台\nlevel: county\nregion: 某地\nparent: nowhere\n---\n")
    return site


def test_check_names_every_bad_file_and_fails(broken: SiteFolder) -> None:
    done = huiyin("check", cwd=broken.root)
    assert done.returncode == 1
    report = done.stdout
    assert re.search(r"^内容有 \d+ 处问题（content has \d+ problem\(s\)）：$", report, re.MULTILINE)
    for path in ("content/sessions/2021/bad-status.md", "content/sessions/2021/broken-yaml.md", "content/platforms/orphan.md"):
        assert re.search(rf"^  {re.escape(path)}:\d+: .+ — .+$", report, re.MULTILINE), path
    assert "「outcomes[1].updates[1].status」的值「done」不在可选范围内" in report
    # The duplicate number is a rule across two files; both are named.
    assert "content/sessions/2021/same-number.md" in report and "good.md" in report


def test_check_reports_the_same_problems_as_the_build(broken: SiteFolder) -> None:
    checked = huiyin("check", cwd=broken.root)
    built = broken.build()
    assert built.returncode != 0
    problems = [line.strip() for line in checked.stdout.splitlines() if line.startswith("  ")]
    assert problems
    for problem in problems:
        assert problem in built.log


def test_check_with_paths_reports_only_those_files(broken: SiteFolder) -> None:
    done = huiyin("check", "content/sessions/2021/same-number.md", "content/sessions/2021/good.md", cwd=broken.root)
    assert done.returncode == 1
    problem_lines = [line for line in done.stdout.splitlines() if line.startswith("  ")]
    assert problem_lines and all(
        line.startswith(("  content/sessions/2021/same-number.md", "  content/sessions/2021/good.md")) for line in problem_lines
    )
    assert any("第 1 期" in line for line in problem_lines)  # a cross-file rule, still checked
    assert "其他文件另有" in done.stderr


def test_check_passes_a_clean_file_among_broken_ones(broken: SiteFolder) -> None:
    broken.write("sessions/2022/clean.md", session("干净", "qingdao", "2022-01-01"))
    done = huiyin("check", "content/sessions/2022/clean.md", cwd=broken.root)
    assert done.returncode == 0, done.stdout
    assert "所查文件没有问题" in done.stdout


def test_check_finds_the_content_from_a_subfolder(broken: SiteFolder) -> None:
    done = huiyin("check", "bad-status.md", cwd=broken.content / "sessions/2021")
    assert done.returncode == 1
    assert "  bad-status.md:" in done.stdout


def test_check_with_content_option_and_missing_path(site: SiteFolder, tmp_path: Path) -> None:
    done = huiyin("--content", str(site.content), "check", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "内容检查通过" in done.stdout and "4 个平台" in done.stdout
    missing = huiyin("check", "--content", str(site.content), "nope.md", cwd=tmp_path)
    assert missing.returncode == 1 and "找不到文件「nope.md」" in missing.stderr


# -- the whole staff workflow, up to a strict build ------------------------------


def run_workflow(site: SiteFolder, platform: str) -> str:
    """new → fill in → update → check → mkdocs build --strict; returns the session page."""
    done = huiyin("new", "session", "--platform", platform, "--title", "电梯加装：老旧小区", "--date", "2025-06-01", cwd=site.root)
    assert done.returncode == 0, done.stderr
    path = site.content / "sessions/2025/dianti-jiazhuang.md"
    uncomment_outcomes_and_publish(path)
    before = path.read_text(encoding="utf-8")
    done = huiyin("update", "2025/dianti-jiazhuang#jianyi-1", "--status", "已認領", "--date", "2025-06-10",
                  "--note", "部门已认领，牵头推进加装电梯。", cwd=site.root)
    assert done.returncode == 0, done.stderr
    assert len(only_added_lines(before, path.read_text(encoding="utf-8"))) == 3
    done = huiyin("check", cwd=site.root)
    assert done.returncode == 0, done.stdout + done.stderr
    built = site.build()
    assert built.returncode == 0, built.log
    return built.page("sessions/2025/dianti-jiazhuang/")


def test_workflow_on_a_test_corpus(tmp_path: Path) -> None:
    page = run_workflow(SiteFolder(tmp_path), "qingdao")
    assert "电梯加装：老旧小区" in page and "部门已认领，牵头推进加装电梯。" in page


def test_workflow_on_the_sample_site(tmp_path: Path) -> None:
    site = SiteFolder(tmp_path, with_defaults=False)
    shutil.rmtree(site.content)
    shutil.copytree(REPO / "content", site.content)
    platform = sorted(p.stem for p in (site.content / "platforms").glob("*.md"))[0]
    page = run_workflow(site, platform)
    assert "部门已认领，牵头推进加装电梯。" in page


# -- what ships for pre-commit and the forge -------------------------------------


def test_pre_commit_hook_runs_huiyin_check_on_content_files() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "huiyin-check")
    assert hook["entry"] == "huiyin check" and hook["language"] == "python"
    assert re.search(hook["files"], "content/sessions/2021/tingche.md")
    assert not re.search(hook["files"], "plugins/huiyin/cli.py")


def test_publish_workflow_checks_builds_and_deploys_main_only() -> None:
    workflow = yaml.safe_load((REPO / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    build = workflow["jobs"]["build"]
    runs = [step.get("run", "") for step in build["steps"]]
    assert any("huiyin check" in run for run in runs)
    assert any("mkdocs build --strict" in run for run in runs)
    checkout = next(step for step in build["steps"] if step.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    uses = [step.get("uses", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert "refs/heads/main" in workflow["jobs"]["deploy"]["if"]
