"""At provincial scale no list page grows past what a phone can open: long lists get pages of their own."""

from __future__ import annotations

import re
from datetime import date

import pytest
from huiyin.core.records.entities import Platform, Session
from huiyin.core.records.vocab import Level
from huiyin.core.views import session_lists
from sitebuilder import BuildResult, SiteFolder, session

MANY = session_lists.SHOWN + 20


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    site = SiteFolder(tmp_path_factory.mktemp("lists"))
    for n in range(MANY):
        day = date(2021, 1, 1).toordinal() + n
        site.write(f"sessions/2021/s{n:03d}.md", session(f"第{n:03d}号议题", "shibei", date.fromordinal(day).isoformat()))
    site.write("sessions/2022/yiqi.md", session("二〇二二年的议题", "zhejiang", "2022-03-01"))
    result = site.build()
    assert result.returncode == 0, result.log
    return result


def session_links(html: str) -> set[str]:
    return set(re.findall(r'href="[./]*(?:sessions/)?(?:2021/)?(s\d{3})/"', html))


def test_the_archive_shows_the_newest_of_a_long_year_and_links_to_the_whole_year(built: BuildResult) -> None:
    archive = built.page("sessions/")
    assert len(session_links(archive)) == session_lists.SHOWN
    assert f"s{MANY - 1:03d}" in session_links(archive)  # newest first
    assert f"查看2021年全部 {MANY} 期" in archive and 'href="2021/"' in archive
    assert "二〇二二年的议题" in archive  # a short year is shown whole, without a year page
    assert not built.exists("sessions/2022/")


def test_the_year_page_lists_every_session_of_the_year(built: BuildResult) -> None:
    year = built.page("sessions/2021/")
    assert len(session_links(year)) == MANY
    assert "2021年协商活动" in year and f"共 {MANY} 期" in year


def test_a_full_list_says_what_it_lists_when_shared(built: BuildResult) -> None:
    """Its own description (not the site's), as the archive and brand pages have theirs."""
    for path, title in (("sessions/2021/", "2021年协商活动"), ("platforms/shibei/sessions/", "市北议事厅 · 全部协商活动")):
        found = re.findall(r'<meta name="description" content="([^"]*)"', built.page(path))
        assert found == [f"{title}：共{MANY}期协商活动，最新的在前。"], path


def test_brand_pages_show_the_newest_and_link_to_the_full_list(built: BuildResult) -> None:
    for slug in ("shibei", "qingdao", "shandong"):  # the brand, and the brands above it
        brand = built.page(f"platforms/{slug}/")
        assert len(session_links(brand)) == session_lists.SHOWN, slug
        assert f"查看全部 {MANY} 期" in brand, slug
        assert len(session_links(built.page(f"platforms/{slug}/sessions/"))) == MANY, slug
    assert not built.exists("platforms/zhejiang/sessions/")


def test_list_pages_stay_out_of_the_navigation(built: BuildResult) -> None:
    home = built.page("")
    assert "2021年协商活动" not in home


def test_a_list_longer_than_a_page_is_split_into_numbered_pages() -> None:
    platform = Platform("p", "平台", Level.CITY, "地区", "platforms/p.md")
    sessions = [Session(f"2021/s{n}", f"s{n}", 2021, f"sessions/2021/s{n}.md", f"议题{n}", platform, date(2021, 1, 1))
                for n in range(session_lists.PAGE_SIZE * 2 + 5)]
    pages = session_lists.list_pages(sessions, "sessions/2021/", "2021年协商活动", ("协商活动", "sessions/"), True)
    assert [p.src_uri for p in pages] == ["sessions/2021/index.md", "sessions/2021/page/2/index.md",
                                          "sessions/2021/page/3/index.md"]
    assert [len(p.view.sessions) for p in pages] == [session_lists.PAGE_SIZE, session_lists.PAGE_SIZE, 5]
    assert pages[2].view.pager.previous == "sessions/2021/page/2/"
    assert pages[1].title == "2021年协商活动（第 2 页）"
    assert not any(p.in_nav for p in pages)
