"""Bad input: one build reports every problem, each naming file, line and remedy."""

from __future__ import annotations

import pytest
from sitebuilder import SiteFolder, front_matter, outcome, session

GOOD_UPDATE = ("2021-04-02", "submitted")


@pytest.fixture(scope="module")
def broken_build(tmp_path_factory):
    """One corpus with one mistake of each kind, each in its own file."""
    site = SiteFolder(tmp_path_factory.mktemp("broken"))
    site.write("sessions/2021/ok.md", session("正常的活动", "qingdao", "2021-04-02", number=1))
    site.write("sessions/2021/missing-title.md", front_matter({"platform": "qingdao", "date": "2021-05-01"}))
    site.write("sessions/2021/bad-type.md", session("期数写成汉字", "qingdao", "2021-05-02", number="三"))
    site.write("sessions/2021/bad-date.md", session("不存在的日期", "qingdao", "2021-02-30"))
    site.write("sessions/2021/unknown-platform.md", session("平台写错", "qingdoa", "2021-05-03"))
    site.write("sessions/2021/unknown-department.md", session("单位写错", "qingdao", "2021-05-04", [
        outcome("a", "建议", ["市住建"], GOOD_UPDATE)]))
    site.write("sessions/2021/duplicate-id.md", session("重复的 id", "qingdao", "2021-05-05", id="2021/ok"))
    site.write("sessions/2021/duplicate-number.md", session("重复的期数", "qingdao", "2021-05-06", number=1))
    site.write("sessions/2021/backwards.md", session("日期倒退", "qingdao", "2021-05-07", [
        outcome("a", "建议", ["市公安局"], ("2021-06-01", "submitted"), ("2021-05-01", "claimed"))]))
    site.write("sessions/2021/declined.md", session("未采纳无理由", "qingdao", "2021-05-08", [
        outcome("a", "建议", ["市公安局"], GOOD_UPDATE, ("2021-05-01", "未採納"))]))
    site.write("sessions/2021/bad-yaml.md", "---\ntitle: [未闭合\nplatform: qingdao\n---\n正文\n")
    site.write("sessions/2021/bad-status.md", session("状态写错", "qingdao", "2021-05-09", [
        outcome("a", "建议", ["市公安局"], ("2021-04-02", "完成"))]))
    site.write("sessions/2022/wrong-year.md", session("年份不符", "qingdao", "2021-05-10"))
    site.write("platforms/loop-a.md", front_matter({"name": "甲", "level": "city", "region": "甲地", "parent": "loop-b"}))
    site.write("platforms/loop-b.md", front_matter({"name": "乙", "level": "county", "region": "乙地", "parent": "loop-a"}))
    site.write("platforms/orphan.md", front_matter({"name": "丙", "level": "县级", "region": "丙地", "parent": "nowhere"}))
    site.write("platforms/no-level.md", front_matter({"name": "丁", "region": "丁地"}))
    return site.build()


def test_build_fails_without_a_traceback(broken_build):
    assert broken_build.returncode != 0
    assert "Traceback" not in broken_build.log
    assert "Aborted" in broken_build.log


def test_a_failed_build_writes_no_page(broken_build):
    assert not (broken_build.site / "index.html").exists()


EXPECTED = {
    "sessions/2021/missing-title.md": "缺少必填字段「title」",
    "sessions/2021/bad-type.md": "「number」应为整数",
    "sessions/2021/bad-date.md": "不是有效日期：「2021-02-30」",
    "sessions/2021/unknown-platform.md": "未知的平台「qingdoa」",
    "sessions/2021/unknown-department.md": "未知的承办单位「市住建」",
    "sessions/2021/duplicate-id.md": "活动 id「2021/ok」与 sessions/2021/ok.md 重复",
    "sessions/2021/duplicate-number.md": "第 1 期在平台「倾听与商量」中重复，又见于 sessions/2021/ok.md",
    "sessions/2021/backwards.md": "办理进展日期倒退",
    "sessions/2021/declined.md": "未采纳（declined）时必须写明原因",
    "sessions/2021/bad-yaml.md": "YAML 格式错误",
    "sessions/2021/bad-status.md": "不在可选范围内",
    "sessions/2022/wrong-year.md": "与所在年份文件夹 2022 不符",
    "platforms/loop-a.md": "上级平台形成循环",
    "platforms/loop-b.md": "上级平台形成循环",
    "platforms/orphan.md": "上级平台「nowhere」不存在",
    "platforms/no-level.md": "缺少必填字段「level」",
}


@pytest.mark.parametrize("path, message", EXPECTED.items())
def test_every_mistake_is_reported_with_file_and_line(broken_build, path, message):
    lines = [line for line in broken_build.log.splitlines() if f"content/{path}:" in line]
    assert lines, f"no problem reported for {path}:\n{broken_build.log}"
    assert any(message in line for line in lines), lines
    # path:line: message — what to do
    assert any(f"content/{path}:" in line and " — " in line for line in lines)


def test_blame_falls_on_the_file_that_pinned_a_duplicate_id(broken_build):
    ok_lines = [line for line in broken_build.log.splitlines() if "content/sessions/2021/ok.md:" in line]
    # ok.md shares its number with another file (both are named), but it did not pin the id.
    assert ok_lines and all("期" in line and "id「" not in line for line in ok_lines)


def test_close_names_are_suggested(broken_build):
    log = broken_build.log
    assert "相近的有：qingdao" in log
    assert "相近的有：" in next(line for line in log.splitlines() if "市住建」" in line)


def test_problem_points_at_the_line(broken_build):
    line = next(text for text in broken_build.log.splitlines() if "bad-date.md" in text)
    # front matter: line 1 is ---, title 2, platform 3, date 4
    assert "content/sessions/2021/bad-date.md:4:" in line


def test_unknown_field_is_reported_with_suggestion(site):
    site.write("sessions/2021/typo.md", session("拼写错误", "qingdao", "2021-04-02", pubish_date="2030-01-01"))
    result = site.build()
    assert result.returncode != 0
    assert "未知字段「pubish_date」" in result.log and "publish_date" in result.log


def test_departments_file_mistakes(site):
    site.write("departments.yml", "- slug: a\n  name: 甲局\n  aliases: [共用]\n- slug: a\n  name: 乙局\n- slug: c\n  name: 丙局\n  aliases: [共用]\n")
    result = site.build()
    assert result.returncode != 0
    assert "content/departments.yml:4:" in result.log and "重复" in result.log
    assert "「共用」同时属于「甲局」" in result.log


def test_gbk_file_is_reported_not_crashed(site):
    site.write("sessions/2021/gbk.md", session("编码错误", "qingdao", "2021-04-02").encode("gbk"))
    result = site.build()
    assert result.returncode != 0 and "Traceback" not in result.log
    assert "content/sessions/2021/gbk.md" in result.log and "UTF-8" in result.log


def test_a_feed_of_no_items_is_a_configuration_mistake(tmp_path):
    site = SiteFolder(tmp_path, plugin_options={"feed_length": 0})
    result = site.build()
    assert result.returncode != 0 and "Traceback" not in result.log
    assert "feed_length" in result.log and "不小于 1" in result.log


def test_pages_or_scripts_dropped_into_content_are_refused(site):
    site.write("assets/widget.js", "alert(1)\n")
    site.write("notice.html", "<script>alert(1)</script>\n")
    result = site.build()
    assert result.returncode != 0
    assert "content/assets/widget.js: 内容目录里不能放网页或脚本文件（.js）" in result.log
    assert "content/notice.html: 内容目录里不能放网页或脚本文件（.html）" in result.log
