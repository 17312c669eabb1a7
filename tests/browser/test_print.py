"""Printing in a real browser: Chromium prints the sample site's pages to PDF, as a member of staff
would for the noticeboard, and the PDF is read back.

A session page prints as its 公示 (title, facts card, every outcome with its status and last
answer, the QR code of its address) and a brand page as its venue notice (name, venue, hours,
contact, this year's sessions, the QR code); neither carries the site's navigation, search,
footer or 长辈版 switch. The PDF is read with poppler's tools (Debian's poppler-utils, which
./dev installs): its text with pdftotext, its pages rasterised with pdftoppm, and the QR code read
back from that image of the paper with zxing-cpp, so the test fails if the code is missing from the
print (a lazy or hidden image), unreadable, or of another address. Not pypdf: it takes the text of
Chromium's embedded Noto CJK subsets from their ToUnicode maps, which give radicals for common
characters (⻋ U+2ECB for 车, ⼈ U+2F08 for 人), so Chinese text would not match; poppler reads it
right. The PDFs and PNG renders of their pages land in test-artifacts/browser/ (print-*).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from browserkit import ARTIFACTS, PHONE, Visit, open_tab

pytestmark = pytest.mark.browser

SITE_URL = "https://huiyin.example.org/"  # mkdocs.yml's site_url: what the codes hold
SESSION = "sessions/2021/qtysl-04-tingche/"
BRAND = "platforms/yangguang-xieshang/"  # 日照「阳光协商」: venue, hours and contact, a session in 2025
# What only the screen has: tabs, search, the 长辈版 switch, the footer's link, the revision history.
NAVIGATION = ["协商平台", "结果反馈", "搜索", "长辈版", "开放数据", "Made with", "修订记录", "订阅"]


def poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.fail(f"找不到 {tool}：打印测试需要 Debian 的 poppler-utils 软件包。请运行 ./dev test（会自动安装），"
                    "或 apt-get install -y poppler-utils")
    return found


def print_page(visit: Visit, base_url: str, path: str, name: str) -> Path:
    """Open the page as a reader would and print it to an A4 PDF in test-artifacts/browser/."""
    response = visit.page.goto(base_url + path, wait_until="load")
    assert response is not None and response.ok
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / f"print-{name}.pdf"
    visit.page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    subprocess.run([poppler("pdftoppm"), "-png", "-r", "60", str(pdf), str(ARTIFACTS / f"print-{name}")], check=True)
    return pdf


def pdf_pages(pdf: Path) -> int:
    """How many pages, each checked to be A4 (Chromium rounds it to whole CSS pixels: 594.96 × 841.92 pt)."""
    info = subprocess.run([poppler("pdfinfo"), str(pdf)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"^Page size:.*\(A4\)$", info, re.MULTILINE), info
    pages = re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE)
    assert pages is not None, info
    return int(pages[1])


def pdf_text(pdf: Path) -> str:
    """The PDF's text with all white space taken out (lines break anywhere in Chinese)."""
    text = subprocess.run([poppler("pdftotext"), str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return re.sub(r"\s+", "", text)


def codes_on_paper(pdf: Path) -> list[str]:
    """Every QR code read from the PDF's pages rendered at 200 dpi in grey."""
    found: list[str] = []
    grey = subprocess.run([poppler("pdftoppm"), "-gray", "-r", "200", str(pdf)], check=True, capture_output=True).stdout
    while grey:  # one binary PGM (P5) after another, one a page
        header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", grey)
        assert header is not None, grey[:20]
        width, height, start = int(header[1]), int(header[2]), header.end()
        image = memoryview(grey[start:start + width * height]).cast("B", (height, width))
        found += [code.text for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
        grey = grey[start + width * height:]
    return found


def test_session_page_prints_as_its_notice(desktop: Visit, base_url: str) -> None:
    pdf = print_page(desktop, base_url, SESSION, "session")
    flat = pdf_text(pdf)
    assert pdf_pages(pdf) >= 1
    for expected in ["破解停车难：停车场规划建设与共享使用", "协商成果办理情况公示", "倾听与商量", "2021年3月18日",
                     "青岛市政协委员联络活动工作室", "推动机关事业单位停车场错时向市民开放",
                     "在老城区历史街区道路两侧大规模施划路内停车泊位", "已落实", "未采纳",
                     "老城区历史街区道路普遍狭窄", SITE_URL + SESSION]:
        assert expected in flat, expected
    # The newest update and the last answer stand; an earlier answer stays on the site.
    assert "路内泊位和公共停车场信息接入城市停车平台" not in flat
    for label in NAVIGATION:
        assert label not in flat, label
    assert SITE_URL + SESSION in codes_on_paper(pdf)


def test_brand_page_prints_as_its_venue_notice(desktop: Visit, base_url: str) -> None:
    pdf = print_page(desktop, base_url, BRAND, "brand")
    flat = pdf_text(pdf)
    for expected in ["阳光协商", "协商议事平台公示", "活动地点", "日照市政协委员工作室协商议事室", "开放时间",
                     "工作日8:30—12:00，14:00—17:30", "联系方式", "0633-12345", "2025年本平台协商活动",
                     "完善居家社区养老服务网络", SITE_URL + BRAND]:
        assert expected in flat, expected
    # A notice, not the brand's report: no figures, sub-brand lists or description.
    for absent in [*NAVIGATION, "办理情况（含下级平台）", "协商活动开展情况", "六有"]:
        assert absent not in flat, absent
    assert pdf_pages(pdf) == 1
    assert codes_on_paper(pdf) == [SITE_URL + BRAND]


@pytest.mark.parametrize("path", [SESSION, BRAND])
def test_in_print_media_the_code_is_shown_and_the_navigation_is_not(desktop: Visit, base_url: str, path: str) -> None:
    page = desktop.page
    page.goto(base_url + path, wait_until="load")
    page.emulate_media(media="print")
    code = page.get_by_role("img", name=f"本页网址二维码：{SITE_URL}{path}")
    assert code.is_visible()
    assert code.evaluate("image => image.complete && image.naturalWidth > 0")
    for hidden in [".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer", ".md-top", ".hy-elder-toggle"]:
        assert page.locator(hidden).first.is_hidden(), hidden
    page.emulate_media(media="screen")
    assert code.is_visible()  # on a wide screen at the foot of the page, to carry the page to a phone
    assert desktop.offsite_requests() == []


def test_on_a_phone_the_code_waits_for_print(browser: object, base_url: str) -> None:
    """A phone already shows the page: no code on screen, but the file is fetched (≈ 2 KB) so that printing from it works."""
    visit = open_tab(browser, PHONE)
    try:
        sizes: dict[str, int] = {}
        visit.page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())) if r.url.endswith("qr.svg") else None)
        visit.page.goto(base_url + SESSION, wait_until="networkidle")
        code = visit.page.locator("img.hy-qr__image")
        assert code.is_hidden()
        assert list(sizes) == [base_url + SESSION + "qr.svg"] and sizes[base_url + SESSION + "qr.svg"] < 3000
        visit.page.emulate_media(media="print")
        assert code.is_visible() and code.evaluate("image => image.naturalWidth > 0")
    finally:
        visit.page.context.close()
