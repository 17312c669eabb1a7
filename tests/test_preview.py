"""Partial previews of a large site: staff render only their platforms or years, and are told so."""

from __future__ import annotations

import os

import pytest
from sitebuilder import BuildResult, SiteFolder, outcome, session


def write_corpus(site: SiteFolder) -> None:
    site.write("sessions/2021/qingdao-tingche.md", session(
        "青岛：停车", "qingdao", "2021-04-02",
        [outcome("a", "增设停车泊位", ["市住建局"], ("2021-04-02", "submitted"))]))
    site.write("sessions/2024/shibei-yanglao.md", session("市北：养老", "shibei", "2024-05-01"))
    site.write("sessions/2021/shibei-jiaoyu.md", session("市北：教育", "shibei", "2021-06-01"))
    site.write("sessions/2024/zhejiang-wenlv.md", session("浙江：文旅", "zhejiang", "2024-06-01"))


def build_with(site: SiteFolder, strict: bool = False, **variables: str) -> BuildResult:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in variables.items():
            patch.setenv(name, value)
        return site.build(strict=strict)


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    site = SiteFolder(tmp_path_factory.mktemp("preview"))
    write_corpus(site)
    # qingdao includes its sub-brand shibei; 2024 leaves qingdao's 2021 session out.
    result = build_with(site, HUIYIN_ONLY_PLATFORMS="qingdao", HUIYIN_ONLY_YEARS="2024")
    assert result.returncode == 0, result.log
    return result


def test_only_the_chosen_platforms_and_years_are_rendered(preview: BuildResult) -> None:
    assert preview.exists("sessions/2024/shibei-yanglao/")
    assert not preview.exists("sessions/2021/qingdao-tingche/")  # other year
    assert not preview.exists("sessions/2021/shibei-jiaoyu/")  # other year
    assert not preview.exists("sessions/2024/zhejiang-wenlv/")  # other platform
    archive = preview.page("sessions/")
    assert "市北：养老" in archive and "浙江：文旅" not in archive


def test_the_log_says_loudly_that_this_is_a_partial_preview(preview: BuildResult) -> None:
    assert "WARNING" in preview.log and "局部预览" in preview.log
    assert "只生成 1 / 4 场协商活动" in preview.log
    assert "不要发布" in preview.log


def test_a_strict_build_refuses_to_produce_a_partial_site(tmp_path) -> None:
    site = SiteFolder(tmp_path)
    write_corpus(site)
    result = build_with(site, strict=True, HUIYIN_ONLY_YEARS="2024")
    assert result.returncode != 0
    assert "局部预览" in result.log


def test_validation_still_reads_the_whole_corpus(tmp_path) -> None:
    site = SiteFolder(tmp_path)
    write_corpus(site)
    site.write("sessions/2021/broken.md", session("坏记录", "zhejiang", "2021-02-30"))
    result = build_with(site, HUIYIN_ONLY_PLATFORMS="shibei")
    assert result.returncode != 0
    assert "broken.md" in result.log


def test_an_unknown_platform_is_named_with_close_slugs(tmp_path) -> None:
    site = SiteFolder(tmp_path)
    write_corpus(site)
    result = build_with(site, HUIYIN_ONLY_PLATFORMS="shibie")
    assert result.returncode != 0
    assert "HUIYIN_ONLY_PLATFORMS 中的平台「shibie」不存在" in result.log and "shibei" in result.log
    assert "Traceback" not in result.log


def test_without_the_variables_the_whole_site_is_built(tmp_path) -> None:
    assert "HUIYIN_ONLY_PLATFORMS" not in os.environ
    site = SiteFolder(tmp_path)
    write_corpus(site)
    result = site.build()
    assert result.returncode == 0, result.log
    assert "局部预览" not in result.log
    assert all(result.exists(p) for p in ["sessions/2021/qingdao-tingche/", "sessions/2024/zhejiang-wenlv/"])
