"""A link to any page, pasted into WeChat or found by a crawler, says what the page is.

The site is read as a crawler reads it: the <head> of each built page with
lxml (meta description, Open Graph, JSON-LD), the share image it names opened
with Pillow from the built site folder. Two builds of the same records give
the same image files, byte for byte. The footer shows the filing numbers a
site in mainland China must show, and a build with a mistyped one fails
naming mkdocs.yml and the option.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from huiyin.core.records.vocab import STATUS_STYLES, Status
from huiyin.core.views.share_image import MARK_COLOUR, share_image
from lxml import html as lxml_html
from PIL import Image
from sitebuilder import REPO, BuildResult, SiteFolder, front_matter, outcome, session

SITE_URL = "https://huiyin.example.org/"  # the project's mkdocs.yml
SITE_DESCRIPTION = "意见条条有回音，建议件件有落实——协商活动、问题及建议与部门答复的公开记录"
SECRETS = ("机密草稿议题", "草稿里的建议", "定时发布议题", "未到时间的建议")
NASTY_TITLE = '停车</script><script>alert("x")</script>&议题'
NASTY_OUTCOME = '增设"潮汐车位"<b>与</b>错时&共享'
FILINGS = {
    "icp_filing": "京ICP备12345678号-1",
    "public_security_filing": "京公网安备11010502030143号",
    "government_site_code": "3702000001",
}
OG_PROPERTIES = ("og:title", "og:description", "og:url", "og:image", "og:type", "og:site_name", "og:locale")


def write_records(site: SiteFolder) -> None:
    site.write("index.md", front_matter({"description": "首页自己的说明：欢迎查阅协商成果。"}, "# 回音\n\n测试站点。\n"))
    site.write("sessions/2021/tingche.md", session(
        "推进共享停车 缓解停车难", "qingdao", "2021-04-02",
        [outcome("parking-sharing", "推动机关事业单位停车场错时向市民开放", ["市住房城乡建设局"],
                 ("2021-04-02", "submitted"), ("2021-09-01", "implemented", "已印发实施方案。")),
         outcome("tidal", NASTY_OUTCOME, ["市公安局"], ("2021-04-02", "submitted"), ("2021-05-01", "in_progress", "正在办理。")),
         outcome("night", "增加夜间停车位", ["市住建局"], ("2021-04-02", "submitted"))],
        number=4, location="青岛日报社", tags=["停车"]))
    site.write("sessions/2021/luodi.md", session(
        "加装电梯", "shibei", "2021-06-01",
        [outcome(f"lift-{n}", f"加装电梯第{n}条", ["市住建局"], ("2021-06-01", "submitted"), ("2021-10-01", "implemented", "已落实。"))
         for n in range(2)]))
    site.write("sessions/2021/nasty.md", session(NASTY_TITLE, "zhejiang", "2021-07-01"))
    site.write("sessions/2021/own.md", session("自带说明的活动", "zhejiang", "2021-08-01", description="编辑自己写的活动说明。"))
    site.write("sessions/2027/jihua.md", session("年度协商计划：养老服务", "qingdao", "2027-03-01", stage="planned"))
    secret_outcomes = [outcome(f"d{n}", "草稿里的建议", ["市公安局"], ("2021-05-01", "submitted"), ("2021-06-01", "declined", "不采纳。"))
                       for n in range(5)]
    site.write("sessions/2021/caogao.md", session("机密草稿议题", "qingdao", "2021-05-01", secret_outcomes, draft=True))
    site.write("sessions/2021/jinshi.md", session(
        "定时发布议题", "qingdao", "2021-05-02",
        [outcome("e1", "未到时间的建议", ["市公安局"], ("2021-05-02", "submitted"))], publish_date="2030-01-01 09:00"))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> BuildResult:
    site = SiteFolder(tmp_path_factory.mktemp("sharing"), plugin_options=FILINGS)
    write_records(site)
    result = site.build()
    assert result.returncode == 0, result.log
    return result


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> BuildResult:
    """The same records in another folder, without the filing settings."""
    site = SiteFolder(tmp_path_factory.mktemp("sharing-again"))
    write_records(site)
    result = site.build()
    assert result.returncode == 0, result.log
    return result


def head(result: BuildResult, path: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(result.page(path))


def og(page: lxml_html.HtmlElement) -> dict[str, str]:
    return {m.get("property"): m.get("content") for m in page.xpath("//head/meta[starts-with(@property, 'og:')]")}


def description(page: lxml_html.HtmlElement) -> str:
    found = page.xpath("//head/meta[@name='description']/@content")
    assert len(found) == 1, found  # one description per page: ours replaces Material's, never adds a second
    return found[0]


def linked_data(page: lxml_html.HtmlElement) -> list[dict]:
    return [json.loads(script.text) for script in page.xpath("//script[@type='application/ld+json']")]


def site_file(result: BuildResult, url: str) -> Path:
    assert url.startswith(SITE_URL), url
    return result.site / url.removeprefix(SITE_URL)


# Every kind of page, and the words its description must hold (None: the site's own description).
PAGES = {
    "sessions/2021/tingche/": ("倾听与商量第4期", "2021年4月2日", "推动机关事业单位停车场错时向市民开放（已落实）", "形成问题及建议3条"),
    "sessions/2027/jihua/": ("倾听与商量", "2027年3月1日", "筹备中"),
    "platforms/qingdao/": ("山东省青岛市", "市级", "已召开协商活动2期", "问题及建议5条"),
    "platforms/shandong/": ("山东省", "省级"),
    "feedback/departments/qd-zhujian/": ("青岛市住房和城乡建设局", "问题及建议4条", "办结率"),
    "feedback/departments/": ("承办单位",),
    "feedback/": ("结果反馈清单", "问题及建议5条"),
    "feedback/status/implemented/": ("已落实", "3条"),
    "sessions/": ("协商活动", "筹备中1期"),
    "platforms/": ("4个协商平台",),
    "data/": ("开放数据",),
    "": ("首页自己的说明",),
    "tags/": None,
}


@pytest.mark.parametrize("path", list(PAGES))
def test_every_kind_of_page_says_what_it_is_with_open_graph(built, path):
    page = head(built, path)
    said = description(page)
    expected = PAGES[path]
    if expected is None:
        assert said == SITE_DESCRIPTION
    else:
        assert said != SITE_DESCRIPTION and len(said) <= 120
        for words in expected:
            assert words in said, (words, said)
    tags = og(page)
    assert set(OG_PROPERTIES) <= set(tags), tags
    assert tags["og:description"] == said
    assert tags["og:url"] == SITE_URL + path
    assert tags["og:type"] == ("article" if path.startswith("sessions/20") else "website")
    assert tags["og:locale"] == "zh_CN" and tags["og:site_name"] == "回音 · 政协协商成果公开"
    assert tags["og:title"] and page.findtext(".//title").startswith(tags["og:title"])
    image = site_file(built, tags["og:image"])
    assert re.fullmatch(r"assets/share/[0-9a-f]{16}\.png", image.relative_to(built.site).as_posix())
    with Image.open(image) as picture:
        assert picture.format == "PNG" and picture.width == picture.height >= 300


def test_session_and_brand_have_their_own_picture(built):
    """Each shows its own outcomes (3 of tingche's, 2 of 市北's, all of 青岛's); alike outcomes share a file.
    Pages with no outcomes of their own show the site's mark, which no answer changes."""
    default = og(head(built, "feedback/"))["og:image"]
    session_image = og(head(built, "sessions/2021/tingche/"))["og:image"]
    brand_image = og(head(built, "platforms/shibei/"))["og:image"]
    city_image = og(head(built, "platforms/qingdao/"))["og:image"]  # 青岛 holds every outcome of this site
    assert len({default, session_image, brand_image, city_image}) == 4
    assert {og(head(built, path))["og:image"] for path in ("", "sessions/", "platforms/", "feedback/departments/")} == {default}
    assert og(head(built, "feedback/"))["og:image:alt"] == "回音 · 政协协商成果公开标志"
    assert og(head(built, "sessions/2021/luodi/"))["og:image"] == brand_image  # 市北's only session


def test_the_picture_shows_the_outcomes_in_the_status_colours(built):
    """Both outcomes of 加装电梯 are implemented: the bar is the 已落实 colour end to end; the mark is the site's red."""
    with Image.open(site_file(built, og(head(built, "sessions/2021/luodi/"))["og:image"])) as picture:
        pixels = picture.convert("RGB")
        colour = "#%02x%02x%02x"
        assert colour % pixels.getpixel((70, 475)) == colour % pixels.getpixel((530, 475)) == STATUS_STYLES[Status.IMPLEMENTED].colour
        assert colour % pixels.getpixel((180, 100)) == MARK_COLOUR


def test_the_mark_is_the_sites_red():
    css = (REPO / "theme_overrides" / "assets" / "huiyin.css").read_text(encoding="utf-8")
    assert re.search(r"--md-primary-fg-color:\s*(#[0-9a-f]{6})", css).group(1) == MARK_COLOUR


def test_two_builds_give_the_same_images(built, rebuilt):
    first = {p.name: p.read_bytes() for p in (built.site / "assets" / "share").iterdir()}
    second = {p.name: p.read_bytes() for p in (rebuilt.site / "assets" / "share").iterdir()}
    assert first and first == second


def test_session_is_a_schema_org_event(built):
    (event,) = linked_data(head(built, "sessions/2021/tingche/"))
    assert event["@context"] == "https://schema.org" and event["@type"] == "Event"
    assert event["name"] == "推进共享停车 缓解停车难" and event["startDate"] == "2021-04-02"
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["location"] == {"@type": "Place", "name": "青岛日报社", "address": "山东省青岛市"}
    assert event["organizer"]["name"] == "倾听与商量" and event["organizer"]["url"] == SITE_URL + "platforms/qingdao/"
    assert event["url"] == SITE_URL + "sessions/2021/tingche/"
    (planned,) = linked_data(head(built, "sessions/2027/jihua/"))
    assert planned["@type"] == "Event" and planned["eventStatus"] == "https://schema.org/EventScheduled"


def test_brand_is_a_government_organization(built):
    (brand,) = linked_data(head(built, "platforms/qingdao/"))
    assert brand["@type"] == "GovernmentOrganization" and brand["name"] == "倾听与商量"
    assert brand["areaServed"] == "山东省青岛市" and brand["url"] == SITE_URL + "platforms/qingdao/"
    assert brand["parentOrganization"]["name"] == "有事多商量"
    assert brand["image"] == og(head(built, "platforms/qingdao/"))["og:image"]
    assert linked_data(head(built, "feedback/")) == []


def test_markup_in_records_stays_text(built):
    """A title or outcome holding markup reads back as the same text, and closes no script element."""
    page = head(built, "sessions/2021/nasty/")
    (event,) = linked_data(page)
    assert event["name"] == NASTY_TITLE
    assert og(page)["og:title"] == NASTY_TITLE
    assert not [s for s in page.xpath("//script") if "alert" in (s.text or "") and s.get("type") != "application/ld+json"]
    assert NASTY_OUTCOME in description(head(built, "sessions/2021/tingche/"))


def test_a_description_written_in_the_record_wins(built):
    page = head(built, "sessions/2021/own/")
    assert description(page) == og(page)["og:description"] == "编辑自己写的活动说明。"
    assert linked_data(page)[0]["description"] == "编辑自己写的活动说明。"


def test_unpublished_sessions_reach_no_description_data_or_picture(built):
    said = []
    for path in built.site.rglob("*.html"):
        page = lxml_html.fromstring(path.read_text(encoding="utf-8"))
        said += page.xpath("//head/meta/@content") + [s.text for s in page.xpath("//script[@type='application/ld+json']")]
    said += [p.name for p in (built.site / "assets" / "share").iterdir()]
    text = "\n".join(said)
    for secret in SECRETS:
        assert secret not in text
    assert "筹备中1期" in description(head(built, "sessions/"))  # the embargoed session is not counted either
    # The draft alone has all of its outcomes declined: its picture is drawn for no page.
    assert not (built.site / share_image({Status.DECLINED: 5}).path).exists()


def test_filing_numbers_in_the_footer_link_to_the_lookups(built):
    for path in ("", "sessions/2021/tingche/", "404.html"):
        footer = lxml_html.fromstring(built.page(path)).xpath("//footer")[0]
        links = {a.text_content().strip(): a.get("href") for a in footer.xpath(".//*[contains(@class, 'hy-filings')]//a")}
        assert links == {
            "京ICP备12345678号-1": "https://beian.miit.gov.cn/",
            "京公网安备11010502030143号": "https://beian.mps.gov.cn/#/query/webSearch?code=11010502030143",
        }, path
        assert "网站标识码：3702000001" in footer.text_content()
        assert not footer.xpath(".//img[starts-with(@src, 'http')]")


def test_no_filing_numbers_when_unset(rebuilt):
    page = lxml_html.fromstring(rebuilt.page("sessions/2021/tingche/"))
    assert not page.xpath("//*[contains(@class, 'hy-filings')]")
    assert "ICP" not in page.xpath("//footer")[0].text_content()


@pytest.mark.parametrize("option, value", [
    ("icp_filing", "ICP备12345678号"),  # no province
    ("public_security_filing", "京公网安备1101050203号"),  # 10 digits, not 14
    ("government_site_code", "37020000"),  # 8 characters, not 10
])
def test_a_mistyped_filing_number_fails_the_build(tmp_path, option, value):
    site = SiteFolder(tmp_path, plugin_options={option: value})
    result = site.build()
    assert result.returncode != 0
    assert "mkdocs.yml" in result.log and option in result.log and value in result.log
    assert not (result.site / "index.html").exists()
