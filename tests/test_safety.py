"""Nothing leaks, nothing runs: what the site publishes, checked file by file.

Every test here walks EVERY file of the built site (pages, search index,
sitemap and its .gz, tags, feeds, open data, whatever lands later) rather than
the outputs we know of today, so a new output is covered the day it appears.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from huiyin.core.base.clock import SHANGHAI
from huiyin.core.model.loading import load_corpus
from huiyin.core.records.problems import ContentError
from sitebuilder import FIXED_EPOCH, SiteFolder, front_matter, outcome, session

# -- reading every output ---------------------------------------------------------


GZIP_MAGIC = b"\x1f\x8b"


def every_output(site: Path) -> dict[str, bytes]:
    """{path: bytes} of every file of a built site.

    Compressed files (sitemap.xml.gz, search index fragments…) are also given
    decompressed, under their name with a trailing "!".
    """
    found: dict[str, bytes] = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            name = path.relative_to(site).as_posix()
            found[name] = path.read_bytes()
            if found[name].startswith(GZIP_MAGIC):
                found[name.removesuffix(".gz") + "!"] = gzip.decompress(found[name])
    return found


# -- live markup ------------------------------------------------------------------
#
# "Live" means: would run for a consumer that reads the file by its format's
# rules. Pages are HTML. In feeds every element is taken as HTML: RSS 2.0 never
# settled whether <title> is text or HTML, and readers (feedparser among them)
# render markup found there. Open data values are text by the JSON and CSV
# rules, so there the live things are links that run (javascript:, data:) and
# cells that spreadsheet software runs as formulas. A payload found in any other
# kind of file (theme assets…) is a failure in itself.

# A URL that runs something instead of going somewhere. Browsers ignore
# control characters and spaces inside the scheme ("java\tscript:").
_RUNNING_URL = re.compile(r"^(javascript|data|vbscript):", re.IGNORECASE)
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "srcset",
                   "data", "cite", "ping", "srcdoc", "url"}
_ACTIVE_ELEMENTS = {"script", "iframe", "frame", "object", "embed", "base", "form", "svg", "math"}
# Keys and columns of data files, and feed elements, whose values are links.
_URL_NAME = re.compile(r"(^|[_:}-])(url|href|src|link|location|loc|guid|comments|docs)$", re.IGNORECASE)
# Spreadsheet software runs a cell that starts with one of these as a formula.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
# Script elements that hold data, not code (schema.org JSON-LD, Material's config): never run, so
# CSP leaves them alone too; what matters is that their JSON is whole, no value having closed the element.
_DATA_SCRIPTS = {"application/ld+json", "application/json"}
# JSON whose strings are HTML by their reader's contract: Material's search UI.
_HTML_JSON = {"search/search_index.json"}


def runs_as_url(value: str) -> bool:
    return bool(_RUNNING_URL.match(re.sub(r"[\x00-\x20]", "", value)))


class _LiveMarkup(HTMLParser):
    """Finds payload markup (recognised by a marker) that a browser would run."""

    def __init__(self, marker: str):
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.found: list[str] = []
        self.raw_text: str | None = None
        self.data_block = ""  # the text of a JSON data block so far (the parser may hand it over in pieces)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and self.marker in value:
                self.found.append(f"<{tag} {name}=…>")
            if name in _URL_ATTRIBUTES and runs_as_url(value):
                self.found.append(f"<{tag} {name}={value[:40]!r}>")
            if name == "style" and self.marker in value:
                self.found.append(f"<{tag} style=…>")
        if tag in _ACTIVE_ELEMENTS and self.marker in str(attrs):
            self.found.append(f"<{tag} …>")
        if tag in ("script", "style"):
            self.raw_text = tag
        if tag == "script" and dict(attrs).get("type") in _DATA_SCRIPTS:
            self.raw_text = "data"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.raw_text = None

    def handle_endtag(self, tag: str) -> None:
        if self.raw_text == "data" and tag == "script":
            try:
                json.loads(self.data_block)
            except ValueError:
                self.found.append("<script type=…json> cut short: not JSON")
            self.raw_text, self.data_block = None, ""
        if tag == self.raw_text:
            self.raw_text = None

    def handle_data(self, data: str) -> None:
        if self.raw_text == "data":  # JSON a browser never runs; markup that broke out of it is seen as elements
            self.data_block += data
        elif self.raw_text and self.marker in data:
            self.found.append(f"<{self.raw_text}>…{self.marker}…")


def live_in_html(html: str, marker: str) -> list[str]:
    parser = _LiveMarkup(marker)
    parser.feed(html)
    parser.close()
    return parser.found


def _json_values(value: object, key: str = ""):
    """(key, string) for every string in a JSON document, with the key that holds it."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield "", name
            yield from _json_values(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from _json_values(item, key)


def _live_in_feed(data: bytes, marker: str) -> list[str]:
    root = ET.fromstring(data)
    found = []
    for element in root.iter():
        for text in (element.text or "", element.tail or ""):
            found += live_in_html(text, marker) if marker in text else []
        if _URL_NAME.search(element.tag) and runs_as_url(element.text or ""):
            found.append(f"<{element.tag}> {element.text[:40]!r}")
        for name, value in element.attrib.items():
            if _URL_NAME.search(name) and runs_as_url(value):
                found.append(f"<{element.tag} {name}={value[:40]!r}>")
            elif marker in value:
                found += live_in_html(value, marker)
    return found


def _live_in_json(name: str, text: str, marker: str) -> list[str]:
    found = []
    for key, value in _json_values(json.loads(text)):
        if name in _HTML_JSON and marker in value:
            found += live_in_html(value, marker)
        if _URL_NAME.search(key) and runs_as_url(value):
            found.append(f"{key}: {value[:40]!r}")
    return found


def _live_in_csv(text: str, marker: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0] if rows else []
    found = []
    for row in rows[1:]:
        for column, cell in zip(header, row):
            if cell.startswith(_FORMULA) and marker in cell:
                found.append(f"{column}: spreadsheet formula {cell[:40]!r}")
            if _URL_NAME.search(column) and runs_as_url(cell):
                found.append(f"{column}: {cell[:40]!r}")
    return found


def live_markup(name: str, data: bytes, marker: str) -> list[str]:
    """Live payload markup in one output file, read the way its consumers read it."""
    kind = name.removesuffix("!").rsplit(".", 1)[-1]
    if data.startswith(b"pagefind_dcd{"):  # a Pagefind fragment: a signature, then JSON
        kind, data = "json", data.removeprefix(b"pagefind_dcd")
    text = data.decode("utf-8-sig", errors="replace")
    if kind in ("html", "htm"):
        return live_in_html(text, marker)
    if kind in ("xml", "rss", "atom", "svg"):
        try:
            return _live_in_feed(data, marker)
        except ET.ParseError:
            return [f"{name}: not well-formed XML"]
    if kind == "json":
        return _live_in_json(name.removesuffix("!"), text, marker)
    if kind == "csv":
        return _live_in_csv(text, marker)
    return [f"payload in a {kind} file"] if marker.encode() in data else []


def test_the_inspector_sees_live_markup_and_not_escaped_text():
    m = "HYXSS"
    assert live_in_html(f'<p><img src=x onerror="alert(\'{m}\')"></p>', m)
    assert live_in_html(f"<script>alert('{m}')</script>", m)
    assert not live_in_html(f'<script type="application/ld+json">{{"name": "\\u003cscript\\u003e{m}"}}</script>', m)
    assert live_in_html(f'<script type="application/ld+json">{{"name": "</script><script>alert(\'{m}\')</script>"}}</script>', m)
    assert live_in_html('<a href=" java\tscript:alert(1)">x</a>', m)
    assert live_in_html(f'<svg><a xlink:href="data:text/html,{m}">x</a></svg>', m)
    assert not live_in_html(f"<p>&lt;script&gt;alert('{m}')&lt;/script&gt; onerror=alert('{m}')</p>", m)
    assert not live_in_html(f'<a title="&lt;img src=x onerror=alert(\'{m}\')&gt;" href="#x">x</a>', m)
    assert live_markup("feed.xml", f"<rss><title>&lt;img src=x onerror=alert('{m}')&gt;</title></rss>".encode(), m)
    assert live_markup("feed.xml", b"<rss><item><link>javascript:alert(1)</link></item></rss>", m)
    assert not live_markup("feed.xml", f"<rss><title>&amp;lt;img onerror={m}&amp;gt;</title></rss>".encode(), m)
    assert live_markup("data/x.csv", f'id,title\r\n1,"=HYPERLINK(""http://e/{m}"")"\r\n'.encode(), m)
    assert live_markup("data/x.json", json.dumps([{"url": "javascript:alert(1)"}]).encode(), m)
    assert not live_markup("data/x.json", json.dumps([{"title": f"<img src=x onerror={m}>"}]).encode(), m)
    assert live_markup("search/search_index.json", json.dumps({"t": f"<img src=x onerror={m}>"}).encode(), m)
    assert live_markup("assets/x.js", f"alert('{m}')".encode(), m)


# -- 1. drafts and embargoes --------------------------------------------------------

DRAFT = "zqxdraftmark"  # ASCII, so it reads the same in URLs, slugs, JSON and HTML
EMBARGO = "zqxembargomark"
PUBLISHED = "zqxpublishedmark"


def record_with_marker(marker: str, platform: str, day: str, **extra) -> str:
    """A session carrying its marker in every field that can hold text."""
    return session(
        f"议题{marker}", platform, day,
        [outcome(f"{marker}-a", f"建议{marker}", ["市卫生健康委"],
                 (day, "submitted", f"已交办{marker}"), (day, "implemented", f"已落实{marker}")),
         outcome(f"{marker}-b", f"建议二{marker}", ["市公安局"], (day, "declined", f"未采纳理由{marker}"),
                 due="2021-01-01")],
        body=f"## 纪要{marker}\n\n正文{marker}，[链接{marker}](https://example.org/{marker})。\n",
        id=f"{marker}/id", number=9, location=f"地点{marker}", topic_source="public",
        tags=[f"标签{marker}", "停车"], participants={"members": 5, "officials": ["市公安局"]},
        public_input=77, description=f"摘要{marker}",
        media=[{"title": f"报道{marker}", "url": f"https://example.org/{marker}/media", "outlet": f"日报{marker}",
                "kind": "video"}],
        **extra,
    )


def write_leak_corpus(site: SiteFolder) -> None:
    site.write(f"sessions/2021/{PUBLISHED}.md", record_with_marker(PUBLISHED, "shibei", "2021-03-01"))
    site.write(f"sessions/2021/{DRAFT}.md", record_with_marker(DRAFT, "qingdao", "2021-04-02", draft=True))
    site.write(f"sessions/2021/{EMBARGO}.md", record_with_marker(
        EMBARGO, "zhejiang", "2021-05-02", publish_date="2030-01-01 09:00"))
    # A planned, published session of the embargoed one's platform, so that platform has pages and a feed.
    site.write("sessions/2027/plan.md", session("年度计划", "zhejiang", "2027-03-01", stage="planned"))


@pytest.fixture(scope="module")
def leak_site(tmp_path_factory):
    site = SiteFolder(tmp_path_factory.mktemp("leak"))
    write_leak_corpus(site)
    result = site.build()
    assert result.returncode == 0, result.log
    return result


def test_no_output_of_any_kind_mentions_a_draft_or_an_embargoed_session(leak_site):
    outputs = every_output(leak_site.site)
    leaks = [name for name, data in outputs.items() for marker in (DRAFT, EMBARGO) if marker.encode() in data]
    assert leaks == []
    # The scan can see: the published twin's marker is everywhere it should be.
    seen = {name for name, data in outputs.items() if PUBLISHED.encode() in data}
    assert {f"sessions/2021/{PUBLISHED}/index.html", "sessions/index.html", "tags/index.html",
            "sitemap.xml", "sitemap.xml!"} <= seen, sorted(seen)
    assert any(name.startswith(("search/", "pagefind/")) for name in seen), sorted(seen)  # the search index


def outcome_total(html: str) -> int:
    match = re.search(r'hy-figure__value">(\d+)</span><span class="hy-figure__label">问题及建议', html)
    assert match, html
    return int(match.group(1))


def test_figures_count_published_outcomes_only(leak_site):
    # Two published outcomes (on shibei, under qingdao); the draft (qingdao) and the
    # embargoed session (zhejiang) hold two more each.
    assert outcome_total(leak_site.page("")) == 2
    assert outcome_total(leak_site.page("platforms/qingdao/")) == 2
    assert outcome_total(leak_site.page("platforms/zhejiang/")) == 0


# -- 2. markup that would run -------------------------------------------------------

XSS = "HYXSS"
PAYLOADS = [
    f'<script>alert("{XSS}")</script>',
    f'<img src=x onerror=alert("{XSS}")>',
    f'"><svg onload=alert("{XSS}")>',
    f"' onmouseover='alert(\"{XSS}\")' x='",
    f"javascript:alert('{XSS}')",
    f'=HYPERLINK("http://evil.example/{XSS}","点我")',
]
P = "".join(PAYLOADS)
# Raw HTML in a record body: the loader refuses links that would run (section 3)
# but leaves other markup be, so only the page sanitiser stands between these
# and a reader.
BODY_PAYLOAD = (
    f"<a href=\"https://example.org/\" onclick=\"alert('{XSS}')\">链接</a> [链接](https://example.org/{XSS})\n\n"
    f"<iframe src=\"https://evil.example/{XSS}\"></iframe><iframe srcdoc=\"&lt;script&gt;{XSS}\"></iframe>"
    f"<style>body{{background:url({XSS})}}</style><p style=\"x:{XSS}\">样式</p>"
    f"<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('{XSS}')\">"
    f"<form action=\"https://evil.example/{XSS}\"><button>提交</button></form>"
    f"<details open ontoggle=\"alert('{XSS}')\"><summary>展开</summary></details>"
    f"<object data=\"https://evil.example/{XSS}.swf\"></object><embed src=\"https://evil.example/{XSS}\">"
)


def write_payload_corpus(site: SiteFolder) -> None:
    site.write("index.md", f"# 回音 {PAYLOADS[1]}\n\n欢迎。<b onclick=alert('{XSS}')>粗体</b>\n\n"
               f"## 小节 {PAYLOADS[0]}\n\n!!! note \"提示\"\n    注意{PAYLOADS[1]}\n\n"
               f"| 左 | 右 |\n|:--|--:|\n| 1 | 2 |\n\n{BODY_PAYLOAD}\n")
    site.write("platforms/evil.md", front_matter(
        {"name": f"{PAYLOADS[5]}平台{PAYLOADS[2]}", "level": "county", "region": f"地区{P}", "parent": "qingdao",
         "organizers": [f"主办{P}"], "venue": f"地点{P}", "hours": f"时间{P}", "contact": f"联系{P}",
         "description": f"简介{P}"},
        f"平台简介{P}\n\n<a href=\"#x\" onclick=\"alert('{XSS}')\">点我</a>\n"))
    for index, payload in enumerate(PAYLOADS):
        site.write(f"sessions/2021/p{index}.md", session(
            f"{payload}议题{P}", "evil", f"2021-04-{index + 1:02d}",
            [outcome(f"o{index}", f"{payload}建议{P}", ["市住建局"],
                     ("2021-04-20", "claimed", f"{payload}备注{P}"))],
            body=(f"# 标题{payload}\n\n正文{P}\n\n{BODY_PAYLOAD}\n"),
            tags=[f"{payload}标签", f"标签{P}"], location=f"{payload}{P}", subtitle=f"副标题{P}",
            media=[{"title": f"{payload}报道{P}", "url": f"https://example.org/{index}", "outlet": f"{payload}日报"}],
        ))


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory):
    site = SiteFolder(tmp_path_factory.mktemp("payload"))
    write_payload_corpus(site)
    result = site.build()
    assert result.returncode == 0, result.log
    return result


