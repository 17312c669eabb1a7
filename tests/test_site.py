"""A corpus written from the content model becomes a public Chinese site."""

from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html
from sitebuilder import REPO, SiteFolder, outcome, session


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = SiteFolder(tmp_path_factory.mktemp("site"))
    site.write("sessions/2021/tingche.md", session(
        "推进共享停车 缓解停车难", "qingdao", "2021-04-02",
        [outcome("parking-sharing", "推动机关事业单位停车场错时向市民开放", ["市住房城乡建设局", "市公安局"],
                 ("2021-04-02", "submitted"), ("2021-04-10", "已認領", "市住房城乡建设局已认领，牵头研究。"),
                 ("2021-09-01", "implemented", "印发《青岛市停车设施建设管理实施方案》。"), due="2021-06-30"),
         outcome("late", "增加夜间停车位", ["市住建局"], ("2021-04-02", "submitted"), due="2021-06-30")],
        number=4, stage="已召开", location="青岛日报社", topic_source="群眾出題", tags=["停车", "城市管理"],
        participants={"members": 5, "experts": 2, "public": 12, "officials": ["市公安局"]},
        public_input=3210,
        media=[{"title": "停车难怎么破", "url": "https://www.qingdaonews.com/", "outlet": "青岛日报", "kind": "报道"}],
        body="## 协商过程\n\n委员们围绕停车难展开讨论。\n"))
    site.write("sessions/2020/yiliao.md", session("分级诊疗", "shibei", "2020-12-01", number=1))
    site.write("sessions/2027/jihua.md", session("年度协商计划：养老服务", "qingdao", "2027-03-01", stage="planned"))
    site.write("sessions/2021/caogao.md", session("草稿活动", "qingdao", "2021-05-01", draft=True))
    site.write("sessions/2021/jinshi.md", session("禁发活动", "qingdao", "2021-05-02", publish_date="2030-01-01 09:00"))
    site.write("sessions/2021/zhejiang.md", session("浙江的活动", "zhejiang", "2021-06-01"))
    result = site.build()
    assert result.returncode == 0, result.log
    return result


def test_every_record_has_its_page_at_the_contract_path(built):
    for path in ["sessions/2021/tingche/", "sessions/2020/yiliao/", "sessions/2027/jihua/",
                 "platforms/qingdao/", "platforms/shandong/", "platforms/shibei/", "platforms/zhejiang/",
                 "sessions/", "platforms/", "feedback/"]:
        assert built.exists(path), path


def test_unpublished_sessions_have_no_page(built):
    assert not built.exists("sessions/2021/caogao/")
    assert not built.exists("sessions/2021/jinshi/")


def test_session_page_shows_the_header_card(built):
    html = built.page("sessions/2021/tingche/")
    for text in ["推进共享停车 缓解停车难", "倾听与商量", "有事多商量", "2021年4月2日", "第4期", "已召开",
                 "青岛日报社", "群众出题", "政协委员 5 人", "3210 条", "停车"]:
        assert text in html, text
    # breadcrumb: province brand before city brand (in the page; the <head> names the brand in its description)
    body = html[html.index("<body"):]
    assert body.index("有事多商量") < body.index("倾听与商量")


def test_session_page_shows_outcomes_with_history(built):
    html = built.page("sessions/2021/tingche/")
    assert 'id="parking-sharing"' in html
    assert "hy-badge--implemented" in html and "已落实" in html
    assert "青岛市住房和城乡建设局" in html and "青岛市公安局" in html
    assert "印发《青岛市停车设施建设管理实施方案》。" in html
    assert "市住房城乡建设局已认领，牵头研究。" in html
    assert "停车难怎么破" in html and "青岛日报" in html


def test_overdue_is_flagged(built):
    html = built.page("sessions/2021/tingche/")
    page = lxml_html.fromstring(html)
    assert "已逾期" in page.get_element_by_id("late").text_content()
    assert "已逾期" not in page.get_element_by_id("parking-sharing").text_content()


def test_brand_page_rolls_up_sub_brands(built):
    html = built.page("platforms/shandong/")
    assert "分级诊疗" in html and "推进共享停车" in html  # county and city sessions
    assert "浙江的活动" not in html
    assert "倾听与商量" in html  # sub-brand listed
    city = built.page("platforms/qingdao/")
    assert "认领率" in city and "办结率" in city and "反馈率" in city and "采纳率" in city
    assert "年度计划 6 期" in city


def test_archive_lists_newest_first_and_plan_apart(built):
    html = built.page("sessions/")
    assert html.index("浙江的活动") < html.index("推进共享停车") < html.index("分级诊疗")
    assert "协商计划" in html and "年度协商计划：养老服务" in html
    assert "草稿活动" not in html and "禁发活动" not in html


def test_platform_index_shows_the_tree(built):
    html = built.page("platforms/")
    assert html.index("有事多商量") < html.index("倾听与商量") < html.index("市北议事厅")


def test_session_pages_stay_out_of_the_navigation(built):
    html = built.page("sessions/2020/yiliao/")
    nav = html[html.index('md-nav--primary'):]
    nav = nav[: nav.index("</nav>")]
    assert "结果反馈" in nav and "协商活动" in nav
    assert "推进共享停车" not in nav


def test_chinese_headings_get_anchors(built):
    assert 'id="协商过程"' in built.page("sessions/2021/tingche/")


def test_pages_load_nothing_from_another_host(built):
    external = re.compile(r'<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)="(?:https?:)?//', re.I)
    for path in built.site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for match in external.finditer(html):
            tag = html[match.start(): html.index(">", match.start()) + 1]
            # Links to feeds are alternate links, not loads.
            assert 'rel="alternate"' in tag or 'rel="canonical"' in tag, f"{path}: {tag}"


def test_status_colours_come_from_the_one_table(built):
    """STATUS_STYLES is the only place a status colour is written: the badges' CSS is generated from it."""
    from huiyin.core.records.vocab import STATUS_STYLES

    css = (built.site / "assets/huiyin-status.css").read_text(encoding="utf-8")
    for style in STATUS_STYLES.values():
        assert f"--hy-{style.css}: {style.colour};" in css, style
        assert f".hy-badge--{style.css} {{ background: var(--hy-{style.css}); }}" in css, style
    written = "".join(p.read_text(encoding="utf-8") for p in (REPO / "theme_overrides").rglob("*")
                      if p.suffix in {".css", ".html", ".js"})
    for style in STATUS_STYLES.values():
        assert f"--hy-{style.css}:" not in written, f"--hy-{style.css} is defined by hand in theme_overrides"
        assert f".hy-badge--{style.css} {{" not in written, f".hy-badge--{style.css} is styled by hand in theme_overrides"


def test_every_page_loads_the_status_colours_after_the_theme_css(built):
    for path in ["", "sessions/2021/tingche/", "feedback/", "feedback/departments/qd-gongan/"]:
        html = built.page(path)
        sheets = re.findall(r'<link rel="stylesheet" href="[./]*(assets/huiyin[^"]*\.css)"', html)
        assert sheets[:2] == ["assets/huiyin.css", "assets/huiyin-status.css"], (path, sheets)
