"""Residents' mobile and identity numbers never reach the site.

A staff member pastes a note with a resident's number; the build must stop
and say which file, which field or line, and show the number masked (build
logs are public too). Hotlines, landlines and document numbers must not raise
false alarms, and a reviewed number can be waived, explicitly, per record.
"""

from __future__ import annotations

from datetime import datetime

import pytest
import yaml
from huiyin.core.base.clock import SHANGHAI
from huiyin.core.model.loading import load_corpus
from huiyin.core.records.privacy import find_personal_numbers
from huiyin.core.records.problems import ContentError
from sitebuilder import SiteFolder, front_matter, outcome, session

NOW = datetime(2025, 11, 21, 8, 0, tzinfo=SHANGHAI)

MOBILE = "13812345678"
IDENTITY = "11010519491231002X"  # the published specimen number; its check digit is right
BAD_CHECKSUM = "110105194912310021"  # one digit off: an order number, not an identity


# -- what counts as a personal number ------------------------------------------


@pytest.mark.parametrize("text", [
    "联系人手机13812345678。",
    "手机：138 1234 5678",
    "手机：138-1234-5678",
    "+86 13812345678",
    "+8613812345678",
    "１３８１２３４５６７８",  # full-width digits, as typed by a Chinese input method
    "手机19912345678",
])
def test_mobile_numbers_are_found(text):
    assert [f.kind for f in find_personal_numbers(text)] == ["手机号码"]


@pytest.mark.parametrize("text", [
    f"身份证号{IDENTITY}",
    f"身份证号{IDENTITY.lower()}",
    "１１０１０５１９４９１２３１００２Ｘ",
])
def test_identity_numbers_with_a_valid_check_digit_are_found(text):
    assert [f.kind for f in find_personal_numbers(text)] == ["身份证号码"]


@pytest.mark.parametrize("text", [
    "12345 市民热线",
    "咨询电话：0532-85912345",
    "咨询电话：（0532）85912345",
    "咨询电话：053285912345",
    "400-123-4567",
    "2021-04-02 召开，2021年4月2日",
    "20210402",
    f"文件编号 {BAD_CHECKSUM}",
    "订单号 123456789012345678",
    "110105194913310027",  # check digit fits, but there is no 31st of a 13th month
    "已脱敏：138****5678",
    "共 1381234567890 元",  # 13 digits: not a phone number
    "電話：0532-88886666轉13812",
])
def test_public_numbers_dates_and_document_numbers_pass(text):
    assert find_personal_numbers(text) == []


def test_findings_are_masked():
    (mobile,) = find_personal_numbers(MOBILE)
    (identity,) = find_personal_numbers(IDENTITY)
    assert mobile.masked == "138****5678"
    assert identity.masked == "110***********002X"


# -- the loader checks every published text ------------------------------------


def problems_of(site: SiteFolder) -> list[str]:
    try:
        load_corpus(site.content, NOW)
    except ContentError as error:
        return [str(problem) for problem in error.problems]
    return []


@pytest.fixture
def clean(tmp_path) -> SiteFolder:
    site = SiteFolder(tmp_path)
    assert problems_of(site) == []
    return site


@pytest.mark.parametrize("extra, field", [
    ({"subtitle": f"联系 {MOBILE}"}, "subtitle"),
    ({"location": f"社区活动室（联系 {MOBILE}）"}, "location"),
    ({"tags": ["停车", f"联系{MOBILE}"]}, "tags[2]"),
    ({"description": f"电话 {MOBILE}"}, "description"),
    ({"media": [{"title": "报道", "url": f"https://example.org/?tel={MOBILE}", "outlet": "日报"}]}, "media[1].url"),
    ({"outcomes": [outcome("a", "建议", ["市住建局"], ("2021-04-02", "claimed", f"居民张某（{MOBILE}）反映"))]},
     "outcomes[1].updates[1].note"),
    ({"outcomes": [outcome(MOBILE, "建议", ["市住建局"], ("2021-04-02", "submitted"))]}, "outcomes[1].id"),
    ({"id": f"2021/{MOBILE}"}, "id"),
])
def test_a_mobile_number_in_any_session_field_is_refused(clean, extra, field):
    clean.write("sessions/2021/huiyi.md", session("议题", "qingdao", "2021-04-02", **extra))
    assert f"{field.split('[')[0].split('.')[0]}:" in clean.content.joinpath("sessions/2021/huiyi.md").read_text()
    problems = problems_of(clean)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{clean.content.name}/sessions/2021/huiyi.md:"), problems[0]
    assert f"字段「{field}」含疑似手机号码「138****5678」" in problems[0]
    assert MOBILE not in problems[0]
    assert "reviewed_numbers" in problems[0]  # the hint tells how to waive a reviewed number


def test_numbers_in_the_body_are_reported_with_their_line(clean):
    body = "第一段。\n\n居民王某，身份证 " + IDENTITY + "。\n\n联系 " + MOBILE + "\n"
    path = clean.write("sessions/2021/huiyi.md", session("议题", "qingdao", "2021-04-02", body=body))
    lines = path.read_text(encoding="utf-8").split("\n")
    id_line = next(i for i, line in enumerate(lines, 1) if IDENTITY in line)
    mobile_line = next(i for i, line in enumerate(lines, 1) if MOBILE in line)
    problems = problems_of(clean)
    assert any(f"huiyi.md:{id_line}: 正文含疑似身份证号码「110***********002X」" in p for p in problems), problems
    assert any(f"huiyi.md:{mobile_line}: 正文含疑似手机号码「138****5678」" in p for p in problems), problems
    assert not any(IDENTITY in p or MOBILE in p for p in problems)