def family(name: str, data: bytes) -> str:
    """'feed', 'data' (open data, by the content model's paths) or 'site' (pages, indexes, assets)."""
    if name.startswith("data/"):
        return "data"
    if name.removesuffix("!").endswith(".xml") and re.search(rb"<(rss|feed)[\s>]", data[:2000]):
        return "feed"
    return "site"


@pytest.fixture(scope="module")
def live_in_payload_site(payload_site) -> dict[str, dict[str, list[str]]]:
    """{family: {file: live markup found}} over every output file of the payload site."""
    found: dict[str, dict[str, list[str]]] = {"site": {}, "feed": {}, "data": {}}
    outputs = every_output(payload_site.site)
    for name, data in outputs.items():
        if hits := live_markup(name, data, XSS):
            found[family(name, data)][name] = sorted(set(hits))
    assert any(family(name, data) == "feed" for name, data in outputs.items())  # the feeds were inspected
    return found


def test_no_page_or_search_index_holds_live_markup(live_in_payload_site):
    assert live_in_payload_site["site"] == {}


def test_no_feed_holds_live_markup(live_in_payload_site):
    assert live_in_payload_site["feed"] == {}


def test_no_open_data_file_holds_live_markup(live_in_payload_site):
    assert live_in_payload_site["data"] == {}


