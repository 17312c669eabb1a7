"""A session page shows how its record changed, from git: revisions with their
commit subjects and hashes, and when each outcome update was first published.

The site is a real git repository, committed to step by step the way staff do.
"""

from __future__ import annotations

import gzip
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from sitebuilder import BuildResult, SiteFolder, outcome, session

REPO_URL = "https://gitee.com/huiyin/demo"
SUBJECT_TOKEN = "qzcommitsubjecttoken"
PARKING = "sessions/2021/tingche/"


def git(root: Path, *args: str, when: str | None = None) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    if when:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commit(root: Path, subject: str, when: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", subject, when=when)
    return git(root, "rev-parse", "HEAD")


def parking(title: str, *updates: tuple) -> str:
    return session(title, "qingdao", "2021-04-02", [
        outcome("parking-sharing", "推动机关事业单位停车场错时向市民开放", ["市住建局"], *updates),
    ])


def lift(**extra: object) -> str:
    return session("老旧小区加装电梯", "qingdao", "2021-08-01", [
        outcome("lift-subsidy", "提高加装电梯补贴", ["市住建局"], ("2021-08-02", "submitted")),
    ], **extra)


SUBMITTED = ("2021-04-02", "submitted")
CLAIMED = ("2021-04-10", "claimed", "市住房城乡建设局已认领，牵头研究。")
IMPLEMENTED = ("2021-09-01", "implemented", "37个公共停车场开建。")


@dataclass
class Repository:
    folder: SiteFolder
    commits: dict[str, str]  # name → full hash

    @property
    def root(self) -> Path:
        return self.folder.root


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Repository:
    """Staff's history: a session, its updates, a title fix, a draft, a move."""
    root = tmp_path_factory.mktemp("history-repo")
    folder = SiteFolder(root)
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write(f"repo_url: {REPO_URL}\n")
    (root / ".gitignore").write_text("/site/\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "市政协办公厅")
    git(root, "config", "user.email", "staff@example.org")
    commits = {}
    folder.write(PARKING.rstrip("/") + ".md", parking("停车难", SUBMITTED))
    folder.write("sessions/2021/yanglao.md", session("社区养老", "qingdao", "2021-05-01", id="2021/yanglao"))
    commits["first"] = commit(root, "新增协商活动：停车难", "2021-04-03T10:00:00+08:00")
    folder.write(PARKING.rstrip("/") + ".md", parking("停车难", SUBMITTED, CLAIMED, IMPLEMENTED))
    commits["updates"] = commit(root, f"停车难：住建局认领并落实 {SUBJECT_TOKEN}", "2021-09-05T16:30:00+08:00")
    folder.write(PARKING.rstrip("/") + ".md", parking("破解停车难", SUBMITTED, CLAIMED, IMPLEMENTED))
    commits["title"] = commit(root, "更正议题 <script>alert(1)</script>", "2021-10-01T09:00:00+08:00")
    folder.write("sessions/2021/mimi.md", session("尚未公开的议题", "qingdao", "2021-06-01", draft=True))
    folder.write("sessions/2021/dianti.md", lift(draft=True))
    commits["draft"] = commit(root, "草稿：尚未公开的议题", "2021-10-02T09:00:00+08:00")
    # A move with the id pinned keeps the record's history.
    (root / "content/sessions/2021/yanglao.md").rename(root / "content/sessions/2021/yanglao-fuwu.md")
    commits["move"] = commit(root, "社区养老：改用更清楚的文件名", "2021-10-03T09:00:00+08:00")
    folder.write("sessions/2021/dianti.md", lift())
    commits["publish"] = commit(root, "发布：老旧小区加装电梯", "2021-10-04T09:00:00+08:00")
    folder.write("sessions/2021/dianti.md", lift(location="某小区活动室"))
    commit(root, "加装电梯：补地点，联系人张先生 138 1234 5678", "2021-10-05T09:00:00+08:00")
    for day in range(1, 23):  # a record edited often
        folder.write("sessions/2021/busy.md", session(f"常改的议题（第{day}稿）", "qingdao", "2021-11-01"))
        commit(root, f"常改的议题：第{day}稿", f"2021-11-{day:02d}T09:00:00+08:00")
    return Repository(folder, commits)


@pytest.fixture(scope="module")
def built(repository: Repository) -> BuildResult:
    done = repository.folder.build()
    assert done.returncode == 0, done.log
    return done


def revision_items(html: str) -> list[str]:
    match = re.search(r'<ol class="hy-revisions".*?</ol>', html, flags=re.S)
    return re.findall(r"<li>(.*?)</li>", match.group(0), flags=re.S) if match else []


def timeline_items(html: str) -> list[str]:
    # An item may carry a modifier (hy-timeline__item--answer marks the last answer for print).
    return re.findall(r'<li class="hy-timeline__item(?: [^"]*)?">(.*?)</li>', html, flags=re.S)


def test_session_page_lists_its_commits_newest_first(built: BuildResult, repository: Repository) -> None:
    html = built.page(PARKING)
    assert "修订记录" in html
    items = revision_items(html)
    assert len(items) == 3, items
    newest, middle, oldest = items
    assert "2021年10月1日" in newest and "2021年9月5日" in middle and "2021年4月3日" in oldest
    assert "住建局认领并落实" in middle and "新增协商活动：停车难" in oldest
    for item, name in zip(items, ["title", "updates", "first"]):
        full = repository.commits[name]
        assert f'href="{REPO_URL}/commit/{full}"' in item
        assert f"<code>{full[:7]}</code>" in item


def test_commit_subjects_are_escaped(built: BuildResult) -> None:
    html = built.page(PARKING)
    assert "<script>alert(1)</script>" not in html
    assert "更正议题 &lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_timeline_marks_when_each_update_was_first_published(built: BuildResult) -> None:
    submitted, claimed, implemented = timeline_items(built.page(PARKING))
    assert re.search(r'首次公开 <time datetime="2021-04-03">2021年4月3日</time>', submitted)
    assert re.search(r'首次公开 <time datetime="2021-09-05">2021年9月5日</time>', claimed)
    assert "首次公开" in implemented and "2021年9月5日" in implemented


def test_commit_subjects_are_not_searchable(built: BuildResult) -> None:
    assert SUBJECT_TOKEN in built.page(PARKING)
    index = [gzip.decompress(path.read_bytes()) for path in (built.site / "pagefind").rglob("*.pf_*")]
    assert index, "no search index was built"
    assert not any(SUBJECT_TOKEN.encode() in data for data in index)


def test_commits_of_other_records_do_not_show(built: BuildResult) -> None:
    html = built.page(PARKING)
    assert "尚未公开的议题" not in html
    assert "社区养老" not in html and "改用更清楚的文件名" not in html
    assert not built.exists("sessions/2021/mimi/")


def test_an_update_written_while_the_session_was_a_draft_is_first_published_with_it(built: BuildResult) -> None:
    (item,) = timeline_items(built.page("sessions/2021/dianti/"))
    assert "首次公开 <time datetime=\"2021-10-04\">2021年10月4日</time>" in item


def test_a_commit_subject_with_a_phone_number_is_withheld(built: BuildResult) -> None:
    html = built.page("sessions/2021/dianti/")
    newest = revision_items(html)[0]
    assert "不予显示" in newest and "2021年10月5日" in newest
    assert "138 1234 5678" not in html and "张先生" not in html


def test_a_moved_record_with_pinned_id_keeps_its_history(built: BuildResult) -> None:
    items = revision_items(built.page("sessions/2021/yanglao-fuwu/"))
    assert len(items) == 2
    assert "改用更清楚的文件名" in items[0] and "新增协商活动：停车难" in items[1]


def test_a_long_history_lists_the_newest_twenty(built: BuildResult) -> None:
    html = built.page("sessions/2021/busy/")
    items = revision_items(html)
    assert len(items) == 20
    assert "第22稿" in items[0] and "第3稿" in items[-1]
    assert "另有 2 次较早的修订未列出" in html


def test_outside_git_there_is_no_history_and_no_error(site: SiteFolder) -> None:
    site.write(PARKING.rstrip("/") + ".md", parking("停车难", SUBMITTED))
    result = site.build()
    assert result.returncode == 0, result.log
    html = result.page(PARKING)
    assert "修订记录" not in html and "首次公开" not in html


def test_shallow_clone_builds_and_says_history_may_be_incomplete(
    repository: Repository, tmp_path: Path
) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repository.root}", str(clone))
    result = SiteFolder(clone, with_defaults=False).build()  # the clone's own content
    assert result.returncode == 0, result.log  # --strict: the note is not a warning
    assert "浅克隆" in result.log
    html = result.page(PARKING)
    assert "修订记录" in html and "可能不完整" in html
    # The one commit there stands in for all older history: it proves no date.
    assert "hy-first-public" not in html
    assert not revision_items(html)


def test_serve_rereads_history_only_after_a_commit(tmp_path: Path) -> None:
    """`mkdocs serve` rebuilds on every save; git is read again only when HEAD moves."""
    from huiyin.core.model.history import read_history

    folder = SiteFolder(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.name", "市政协办公厅")
    git(tmp_path, "config", "user.email", "staff@example.org")
    folder.write(PARKING.rstrip("/") + ".md", parking("停车难", SUBMITTED))
    commit(tmp_path, "新增协商活动：停车难", "2021-04-03T10:00:00+08:00")
    first = read_history(folder.content)
    assert first is not None and read_history(folder.content, previous=first) is first
    folder.write(PARKING.rstrip("/") + ".md", parking("停车难", SUBMITTED, CLAIMED))
    assert read_history(folder.content, previous=first) is first  # saved, not committed
    commit(tmp_path, "停车难：住建局认领", "2021-04-11T10:00:00+08:00")
    again = read_history(folder.content, previous=first)
    assert again is not first and len(again.revisions["2021/tingche"]) == 2
