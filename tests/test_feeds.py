"""RSS feeds read the way a newsroom's feed reader reads them (feedparser), and the
JSON Feed beside each read the way an app reads JSON.

One corpus is built three times:
- ``built``: the records as written (fewer items than the default feed_length);
- ``rebuilt``: the same records again, with SOURCE_DATE_EPOCH unset, a
  different "now" — its feeds must be byte-identical;
- ``later``: a commit later — feed_length lowered to 2 and one session file
  renamed with its id pinned.
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest
from lxml import etree
from lxml import html as lxml_html
from sitebuilder import PLATFORMS, BuildResult, SiteFolder, front_matter, outcome, session

SITE = "https://huiyin.example.org/"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

EXTRA_PLATFORMS = {
    "ningbo": {"name": "宁波请你来协商", "level": "city", "region": "浙江省宁波市", "parent": "zhejiang"},
    "jinan": {"name": "泉城议事厅", "level": "city", "region": "山东省济南市", "parent": "shandong"},
}

TINGCHE_BODY = """停车难题的协商纪要。

| 区域 | 缺口 |
|---|---|
| 市南区 | 1200 个 |

参见[宁波的做法](../2022/haiyang.md)和[办理情况](#outcomes)。

![现场照片](images/xianchang.png)

<script>alert("body")</script>

<p><a href="https://example.org/" onclick="alert(2)">点我</a> <img src="images/xianchang.png" onerror="alert(3)"></p>
"""

PARKING = {
    **outcome("parking-sharing", "推动机关事业单位停车场错时向市民开放", ["市住房城乡建设局", "市公安局"],
              ("2021-04-02", "submitted"), ("2021-04-10", "已認領", "市住房城乡建设局已认领，牵头研究。"),
              ("2021-09-01", "implemented", "印发《青岛市停车设施建设管理实施方案》。"), due="2021-06-30"),
}
PARKING["updates"][2]["documents"] = [{"title": "青岛市停车设施建设管理实施方案", "url": "https://www.qingdao.gov.cn/"}]

XSS_TITLE = "<script>alert('t')</script>菜市场改造"


def write_corpus(site: SiteFolder, *, yanglao_file: str = "sessions/2020/yanglao.md") -> None:
    for slug, meta in EXTRA_PLATFORMS.items():
        site.write(f"platforms/{slug}.md", front_matter(meta, f"{meta['name']}简介。\n"))
    site.write("sessions/2021/images/xianchang.png", PNG)
    site.write("sessions/2021/tingche.md", session(
        "推进共享停车 缓解停车难", "qingdao", "2021-04-02", [PARKING], body=TINGCHE_BODY,
        number=3, location="青岛日报社", tags=["停车", "城市管理"],
        media=[{"title": "停车难怎么破", "url": "https://www.qingdaonews.com/", "outlet": "青岛日报", "kind": "报道"}]))
    site.write(yanglao_file, session(
        "社区养老服务", "shibei", "2020-06-01",
        [outcome("canzhuo", "增设社区长者食堂", ["市公安局"], ("2020-06-05", "submitted"))], id="shibei-yanglao-2020"))
    site.write("sessions/2022/xss.md", session(
        XSS_TITLE, "qingdao", "2022-03-01",
        [outcome("tanwei", "规范<b>早市</b>摊位", ["市住建局"],
                 ("2022-03-05", "submitted", "已交办。<img src=x onerror=alert(1)>"))]))
    site.write("sessions/2022/haiyang.md", session(
        "海洋经济", "ningbo", "2022-03-01",
        [outcome("gangkou", "港口集疏运体系建设", ["市公安局"],
                 ("2022-03-05", "submitted"), ("2022-04-01", "adopted", "纳入年度计划。"))]))
    site.write("sessions/2023/caogao.md", session(
        "草稿议题", "qingdao", "2023-01-01",
        [outcome("secret", "草稿里的建议", ["市卫生健康委"], ("2023-01-02", "submitted", "草稿答复"))], draft=True))
    site.write("sessions/2023/jinshi.md", session(
        "禁发议题", "qingdao", "2023-02-01",
        [outcome("later", "禁发期内的建议", ["市住建局"], ("2023-02-02", "submitted", "禁发答复"))],
        publish_date="2099-01-01"))
    site.write("sessions/2026/jihua.md", session("计划议题", "jinan", "2026-12-01", stage="planned"))


def build(root: Path, epoch_unset: bool = False) -> BuildResult:
    site = SiteFolder(root)
    write_corpus(site)
    result = site.build(epoch=None) if epoch_unset else site.build()
    assert result.returncode == 0, result.log
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(tmp_path_factory.mktemp("feeds"))


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory, built):
    # Runs after `built` and on the real clock: a build-time stamp anywhere would show.
    return build(tmp_path_factory.mktemp("feeds-again"), epoch_unset=True)


@pytest.fixture(scope="module")
def later(tmp_path_factory):
    site = SiteFolder(tmp_path_factory.mktemp("feeds-later"), plugin_options={"feed_length": 2})
    write_corpus(site, yanglao_file="sessions/2020/shequ-yanglao-fuwu.md")
    result = site.build()
    assert result.returncode == 0, result.log
    return result


def feed(result, path: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse((result.site / path).read_bytes())
    assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    assert parsed.version == "rss20", path
    return parsed


def ids(parsed) -> list[str]:
    return [entry.id for entry in parsed.entries]


def feed_paths(result) -> set[str]:
    return {str(p.relative_to(result.site)) for p in result.site.rglob("feed.xml")}


ALL_PLATFORMS = [*PLATFORMS, *EXTRA_PLATFORMS]
EXPECTED_FEEDS = {
    "feed.xml",
    "feedback/feed.xml",
    "feedback/departments/qd-zhujian/feed.xml",
    "feedback/departments/qd-gongan/feed.xml",
    *(f"platforms/{slug}/feed.xml" for slug in ALL_PLATFORMS),
}

TINGCHE = "huiyin:session:2021/tingche"
YANGLAO = "huiyin:session:shibei-yanglao-2020"
XSS = "huiyin:session:2022/xss"
HAIYANG = "huiyin:session:2022/haiyang"


def update(global_id: str, position: int) -> str:
    return f"huiyin:update:{global_id}:{position}"


PARKING_ID = "2021/tingche#parking-sharing"
ALL_UPDATES_NEWEST_FIRST = [
    update("2022/haiyang#gangkou", 2),  # 2022-04-01
    update("2022/xss#tanwei", 1),  # 2022-03-05, same day as the next: tie broken by global id
    update("2022/haiyang#gangkou", 1),
    update(PARKING_ID, 3),  # 2021-09-01
    update(PARKING_ID, 2),
    update(PARKING_ID, 1),
    update("shibei-yanglao-2020#canzhuo", 1),
]


# -- every feed is valid and complete ---------------------------------------------


def test_every_feed_exists_and_no_other(built):
    # qd-weijian holds only a draft's outcome: no department page, so no feed
    assert feed_paths(built) == EXPECTED_FEEDS


@pytest.mark.parametrize("path", sorted(EXPECTED_FEEDS))
def test_every_feed_parses_as_rss2_with_complete_items(built, path):
    parsed = feed(built, path)
    channel = parsed.feed
    assert channel.title and channel.subtitle  # subtitle is feedparser's name for <description>
    assert channel.link.startswith(SITE)
    assert channel.language == "zh-CN"
    self_links = [link.href for link in channel.links if link.rel == "self"]
    assert self_links == [SITE + path]
    for entry in parsed.entries:
        assert entry.id.startswith("huiyin:") and not entry.guidislink
        assert entry.link.startswith(SITE)
        assert entry.published_parsed is not None
        assert entry.title and entry.summary
        assert entry.content[0].value


def test_channel_links_to_the_page_it_follows(built):
    assert feed(built, "feed.xml").feed.link == SITE
    assert feed(built, "platforms/qingdao/feed.xml").feed.link == SITE + "platforms/qingdao/"
    assert feed(built, "feedback/feed.xml").feed.link == SITE + "feedback/"
    assert feed(built, "feedback/departments/qd-gongan/feed.xml").feed.link == SITE + "feedback/departments/qd-gongan/"


# -- sessions ----------------------------------------------------------------------


def test_site_feed_lists_held_sessions_newest_first(built):
    # same date 2022-03-01: ties broken by id, as everywhere on the site
    assert ids(feed(built, "feed.xml")) == [XSS, HAIYANG, TINGCHE, YANGLAO]


def test_session_item_as_a_reader_sees_it(built):
    entry = next(e for e in feed(built, "feed.xml").entries if e.id == TINGCHE)
    assert entry.title == "推进共享停车 缓解停车难"
    assert entry.link == SITE + "sessions/2021/tingche/"
    assert entry.published == "Fri, 02 Apr 2021 00:00:00 +0800"  # the record's date, Asia/Shanghai
    assert [tag.term for tag in entry.tags] == ["倾听与商量", "停车", "城市管理"]
    assert entry.tags[0].scheme == SITE + "platforms/qingdao/"
    content = entry.content[0].value
    for text in ["停车难题的协商纪要", "<table>", "市南区", "第3期", "青岛日报社", "停车难怎么破",
                 "推动机关事业单位停车场错时向市民开放", "已落实", "青岛市住房和城乡建设局", "青岛市公安局",
                 "印发《青岛市停车设施建设管理实施方案》"]:
        assert text in content, text
    assert entry.summary.startswith("停车难题的协商纪要。")
    assert "<" not in entry.summary and len(entry.summary) <= 200


def test_session_content_links_are_absolute(built):
    content = next(e for e in feed(built, "feed.xml").entries if e.id == TINGCHE).content[0].value
    root = lxml_html.fragment_fromstring(content, create_parent="div")
    hrefs = [a.get("href") for a in root.iter("a") if a.get("href")]
    sources = [img.get("src") for img in root.iter("img")]
    assert SITE + "sessions/2022/haiyang/" in hrefs  # ../2022/haiyang.md, resolved like MkDocs does
    assert SITE + "sessions/2021/tingche/#outcomes" in hrefs
    assert SITE + "feedback/departments/qd-gongan/" in hrefs
    assert SITE + "sessions/2021/images/xianchang.png" in sources
    assert all(url.startswith(("https://", "http://")) for url in hrefs + sources), hrefs + sources


def test_a_platform_feed_holds_its_sub_brands_and_no_one_else(built):
    assert ids(feed(built, "platforms/shandong/feed.xml")) == [XSS, TINGCHE, YANGLAO]
    assert ids(feed(built, "platforms/qingdao/feed.xml")) == [XSS, TINGCHE, YANGLAO]
    assert ids(feed(built, "platforms/shibei/feed.xml")) == [YANGLAO]
    assert ids(feed(built, "platforms/zhejiang/feed.xml")) == [HAIYANG]
    assert ids(feed(built, "platforms/ningbo/feed.xml")) == [HAIYANG]


def test_a_platform_with_nothing_held_has_an_empty_feed_without_a_build_date(built):
    # 泉城议事厅 has only a planned session: announced on its page, not pushed to readers
    parsed = feed(built, "platforms/jinan/feed.xml")
    assert parsed.entries == []
    assert b"lastBuildDate" not in (built.site / "platforms/jinan/feed.xml").read_bytes()


@pytest.mark.parametrize("path", sorted(EXPECTED_FEEDS - {"platforms/jinan/feed.xml"}))
def test_last_build_date_is_the_newest_item_date(built, path):
    tree = etree.parse(str(built.site / path))
    last_build = parsedate_to_datetime(tree.findtext("channel/lastBuildDate"))
    dates = [parsedate_to_datetime(text) for text in tree.xpath("channel/item/pubDate/text()")]
    assert last_build == max(dates)


# -- outcome updates -----------------------------------------------------------------


def test_feedback_feed_has_one_item_per_published_update_newest_first(built):
    assert ids(feed(built, "feedback/feed.xml")) == ALL_UPDATES_NEWEST_FIRST


def test_update_item_as_a_newsroom_sees_it(built):
    entry = next(e for e in feed(built, "feedback/feed.xml").entries if e.id == update(PARKING_ID, 3))
    assert entry.title == "「青岛市住房和城乡建设局、青岛市公安局」答复：推动机关事业单位停车场错时向市民开放 — 已落实"
    assert entry.link == SITE + "sessions/2021/tingche/#parking-sharing"
    assert entry.published == "Wed, 01 Sep 2021 00:00:00 +0800"
    assert {"倾听与商量", "停车", "已落实", "青岛市公安局"} <= {tag.term for tag in entry.tags}
    content = entry.content[0].value
    for text in ["印发《青岛市停车设施建设管理实施方案》", "https://www.qingdao.gov.cn/", "2021年6月30日",
                 SITE + "sessions/2021/tingche/", "推进共享停车 缓解停车难", "2021年4月10日", "市住房城乡建设局已认领"]:
        assert text in content, text
    assert entry.summary == "已落实：印发《青岛市停车设施建设管理实施方案》。"


def test_an_update_item_shows_the_history_up_to_itself_only(built):
    entry = next(e for e in feed(built, "feedback/feed.xml").entries if e.id == update(PARKING_ID, 2))
    assert entry.title.startswith("「青岛市住房和城乡建设局、青岛市公安局」答复：") and entry.title.endswith("已认领")
    assert "印发" not in entry.content[0].value  # the later answer is its own item


def test_an_update_without_a_note_is_a_progress_item(built):
    entry = next(e for e in feed(built, "feedback/feed.xml").entries if e.id == update(PARKING_ID, 1))
    assert entry.title == "「青岛市住房和城乡建设局、青岛市公安局」办理进展：推动机关事业单位停车场错时向市民开放 — 已交办"


def test_department_feeds_hold_the_updates_of_their_outcomes(built):
    assert ids(feed(built, "feedback/departments/qd-zhujian/feed.xml")) == [
        update("2022/xss#tanwei", 1), update(PARKING_ID, 3), update(PARKING_ID, 2), update(PARKING_ID, 1)]
    assert ids(feed(built, "feedback/departments/qd-gongan/feed.xml")) == [
        u for u in ALL_UPDATES_NEWEST_FIRST if "xss" not in u]


# -- nothing unpublished, nothing unsafe -----------------------------------------------


def test_nothing_unpublished_reaches_any_feed(built):
    for path in EXPECTED_FEEDS:
        text = (built.site / path).read_text(encoding="utf-8")
        for secret in ["草稿", "caogao", "禁发", "jinshi", "计划议题", "jihua"]:
            assert secret not in text, (path, secret)


def test_feed_html_is_sanitised(built):
    for path in EXPECTED_FEEDS:
        for entry in feed(built, path).entries:
            # parsed as a reader's browser would: record text that looks like markup is only text
            root = lxml_html.fragment_fromstring(entry.content[0].value, create_parent="div")
            assert not root.xpath("//script | //style | //iframe"), (path, entry.id)
            for element in root.iter():
                for name, value in element.attrib.items():
                    assert not name.lower().startswith("on"), (path, entry.id, name)
                    assert not value.strip().lower().startswith("javascript:"), (path, entry.id, value)
    content = next(e for e in feed(built, "feed.xml").entries if e.id == TINGCHE).content[0].value
    assert "点我" in content  # the link text stays; only the unsafe parts go


def test_markup_in_titles_and_texts_comes_through_as_text(built):
    raw = (built.site / "feed.xml").read_bytes()
    tree = etree.fromstring(raw)
    assert not tree.xpath("//script")  # no element smuggled into the XML
    entry = next(e for e in feed(built, "feed.xml").entries if e.id == XSS)
    # Titles are HTML to many readers: the markup arrives escaped, and shows as the text it was.
    assert entry.title_detail.type == "text/html"
    assert "<script" not in entry.title and html.unescape(entry.title) == XSS_TITLE
    # in the HTML content, record text is escaped text, not markup
    assert "&lt;b&gt;早市&lt;/b&gt;" in entry.content[0].value
    update_item = next(e for e in feed(built, "feedback/feed.xml").entries if e.id == update("2022/xss#tanwei", 1))
    assert html.unescape(update_item.title).startswith("「青岛市住房和城乡建设局」答复：规范<b>早市</b>摊位")
    assert "<b>" not in update_item.title
    assert "&lt;img src=x onerror=alert(1)&gt;" in update_item.content[0].value


# -- stable for subscribers ---------------------------------------------------------------


def test_two_builds_of_the_same_content_give_byte_identical_feeds(built, rebuilt):
    # the second build runs later, without SOURCE_DATE_EPOCH: no feed may notice
    assert feed_paths(rebuilt) == EXPECTED_FEEDS
    for path in sorted(EXPECTED_FEEDS):
        assert (built.site / path).read_bytes() == (rebuilt.site / path).read_bytes(), path


def test_a_moved_session_with_a_pinned_id_keeps_its_guids(built, later):
    before = feed(built, "platforms/shibei/feed.xml").entries
    after = feed(later, "platforms/shibei/feed.xml").entries
    assert [e.id for e in before] == [e.id for e in after] == [YANGLAO]
    assert after[0].link == SITE + "sessions/2020/shequ-yanglao-fuwu/"  # the link follows the file
    before_update = next(e for e in feed(built, "feedback/departments/qd-gongan/feed.xml").entries
                         if "canzhuo" in e.id)
    assert before_update.id == update("shibei-yanglao-2020#canzhuo", 1)


def test_feed_length_caps_every_feed_at_the_newest_items(later):
    assert ids(feed(later, "feed.xml")) == [XSS, HAIYANG]
    assert ids(feed(later, "platforms/shandong/feed.xml")) == [XSS, TINGCHE]
    assert ids(feed(later, "feedback/feed.xml")) == ALL_UPDATES_NEWEST_FIRST[:2]
    assert ids(feed(later, "feedback/departments/qd-gongan/feed.xml")) == [
        update("2022/haiyang#gangkou", 2), update("2022/haiyang#gangkou", 1)]
    for path in EXPECTED_FEEDS:
        assert len(feed(later, path).entries) <= 2, path


# -- autodiscovery ---------------------------------------------------------------------


def alternate_feeds(page_html: str) -> list[str]:
    root = lxml_html.document_fromstring(page_html)
    return [link.get("href") for link in root.xpath('//head/link[@rel="alternate"][@type="application/rss+xml"]')]


def visible_feed_links(page_html: str) -> list[str]:
    root = lxml_html.document_fromstring(page_html)
    return [a.get("href") for a in root.xpath('//*[contains(@class, "hy-subscribe")]//a')]


@pytest.mark.parametrize("page, feed_path", [
    ("", "feed.xml"),
    ("sessions/", "feed.xml"),
    ("platforms/qingdao/", "platforms/qingdao/feed.xml"),
    ("feedback/", "feedback/feed.xml"),
    ("feedback/departments/qd-gongan/", "feedback/departments/qd-gongan/feed.xml"),
])
def test_pages_announce_their_feed_to_browsers_and_readers(built, page, feed_path):
    html = built.page(page)
    assert alternate_feeds(html) == [SITE + feed_path], page
    assert "订阅" in html
    assert SITE + feed_path in html  # the URL shown to copy into a newsroom system
    assert SITE + feed_path in [urljoin(SITE + page, href) for href in visible_feed_links(html)], page
    assert built.exists(feed_path)


# -- what a feed validator checks (W3C Feed Validation Service) ------------------------

ATOM = "{http://www.w3.org/2005/Atom}"
RFC822 = re.compile(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
                    r"\d{2}:\d{2}:\d{2} [+-]\d{4}")


@pytest.mark.parametrize("path", sorted(EXPECTED_FEEDS))
def test_every_feed_passes_what_a_feed_validator_checks(built, path):
    """The raw XML, where feedparser would forgive: dates in RFC 822, guids, the self link."""
    channel = etree.parse(str(built.site / path)).getroot().find("channel")
    assert channel.findtext("language") == "zh-CN"
    assert [(link.get("href"), link.get("type")) for link in channel.findall(f"{ATOM}link[@rel='self']")] == [
        (SITE + path, "application/rss+xml")]
    for element in [*channel.findall("lastBuildDate"), *channel.findall("item/pubDate")]:
        assert RFC822.fullmatch(element.text), (path, element.text)
        parsedate_to_datetime(element.text)
    guids = []
    for item in channel.findall("item"):
        (guid,) = item.findall("guid")  # exactly one
        assert guid.text and guid.text.strip() == guid.text, path
        if not guid.text.startswith(("http://", "https://")):
            assert guid.get("isPermaLink") == "false", (path, guid.text)  # else readers would open it as a link
        guids.append(guid.text)
    assert len(guids) == len(set(guids)), path


# -- JSON Feed 1.1 beside every RSS feed -----------------------------------------------

RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
EXPECTED_JSON_FEEDS = {path.removesuffix("feed.xml") + "feed.json" for path in EXPECTED_FEEDS}


def json_feed(result, path: str) -> dict:
    """A JSON Feed as an app reads it (UTF-8 JSON), checked against JSON Feed 1.1's required fields."""
    document = json.loads((result.site / path).read_bytes().decode("utf-8"))
    assert document["version"] == "https://jsonfeed.org/version/1.1", path
    assert isinstance(document["title"], str) and document["title"], path
    assert isinstance(document["items"], list), path
    for key in ("home_page_url", "feed_url", "description", "language"):
        assert isinstance(document[key], str), (path, key)
    for item in document["items"]:
        assert isinstance(item["id"], str) and item["id"], path
        assert isinstance(item.get("content_html"), str) or isinstance(item.get("content_text"), str), path
        assert RFC3339.fullmatch(item["date_published"]), (path, item["date_published"])
        datetime.fromisoformat(item["date_published"])
        assert isinstance(item["url"], str) and item["url"].startswith(SITE), path
        assert all(isinstance(tag, str) for tag in item.get("tags", [])), path
    return document


def test_every_rss_feed_has_a_json_feed_and_no_other(built):
    assert {str(p.relative_to(built.site)) for p in built.site.rglob("feed.json")} == EXPECTED_JSON_FEEDS


@pytest.mark.parametrize("path", sorted(EXPECTED_FEEDS))
def test_a_json_feed_holds_the_rss_items_in_the_same_order(built, path):
    rss = feed(built, path)
    json_path = path.removesuffix("feed.xml") + "feed.json"
    document = json_feed(built, json_path)
    assert document["feed_url"] == SITE + json_path
    assert document["home_page_url"] == rss.feed.link
    assert document["language"] == "zh-CN"
    assert document["title"] == html.unescape(rss.feed.title)
    assert [item["id"] for item in document["items"]] == ids(rss)
    # the bodies as the XML holds them (feedparser re-serialises HTML, <img /> for <img>)
    bodies = etree.parse(str(built.site / path)).xpath(
        "channel/item/content:encoded/text()", namespaces={"content": "http://purl.org/rss/1.0/modules/content/"})
    assert [item["content_html"] for item in document["items"]] == bodies  # the same sanitised body
    for item, entry in zip(document["items"], rss.entries):
        assert item["url"] == entry.link
        assert item["title"] == html.unescape(entry.title)  # JSON Feed titles are text, not HTML
        assert datetime.fromisoformat(item["date_published"]) == parsedate_to_datetime(entry.published)
        assert item["tags"] == [html.unescape(tag.term) for tag in entry.tags]


def test_json_feed_html_is_sanitised_and_titles_are_text(built):
    items = {item["id"]: item for item in json_feed(built, "feed.json")["items"]}
    assert items[XSS]["title"] == XSS_TITLE  # text: an app shows it as it was written
    assert "&lt;b&gt;早市&lt;/b&gt;" in items[XSS]["content_html"]
    root = lxml_html.fragment_fromstring(items[TINGCHE]["content_html"], create_parent="div")
    assert not root.xpath("//script | //style | //iframe")
    assert not [name for element in root.iter() for name in element.attrib if name.lower().startswith("on")]
    assert "点我" in items[TINGCHE]["content_html"]
    assert items[TINGCHE]["date_published"] == "2021-04-02T00:00:00+08:00"


def test_nothing_unpublished_reaches_any_json_feed(built):
    for path in EXPECTED_JSON_FEEDS:
        text = (built.site / path).read_text(encoding="utf-8")
        for secret in ["草稿", "caogao", "禁发", "jinshi", "计划议题", "jihua"]:
            assert secret not in text, (path, secret)


def test_two_builds_of_the_same_content_give_byte_identical_json_feeds(built, rebuilt):
    for path in sorted(EXPECTED_JSON_FEEDS):
        assert (built.site / path).read_bytes() == (rebuilt.site / path).read_bytes(), path


def test_json_feeds_follow_feed_length_and_pinned_ids(built, later):
    for path in EXPECTED_FEEDS:
        json_path = path.removesuffix("feed.xml") + "feed.json"
        assert [item["id"] for item in json_feed(later, json_path)["items"]] == ids(feed(later, path)), path
    assert [item["id"] for item in json_feed(later, "platforms/shibei/feed.json")["items"]] == [YANGLAO]


@pytest.mark.parametrize("page, feed_path", [
    ("", "feed.json"),
    ("sessions/", "feed.json"),
    ("platforms/qingdao/", "platforms/qingdao/feed.json"),
    ("feedback/", "feedback/feed.json"),
    ("feedback/departments/qd-gongan/", "feedback/departments/qd-gongan/feed.json"),
])
def test_pages_announce_their_json_feed_beside_the_rss_one(built, page, feed_path):
    root = lxml_html.document_fromstring(built.page(page))
    announced = [link.get("href") for link in root.xpath('//head/link[@rel="alternate"][@type="application/feed+json"]')]
    assert announced == [SITE + feed_path], page
    assert SITE + feed_path in [urljoin(SITE + page, href) for href in visible_feed_links(built.page(page))], page
    assert built.exists(feed_path)