def test_payloads_reach_the_pages_as_plain_text(payload_site):
    html = payload_site.page("sessions/2021/p1/")
    assert f'&lt;img src=x onerror=alert(&#34;{XSS}&#34;)&gt;议题' in html  # the title, escaped
    assert "正文" in html and "粗体" in payload_site.page("")  # bodies kept, their markup gone
    assert "hy-draft-banner" not in html
    searchable = [name for name, data in every_output(payload_site.site).items()
                  if name.startswith(("search/", "pagefind/")) and XSS.encode() in data]
    assert searchable  # the search index holds the payloads too, so the inspection above covered it


def test_staff_pages_keep_their_markdown_features(payload_site):
    """Sanitising must not break what staff pages use: admonitions, permalinks, the tags listing."""
    home = payload_site.page("")
    assert 'class="admonition note"' in home and 'class="headerlink"' in home
    assert 'align="right"' in home  # table column alignment survives (as align=, styles do not)
    tags = payload_site.page("tags/")
    assert "md-tag" in tags and "sessions/2021/p0/" in tags


# -- 3. links that would run are refused --------------------------------------------


@pytest.mark.parametrize("where", ["media", "document", "logo"])
@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVa\tScRiPt:alert(1)", "data:text/html,<script>1</script>",
                                 "vbscript:msgbox(1)"])