def test_platforms_departments_file_names_and_staff_pages_are_checked(clean):
    clean.write("platforms/jiedao.md", front_matter(
        {"name": "街道议事厅", "level": "township", "region": "山东省青岛市", "contact": f"王主任 {MOBILE}"},
        "简介。\n"))
    clean.write("departments.yml", yaml.safe_dump(
        [{"slug": "qd-zhujian", "name": "青岛市住房和城乡建设局", "aliases": [f"住建局{MOBILE}"]}],
        allow_unicode=True))
    clean.write(f"sessions/2021/{MOBILE}.md", session("议题", "qingdao", "2021-04-02"))
    clean.write("index.md", f"# 回音\n\n值班手机 {MOBILE}\n")
    problems = "\n".join(problems_of(clean))
    assert "jiedao.md:5: 字段「contact」含疑似手机号码「138****5678」" in problems
    assert "departments.yml:2: 字段「[1].aliases[1]」含疑似手机号码「138****5678」" in problems
    assert f"{MOBILE}.md: 文件名含疑似手机号码「138****5678」" in problems
    assert "index.md:3: 正文含疑似手机号码「138****5678」" in problems


def test_drafts_are_not_checked_but_embargoed_sessions_are(clean):
    clean.write("sessions/2021/caogao.md", session("草稿", "qingdao", "2021-04-02", draft=True,
                                                  body=f"回访 {MOBILE}\n"))
    assert problems_of(clean) == []
    clean.write("sessions/2021/jinshi.md", session("禁发", "qingdao", "2021-04-03", publish_date="2030-01-01",
                                                  body=f"回访 {MOBILE}\n"))
    problems = problems_of(clean)
    assert len(problems) == 1 and "jinshi.md" in problems[0], problems


def test_landlines_and_hotlines_pass(clean):
    clean.write("platforms/jiedao.md", front_matter(
        {"name": "街道议事厅", "level": "township", "region": "山东省青岛市",
         "contact": "0532-85912345；市民热线 12345", "hours": "每周三 9:00-11:30"},
        f"文件编号 {BAD_CHECKSUM}。\n"))
    clean.write("sessions/2021/huiyi.md", session(
        "议题", "jiedao", "2021-04-02", body="2021年4月2日召开，热线 12345，电话 (0532)85912345。\n"))
    assert problems_of(clean) == []


# -- waiving a reviewed number -------------------------------------------------


def test_a_reviewed_number_is_waived_for_its_record_only(clean):
    clean.write("sessions/2021/huiyi.md", session(
        "议题", "qingdao", "2021-04-02", body="社区服务手机 138 1234 5678（已公示）。\n",
        reviewed_numbers=[MOBILE]))
    clean.write("sessions/2021/other.md", session("另一期", "qingdao", "2021-04-03", body=f"联系 {MOBILE}\n"))
    problems = problems_of(clean)
    assert len(problems) == 1 and "other.md" in problems[0], problems


def test_a_waiver_covers_only_the_numbers_it_names(clean):
    clean.write("sessions/2021/huiyi.md", session(
        "议题", "qingdao", "2021-04-02", body=f"服务手机 {MOBILE}；居民身份证 {IDENTITY}\n",
        reviewed_numbers=["+86 138-1234-5678"]))
    problems = problems_of(clean)
    assert len(problems) == 1 and "身份证号码" in problems[0], problems


def test_stale_or_malformed_waivers_are_refused(clean):
    clean.write("sessions/2021/huiyi.md", session(
        "议题", "qingdao", "2021-04-02", body="已删去号码。\n", reviewed_numbers=[MOBILE, "王主任"]))
    problems = "\n".join(problems_of(clean))
    assert "「reviewed_numbers」中的号码「138****5678」在本记录中没有出现" in problems
    assert "「reviewed_numbers」第 2 项不是一个手机号码或身份证号码" in problems


# -- the real build --------------------------------------------------------------


@pytest.fixture(scope="module")
def refused(tmp_path_factory):
    site = SiteFolder(tmp_path_factory.mktemp("privacy"))
    site.write("sessions/2021/huifang.md", session(
        "回访", "qingdao", "2021-04-02", body=f"居民李某，手机 {MOBILE}，身份证 {IDENTITY}。\n"))
    return site.build()


def test_a_record_with_a_mobile_and_an_identity_number_fails_the_build(refused):
    assert refused.returncode != 0
    assert "sessions/2021/huifang.md" in refused.log
    assert "手机号码「138****5678」" in refused.log and "身份证号码「110***********002X」" in refused.log
    assert MOBILE not in refused.log and IDENTITY not in refused.log
    assert not refused.site.exists()


def test_landlines_hotlines_and_waived_numbers_build_and_show(tmp_path):
    site = SiteFolder(tmp_path)
    site.write("sessions/2021/huiyi.md", session(
        "议题", "qingdao", "2021-04-02", location="市民中心（咨询 0532-85912345）",
        body=f"热线 12345。社区服务手机 {MOBILE}（经街道审核公示）。\n", reviewed_numbers=[MOBILE]))
    result = site.build()
    assert result.returncode == 0, result.log
    html = result.page("sessions/2021/huiyi/")
    assert "0532-85912345" in html and "12345" in html and MOBILE in html
    assert "reviewed_numbers" not in html


def test_the_title_is_checked_too(clean):
    clean.write("sessions/2021/huiyi.md", session(f"回访 {MOBILE}", "qingdao", "2021-04-02", body="纪要。\n"))
    (problem,) = problems_of(clean)
    assert "huiyi.md:2: 字段「title」含疑似手机号码「138****5678」" in problem
