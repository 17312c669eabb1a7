"""The results feedback list (/feedback/), its narrowed lists and the department pages.

What a reader sees, on the hand-made corpus of tests/feedback_corpus.py whose
right answers are written there and here.
"""

from __future__ import annotations

import posixpath
import re

import lxml.html
import pytest
from feedback_corpus import ALL_IDS, DEPARTMENT_IDS, HIDDEN_TEXT, built_site
from sitebuilder import BuildResult, SiteFolder, front_matter

MB = 1_000_000


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return built_site(tmp_path_factory.mktemp("feedback"))


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The same corpus with three rows a page (plugin option feedback_page_size)."""
    return built_site(tmp_path_factory.mktemp("feedback-paged"), key="page3", feedback_page_size=3)


def doc(built: BuildResult, path: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(built.page(path))


def text(element: lxml.html.HtmlElement) -> str:
    return re.sub(r"\s+", " ", element.text_content()).strip()


def global_id(href: str) -> str:
    """'../../sessions/2024/tingche/#cuoshi' → '2024/tingche#cuoshi'."""
    found = re.search(r"sessions/(\d{4}/[a-z0-9-]+)/#([a-z0-9-]+)$", href)
    assert found, href
    return f"{found[1]}#{found[2]}"


def row_ids(page: lxml.html.HtmlElement) -> list[str]:
    return [global_id(a.get("href")) for a in page.cssselect("li.hy-fb-item .hy-fb-item__text a")]


def row(page: lxml.html.HtmlElement, wanted: str) -> lxml.html.HtmlElement:
    for item in page.cssselect("li.hy-fb-item"):
        if global_id(item.cssselect(".hy-fb-item__text a")[0].get("href")) == wanted:
            return item
    raise AssertionError(f"{wanted} not listed")


def figure_cards(page: lxml.html.HtmlElement) -> dict[str, str]:
    return {
        text(card.cssselect(".hy-figure__label")[0]): text(card.cssselect(".hy-figure__value")[0])
        for card in page.cssselect(".hy-figure")
    }


# -- /feedback/ ------------------------------------------------------------------


def test_overview_figures(built):
    page = doc(built, "feedback/")
    assert figure_cards(page) == {
        "问题及建议": "7", "认领率": "85.7%", "办结率": "42.9%", "反馈率": "57.1%", "采纳率": "42.9%", "逾期未办结": "2",
        # cuoshi and mianfei concluded before their due dates; tingchelou and rijian are past theirs
        # and open; zhucan is not due yet, so it is not counted: 2 of 4.
        "按期办结率": "50.0%",
    }
    rows = page.cssselect("figure.hy-chart svg g")
    counts = {text(g.cssselect("text")[0]): text(g.cssselect("text")[1]).split("（")[0] for g in rows}
    assert counts == {"已交办": "1", "已认领": "1", "办理中": "1", "已采纳": "1", "已落实": "2", "未采纳": "1"}


def test_overview_draws_the_status_chart_inline(built):
    page = doc(built, "feedback/")
    svg = page.cssselect("figure.hy-chart svg")[0]
    assert "共 7 条问题及建议" in svg.get("aria-label")
    widths = {text(g.cssselect("text")[0]): float(g.cssselect("rect")[0].get("width")) for g in svg.cssselect("g")}
    assert list(widths) == ["已交办", "已认领", "办理中", "已采纳", "已落实", "未采纳"]
    assert widths["已落实"] == pytest.approx(2 * widths["已交办"], abs=0.2)
    values = [text(g.cssselect("text")[1]) for g in svg.cssselect("g")]
    assert values[4] == "2（28.6%）"


def test_pages_load_nothing_from_elsewhere(built):
    for path in ["feedback/", "feedback/departments/qd-zhujian/", "platforms/qingdao/"]:
        page = doc(built, path)
        sources = [e.get("src") for e in page.cssselect("script[src], img[src]")]
        sources += [e.get("href") for e in page.cssselect("link[rel=stylesheet]")]
        assert sources and not [s for s in sources if s.startswith(("http:", "https:", "//"))], path


def test_overview_lists_every_published_outcome_newest_session_first(built):
    assert row_ids(doc(built, "feedback/")) == ALL_IDS


def test_nothing_unpublished_reaches_any_output(built):
    for path, data in built.all_output().items():
        assert HIDDEN_TEXT.encode() not in data, path
        assert b"yincang" not in data, path


def test_a_row_shows_who_holds_it_what_they_answered_and_whether_it_is_late(built):
    item = row(doc(built, "feedback/"), "2024/tingche#tingchelou")
    shown = text(item)
    assert "hy-fb-item--overdue" in item.get("class")
    for expected in ["在老城区新建立体停车楼", "办理中", "已逾期", "未反馈", "最近更新 2024年4月1日",
                     "答复期限 2024年12月31日", "破解停车难", "倾听与商量", "2024年3月10日", "承办单位：青岛市住房和城乡建设局"]:
        assert expected in shown, expected
    links = [target("feedback/", a.get("href")) for a in item.cssselect("a")]
    assert links[0] == "sessions/2024/tingche/#tingchelou"
    assert "sessions/2024/tingche/" in links and "platforms/qingdao/" in links
    assert "feedback/departments/qd-zhujian/" in links


def target(page: str, href: str) -> str:
    """The site path a link on a page leads to: ('feedback/', '../platforms/x/') → 'platforms/x/'."""
    path, _, anchor = href.partition("#")
    resolved = posixpath.normpath(posixpath.join(page, path)) + "/"
    return resolved + (f"#{anchor}" if anchor else "")


@pytest.mark.parametrize("page", ["feedback/all/", "feedback/status/in_progress/", "feedback/departments/qd-zhujian/"])
def test_a_row_reused_on_deeper_pages_still_links_to_the_same_places(built, page):
    on_overview = row(doc(built, "feedback/"), "2024/tingche#tingchelou")
    elsewhere = row(doc(built, page), "2024/tingche#tingchelou")
    assert [target(page, a.get("href")) for a in elsewhere.cssselect("a")] == \
        [target("feedback/", a.get("href")) for a in on_overview.cssselect("a")]


def test_an_answered_row_that_is_not_late(built):
    item = row(doc(built, "feedback/"), "2024/tingche#cuoshi")
    shown = text(item)
    assert "已落实" in shown and "已反馈" in shown and "已逾期" not in shown
    assert "hy-fb-item--overdue" not in item.get("class")
    assert "承办单位：青岛市住房和城乡建设局、青岛市公安局" in shown
    assert [target("feedback/", a.get("href")) for a in item.cssselect("a")][-2:] == [
        "feedback/departments/qd-zhujian/", "feedback/departments/qd-gongan/"]


@pytest.mark.parametrize("path", ["feedback/", "feedback/status/claimed/", "feedback/departments/qd-gongan/"])
def test_outcome_text_prints_as_text(built, path):
    html = built.page(path)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;hy&#39;)&lt;/script&gt; &amp; 标识" in html
    assert "<script>alert('hy')</script> & 标识" in text(row(doc(built, path), "2025/lajifenlei#fenlei"))


def test_overdue_ones_are_one_click_away(built):
    page = doc(built, "feedback/")
    alert = page.cssselect(".hy-fb-alert a")[0]
    assert alert.get("href") == "overdue/" and text(alert).startswith("2 条")
    overdue = doc(built, "feedback/overdue/")
    assert row_ids(overdue) == ["2024/tingche#tingchelou", "2025/yanglao#rijian"]  # longest overdue first


@pytest.mark.parametrize(
    "path, expected",
    [
        ("feedback/all/", ALL_IDS),
        ("feedback/status/submitted/", ["2025/yanglao#zhucan"]),
        ("feedback/status/claimed/", ["2025/lajifenlei#fenlei"]),
        ("feedback/status/in_progress/", ["2024/tingche#tingchelou"]),
        ("feedback/status/adopted/", ["2025/yanglao#rijian"]),
        ("feedback/status/implemented/", ["2025/yanglao#yiyang", "2024/tingche#cuoshi"]),
        ("feedback/status/declined/", ["2024/tingche#mianfei"]),
        ("feedback/years/2025/", ALL_IDS[:4]),
        ("feedback/years/2024/", ALL_IDS[4:]),
        ("feedback/platforms/shandong/", ALL_IDS[:3] + ALL_IDS[4:]),  # province brand: city and county included
        ("feedback/platforms/qingdao/", ALL_IDS[:3] + ALL_IDS[4:]),
        ("feedback/platforms/shibei/", ALL_IDS[:3]),
        ("feedback/platforms/zhejiang/", ["2025/lajifenlei#fenlei"]),
    ],
)
def test_narrowed_lists_hold_exactly_their_outcomes(built, path, expected):
    assert row_ids(doc(built, path)) == expected


def test_filter_links_work_without_javascript(built):
    page = doc(built, "feedback/")
    menu = page.cssselect("nav.hy-fb-filters")[0]
    links = {text(a): a.get("href") for a in menu.cssselect("a")}
    assert links["全部"] == "all/"
    assert links["已落实"] == "status/implemented/" and links["办理中"] == "status/in_progress/"
    assert links["逾期未办结"] == "overdue/"
    assert links["2025年"] == "years/2025/" and links["2024年"] == "years/2024/"
    assert links["有事多商量（含下级平台）"] == "platforms/shandong/" and links["市北议事厅"] == "platforms/shibei/"
    assert links["承办单位排名"] == "departments/"
    # counts next to each link
    assert "已落实 2" in text(menu) and "逾期未办结 2" in text(menu)
    # on a narrowed page, the current filter is marked and not a link
    status_page = doc(built, "feedback/status/implemented/")
    current = status_page.cssselect("nav.hy-fb-filters [aria-current=page]")
    assert [text(c) for c in current] == ["已落实"]


def test_sub_pages_stay_out_of_the_global_navigation(built):
    nav = doc(built, "feedback/").cssselect("nav.md-nav--primary")[0]
    hrefs = [a.get("href") for a in nav.cssselect("a")]
    assert any(h in ("./", ".") for h in hrefs), hrefs  # the list itself is in the navigation
    assert not [h for h in hrefs if re.search(r"(all|status|overdue|years|platforms|departments)/", h or "")
                and "platforms/" != h and "../platforms/" != h]


# -- departments ------------------------------------------------------------------


@pytest.mark.parametrize("slug", sorted(DEPARTMENT_IDS))
def test_department_page_shows_exactly_its_own_outcomes(built, slug):
    assert set(row_ids(doc(built, f"feedback/departments/{slug}/"))) == DEPARTMENT_IDS[slug]
    assert len(row_ids(doc(built, f"feedback/departments/{slug}/"))) == len(DEPARTMENT_IDS[slug])


@pytest.mark.parametrize(
    "slug, cards, to_answer, to_conclusion",
    [
        ("qd-zhujian", {"问题及建议": "3", "认领率": "100.0%", "办结率": "33.3%", "反馈率": "66.7%", "采纳率": "66.7%", "逾期未办结": "2", "按期办结率": "33.3%"}, "7.5 天", "90 天"),
        ("qd-gongan", {"问题及建议": "3", "认领率": "100.0%", "办结率": "66.7%", "反馈率": "66.7%", "采纳率": "33.3%", "逾期未办结": "0", "按期办结率": "100.0%"}, "17.5 天", "60 天"),
        ("qd-weijian", {"问题及建议": "3", "认领率": "66.7%", "办结率": "33.3%", "反馈率": "66.7%", "采纳率": "66.7%", "逾期未办结": "1", "按期办结率": "0.0%"}, "7 天", "69 天"),
    ],
)
def test_department_figures(built, slug, cards, to_answer, to_conclusion):
    page = doc(built, f"feedback/departments/{slug}/")
    assert figure_cards(page) == cards
    durations = {text(div.cssselect("dt")[0]): text(div.cssselect("dd")[0]) for div in page.cssselect(".hy-fb-durations div")}
    assert durations == {"从交办到首次答复（中位数）": to_answer, "从交办到办结（中位数）": to_conclusion}


def test_department_outcomes_are_grouped_by_status(built):
    page = doc(built, "feedback/departments/qd-zhujian/")
    headings = page.cssselect("article h2[id]") or page.cssselect("h2[id]")
    groups = [(h.get("id"), text(h)) for h in headings if h.get("id") in {"submitted", "claimed", "in_progress", "adopted", "implemented", "declined"}]
    assert groups == [("in_progress", "办理中 1 条"), ("adopted", "已采纳 1 条"), ("implemented", "已落实 1 条")]
    assert row_ids(page) == ["2024/tingche#tingchelou", "2025/yanglao#rijian", "2024/tingche#cuoshi"]
    contents = {text(a): a.get("href") for a in page.cssselect(".hy-fb-contents a")}
    assert contents == {"办理中": "#in_progress", "已采纳": "#adopted", "已落实": "#implemented"}


def test_department_page_has_a_feed_and_says_so(built):
    page = doc(built, "feedback/departments/qd-weijian/")
    assert page.cssselect('link[rel=alternate][type="application/rss+xml"]')[0].get("href") == (
        "https://huiyin.example.org/feedback/departments/qd-weijian/feed.xml"
    )
    subscribe = page.cssselect(".hy-subscribe a")[0]
    assert subscribe.get("href") == "feed.xml" and "订阅" in text(page.cssselect(".hy-subscribe")[0])


def test_department_names_resolve_through_aliases_and_traditional_spellings(built):
    # 市衛生健康委 (Traditional alias) and 青岛市卫生健康委员会 (official name) are one department
    page = doc(built, "feedback/departments/qd-weijian/")
    assert [text(h) for h in page.cssselect("article.md-content__inner > h1")] == ["青岛市卫生健康委员会"]
    assert "又称：市卫生健康委、市衛生健康委" in text(page)


def test_a_department_that_only_attended_has_a_page_but_no_rank(built):
    page = doc(built, "feedback/departments/qd-jiaotong/")
    assert row_ids(page) == [] and "本单位暂无承办的问题及建议" in text(page)
    assert figure_cards(page)["问题及建议"] == "0"
    assert "青岛市交通运输局" not in text(doc(built, "feedback/departments/"))
    session = doc(built, "sessions/2024/tingche/")
    assert any(a.get("href").endswith("feedback/departments/qd-jiaotong/") for a in session.cssselect("a[href]"))


def test_departments_index_ranks_by_overdue_and_by_conclusion_rate(built):
    page = doc(built, "feedback/departments/")
    by_overdue = [[text(c) for c in tr] for tr in page.cssselect("table.hy-ranking--overdue tbody tr")]
    assert by_overdue == [
        ["1", "青岛市住房和城乡建设局", "2", "3", "33.3%"],
        ["2", "青岛市卫生健康委员会", "1", "3", "33.3%"],
        ["3", "青岛市公安局", "0", "3", "66.7%"],
    ]
    by_conclusion = [[text(c) for c in tr] for tr in page.cssselect("table.hy-ranking--conclusion tbody tr")]
    assert by_conclusion == [
        ["1", "青岛市公安局", "66.7%", "2 / 3", "0"],
        ["2", "青岛市卫生健康委员会", "33.3%", "1 / 3", "1"],
        ["2", "青岛市住房和城乡建设局", "33.3%", "1 / 3", "2"],
    ]
    assert page.cssselect("table.hy-ranking--overdue a")[0].get("href") == "qd-zhujian/"


# -- brand pages -------------------------------------------------------------------


def test_brand_page_draws_the_chart_of_its_roll_up(built):
    svg = doc(built, "platforms/qingdao/").cssselect("figure.hy-chart svg")[0]
    assert "共 6 条问题及建议" in svg.get("aria-label")
    bars = {text(g.cssselect("text")[0]): text(g.cssselect("text")[1]) for g in svg.cssselect("g")}
    assert bars["已落实"] == "2（33.3%）" and bars["已认领"] == "0（0.0%）"
    assert float(svg.cssselect("g")[1].cssselect("rect")[0].get("width")) == 0  # no 已认领 under qingdao


# -- pages --------------------------------------------------------------------------


def test_page_size_option_splits_every_list(paged):
    assert row_ids(doc(paged, "feedback/")) == ALL_IDS[:3]
    pages = ["feedback/all/", "feedback/all/2/", "feedback/all/3/"]
    assert [row_ids(doc(paged, p)) for p in pages] == [ALL_IDS[:3], ALL_IDS[3:6], ALL_IDS[6:]]
    assert not paged.exists("feedback/all/4/")
    second = doc(paged, "feedback/all/2/")
    assert second.cssselect("ol.hy-fb-list")[0].get("start") == "4"
    pager = {text(a): a.get("href") for a in second.cssselect("nav.hy-pager a")}
    assert pager == {"上一页": "../", "1": "../", "3": "../3/", "下一页": "../3/"}
    assert text(second.cssselect("nav.hy-pager [aria-current=page]")[0]) == "2"
    assert doc(paged, "feedback/").cssselect("nav.hy-pager a[rel=next]")[0].get("href") == "all/2/"
    # the department pages split too, and together still hold exactly their own outcomes
    zhujian = row_ids(doc(paged, "feedback/departments/qd-zhujian/"))
    assert len(zhujian) == 3 and set(zhujian) == DEPARTMENT_IDS["qd-zhujian"]


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """401 outcomes at the default 200 a page: 201 submitted, 200 implemented, all 市住建局."""
    site = SiteFolder(tmp_path_factory.mktemp("feedback-big"))
    serial = 0
    for number in range(1, 42):
        outcomes = []
        for index in range(10 if number < 41 else 1):
            serial += 1
            done = serial % 2 == 0
            updates = [{"date": "2023-02-01", "status": "submitted"}]
            if done:
                updates.append({"date": "2023-03-01", "status": "implemented", "note": f"第{serial}条已办结，" + "答复内容。" * 20})
            outcomes.append({"id": f"o{index}", "text": f"第{serial}条建议：" + "完善社区服务设施。" * 8,
                             "departments": ["市住建局"], "due": "2023-06-30", "updates": updates})
        site.write(f"sessions/2023/s{number}.md", front_matter(
            {"title": f"第{number}期协商", "platform": "shibei", "date": f"2023-01-{number % 28 + 1:02d}",
             "outcomes": outcomes}, "纪要。\n"))
    result = site.build()
    assert result.returncode == 0, result.log
    return result


def test_no_feedback_page_passes_one_megabyte(big):
    pages = sorted(big.site.glob("feedback/**/index.html"))
    assert len(pages) > 10
    sizes = {str(p.relative_to(big.site)): p.stat().st_size for p in pages}
    assert max(sizes.values()) < MB, max(sizes.items(), key=lambda kv: kv[1])
    assert [len(row_ids(doc(big, p))) for p in ["feedback/all/", "feedback/all/2/", "feedback/all/3/"]] == [200, 200, 1]


def test_department_groups_carry_on_across_pages(big):
    base = "feedback/departments/qd-zhujian/"
    pages = [doc(big, p) for p in [base, base + "2/", base + "3/"]]
    assert not big.exists(base + "4/")
    assert [len(row_ids(p)) for p in pages] == [200, 200, 1]
    assert len({i for p in pages for i in row_ids(p)}) == 401
    headings = [[text(h) for h in p.cssselect("h2[id=submitted], h2[id=implemented]")] for p in pages]
    assert headings == [["已交办 201 条"], ["已交办 201 条（续上页）", "已落实 200 条"], ["已落实 200 条（续上页）"]]
    contents = {text(a): a.get("href") for a in pages[2].cssselect(".hy-fb-contents a")}
    assert contents == {"已交办": "../#submitted", "已落实": "../2/#implemented"}
    # overdue ones lead their group: all 201 submitted are past 2023-06-30
    assert all("hy-fb-item--overdue" in li.get("class") for li in pages[0].cssselect("li.hy-fb-item"))