def test_a_link_that_would_run_fails_the_build_naming_the_file(tmp_path, where, url):
    site = SiteFolder(tmp_path)
    if where == "logo":
        site.write("platforms/evil.md", front_matter(
            {"name": "平台", "level": "county", "region": "某地", "logo": url}, "简介\n"))
        expected = "platforms/evil.md"
    else:
        record = outcome("a", "建议", ["市住建局"], ("2021-04-02", "submitted"))
        extra = {"media": [{"title": "报道", "url": url}]}
        if where == "document":
            record["updates"][0]["documents"] = [{"title": "文件", "url": url}]
            extra = {}
        site.write("sessions/2021/evil.md", session("议题", "qingdao", "2021-04-02", [record], **extra))
        expected = "sessions/2021/evil.md"
    result = _load_problems(site)
    assert expected in result
    assert ("找不到标志图片" if where == "logo" else "不安全") in result, result


BODY_LINKS = {
    "markdown link": "[链接](javascript:alert(1))",
    "markdown image": "![图](data:image/svg+xml,<svg onload=alert(1)>)",
    "reference": "[方案]: vbscript:msgbox(1)",
    "raw html": '<a href="javascript:alert(1)">链接</a>',
    "entity-encoded": '<a href="&#106;avascript:alert(1)">链接</a>',
    "autolink": "<javascript:alert(1)>",
}


