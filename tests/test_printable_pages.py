"""What a printed page carries, read from the built files (tests/browser/test_print.py prints them in Chromium;
the two cannot share a module name: pytest imports test files by base name).

A session page prints as its 公示 and a brand page as its venue notice: each
carries the QR code of its own address, an SVG file beside the page that a
phone must read back as exactly that address; a brand page carries this year's
sessions of the brand itself; an outcome marks its last answer, which the
printed 公示 shows beside the newest update.

The codes are read back with zxing-cpp's decoder from a raster of the SVG's path
(``raster``: the path is a row of 1-unit strokes per run of dark modules), so a
code of the wrong address, a broken path or a wrong size fails here.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET

import pytest
import zxingcpp
from lxml import html as lxml_html
from sitebuilder import SiteFolder, outcome, session

SITE_URL = "https://huiyin.example.org/"  # mkdocs.yml's site_url
SVG = "{http://www.w3.org/2000/svg}"
SCALE = 4  # pixels a module in the raster given to the decoder


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = SiteFolder(tmp_path_factory.mktemp("print-site"))
    qingdao = "platforms/qingdao.md"
    site.write(qingdao, site.content.joinpath(qingdao).read_text(encoding="utf-8").replace(
        "---\n倾听", "venue: 青岛市政协委员联络活动工作室\nhours: 工作日 9:00—17:00\ncontact: 12345（青岛市12345政务服务便民热线）\n---\n倾听", 1))
    site.write("sessions/2025/tingche.md", session(
        "推进共享停车 缓解停车难", "qingdao", "2025-04-02",
        [outcome("sharing", "推动机关事业单位停车场错时向市民开放", ["市住建局"],
                 ("2025-04-02", "submitted"), ("2025-04-10", "claimed", "市住房城乡建设局已认领，牵头研究。"),
                 ("2025-06-01", "in_progress"))],
        number=4, location="青岛日报社"))
    site.write("sessions/2025/jihua.md", session("年度协商：养老服务", "qingdao", "2025-12-10", stage="planned"))
    site.write("sessions/2025/shibei.md", session("市北区的活动", "shibei", "2025-05-01"))
    site.write("sessions/2024/qunian.md", session("去年的活动", "qingdao", "2024-05-01"))
    site.write("sessions/2025/caogao.md", session("草稿活动", "qingdao", "2025-06-01", draft=True))
    for day in range(1, 32):  # one more than a printed notice lists
        site.write(f"sessions/2025/zj-{day:02d}.md", session(f"浙江第{day}期", "zhejiang", f"2025-01-{day:02d}", number=day))
    result = site.build()
    assert result.returncode == 0, result.log
    return result


def raster(svg: bytes) -> tuple[int, bytes]:
    """The SVG as grey pixels (0 dark), SCALE pixels a module: the width and the bytes, row by row."""
    root = ET.fromstring(svg)
    size = int(root.attrib["viewBox"].split()[2])
    path = root.find(f"{SVG}path")
    assert path is not None and root.find(f"{SVG}rect") is not None
    modules = bytearray(b"\xff" * size * size)
    x = y = 0.0
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path.attrib["d"]):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            row = int(y)  # the stroke runs along y + .5
            for column in range(int(x), int(x + float(a))):
                modules[row * size + column] = 0
            x += float(a)
    wide = size * SCALE
    rows = (bytes(b for b in modules[r * size:(r + 1) * size] for _ in range(SCALE)) for r in range(size))
    return wide, b"".join(row for row in rows for _ in range(SCALE))


def decode(svg: bytes) -> list[str]:
    width, pixels = raster(svg)
    image = memoryview(pixels).cast("B", (width, width))
    return [code.text for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def code_of(built, page: str) -> lxml_html.HtmlElement:
    """The page's QR code image, checked to point at the file beside the page."""
    images = lxml_html.fromstring(built.page(page)).cssselect("figure.hy-qr img")
    assert len(images) == 1, page
    image = images[0]
    assert posixpath.normpath(posixpath.join(page, image.get("src"))) == page + "qr.svg"
    assert image.get("loading") is None, "a lazy image may be missing when the page is printed"
    return image


@pytest.mark.parametrize("page", ["sessions/2025/tingche/", "sessions/2025/jihua/", "platforms/qingdao/", "platforms/shibei/"])
def test_each_printable_page_shows_the_qr_code_of_its_own_address(built, page):
    image = code_of(built, page)
    assert image.get("alt") == f"本页网址二维码：{SITE_URL}{page}"
    svg = (built.site / page / "qr.svg").read_bytes()
    assert decode(svg) == [SITE_URL + page]


def test_qr_codes_are_small_and_made_only_for_published_pages(built):
    codes = sorted(p.relative_to(built.site).as_posix() for p in built.site.rglob("qr.svg"))
    assert "sessions/2025/caogao/qr.svg" not in codes and not any("caogao" in c for c in codes)
    assert len(codes) == 4 + 31 + 4  # published sessions, and the 4 brands
    assert max((built.site / c).stat().st_size for c in codes) < 3000


def test_an_outcome_marks_its_last_answer_for_the_printed_notice(built):
    tree = lxml_html.fromstring(built.page("sessions/2025/tingche/"))
    items = tree.cssselect("#sharing .hy-timeline__item")
    marked = [i for i, item in enumerate(items) if "hy-timeline__item--answer" in item.get("class")]
    assert len(items) == 3 and marked == [1]  # the claim has the note; the newest update (办理中) has none
    assert "牵头研究" in items[1].text_content()


def test_brand_notice_lists_this_years_sessions_of_the_brand_itself(built):
    tree = lxml_html.fromstring(built.page("platforms/qingdao/"))
    notice = tree.cssselect("section.hy-notice")[0]
    assert notice.cssselect("h2")[0].text_content() == "2025年本平台协商活动"  # the build date's year
    rows = [li.text_content() for li in notice.cssselect("li")]
    assert len(rows) == 2
    assert "推进共享停车" in rows[0] and "已召开" in rows[0] and "第4期" in rows[0] and "青岛日报社" in rows[0]
    assert "年度协商：养老服务" in rows[1] and "筹备中" in rows[1]
    text = notice.text_content()
    assert "市北区的活动" not in text and "去年的活动" not in text and "草稿活动" not in text
    facts = {div.cssselect("dt")[0].text_content(): div.cssselect("dd")[0].text_content() for div in tree.cssselect(".hy-card__notice")}
    assert facts == {"活动地点": "青岛市政协委员联络活动工作室", "开放时间": "工作日 9:00—17:00", "联系方式": "12345（青岛市12345政务服务便民热线）"}


def test_a_brand_with_nothing_of_its_own_this_year_says_so(built):
    notice = lxml_html.fromstring(built.page("platforms/shandong/")).cssselect("section.hy-notice")[0]
    assert "2025年本平台尚无已公布的协商活动" in notice.text_content()  # its sub-brands' sessions are theirs


def test_a_long_year_is_cut_to_what_a_notice_holds(built):
    notice = lxml_html.fromstring(built.page("platforms/zhejiang/")).cssselect("section.hy-notice")[0]
    rows = [li.text_content() for li in notice.cssselect("li")]
    assert len(rows) == 30 and "浙江第1期" in rows[0] and "浙江第30期" in rows[-1]
    assert "另有 1 期，扫描二维码查看全部" in notice.text_content()