@pytest.mark.parametrize("kind", BODY_LINKS)
def test_a_body_link_that_would_run_fails_naming_file_and_line(tmp_path, kind):
    site = SiteFolder(tmp_path)
    site.write("sessions/2021/evil.md", session("议题", "qingdao", "2021-04-02",
                                                body=f"第一段。\n\n{BODY_LINKS[kind]}\n"))
    result = _load_problems(site)
    # front matter: 5 lines with the fences; body line 1 is the 6th, the link on the 8th
    assert "sessions/2021/evil.md:8: 正文中的链接不安全或无效" in result, result
    assert "只允许 http、https 或站内相对链接" in result


def test_safe_body_links_pass(tmp_path):
    site = SiteFolder(tmp_path)
    site.write("sessions/2021/ok.md", session("议题", "qingdao", "2021-04-02", body=(
        "[相对](../2020/x.md) [锚点](#outcomes) [外链](https://www.qingdaonews.com/) ![图](images/a.png)\n\n"
        '<a href="https://example.org/">链接</a> <https://example.org/>\n')))
    assert _load_problems(site) == ""


def _load_problems(site: SiteFolder) -> str:
    """The loader's report on a content folder ('' if it loads), without a MkDocs build."""
    try:
        load_corpus(site.content, datetime(2025, 11, 21, tzinfo=SHANGHAI))
    except ContentError as error:
        return error.report()
    return ""


def test_the_real_build_names_the_file_with_the_unsafe_link(tmp_path):
    site = SiteFolder(tmp_path)
    site.write("sessions/2021/evil.md", session(
        "议题", "qingdao", "2021-04-02", media=[{"title": "报道", "url": "javascript:alert(1)"}]))
    result = site.build()
    assert result.returncode != 0
    assert "sessions/2021/evil.md" in result.log and "media[1].url" in result.log
    assert "只允许 http、https 或站内相对链接" in result.log


# -- 4. reproducible builds -----------------------------------------------------------


def test_two_builds_of_the_same_commit_are_identical_byte_for_byte(leak_site, tmp_path):
    """Same content, another folder, another process (so another hash seed): same bytes, every file."""
    again = SiteFolder(tmp_path)
    write_leak_corpus(again)
    second = again.build(epoch=FIXED_EPOCH)
    assert second.returncode == 0, second.log
    first_files, second_files = every_output(leak_site.site), every_output(second.site)
    assert sorted(first_files) == sorted(second_files)
    differing = [name for name in first_files if first_files[name] != second_files[name]]
    assert differing == []


def test_no_output_carries_the_wall_clock_date(leak_site):
    """Both builds above ran today: make sure "today" came from SOURCE_DATE_EPOCH, not the clock."""
    now = datetime.now(UTC)
    stamps = {now.strftime("%Y-%m-%d"), f"{now.year}年{now.month}月{now.day}日", now.strftime("%d %b %Y"),
              (now - timedelta(days=1)).strftime("%Y-%m-%d"), (now + timedelta(days=1)).strftime("%Y-%m-%d")}
    carrying = {name: stamp for name, data in every_output(leak_site.site).items()
                for stamp in stamps if stamp.encode() in data}
    assert carrying == {}


# -- 5. a failed build writes nothing -----------------------------------------------


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_build_with_errors_leaves_the_previous_site_untouched(tmp_path):
    site = SiteFolder(tmp_path)
    site.write("sessions/2021/ok.md", session("原标题", "qingdao", "2021-04-02"))
    first = site.build()
    assert first.returncode == 0, first.log
    before = snapshot(first.site)  # modification times too: a rewrite with the same bytes would show
    site.write("sessions/2021/ok.md", session("新标题", "qingdao", "2021-04-02"))  # a change that would show
    site.write("sessions/2021/broken.md", session("坏记录", "nowhere", "2021-04-02"))
    site.write("sessions/2021/phone.md", session("回访", "qingdao", "2021-04-03", body="手机 13812345678\n"))
    second = site.build()
    assert second.returncode != 0
    assert "broken.md" in second.log and "phone.md" in second.log
    assert snapshot(first.site) == before


# -- 6. staff preview -----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_mkdocs_serve_shows_drafts_to_staff_with_a_banner(tmp_path):
    site = SiteFolder(tmp_path)
    site.write("sessions/2021/caogao.md", session("草稿议题", "qingdao", "2021-04-02", draft=True))
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": FIXED_EPOCH}
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
            cwd=site.root, env=env, stdout=output, stderr=subprocess.STDOUT,
        )
        try:
            html = _fetch_when_up(f"http://127.0.0.1:{port}/sessions/2021/caogao/", server)
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert html is not None, log.read_text(encoding="utf-8", errors="replace")
    assert "草稿议题" in html and "hy-draft-banner" in html and "草稿" in html


def _fetch_when_up(url: str, server: subprocess.Popen, wait: float = 60) -> str | None:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            time.sleep(0.3)
    return None
