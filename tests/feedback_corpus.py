"""A small hand-made corpus for the feedback list, figures and open data tests.

Written only from the content model. "Now" is the harness's fixed
SOURCE_DATE_EPOCH: 2025-11-21 (Asia/Shanghai). The right answers are worked
out by hand below, next to the records, and the tests assert them.

Published outcomes (list order: newest session first, then as written):

    global id                 status       departments              due         answered overdue
    2025/yanglao#zhucan       submitted    weijian (Trad. alias)    2026-01-31  no       no (not due yet)
    2025/yanglao#rijian       adopted      weijian, zhujian         2025-09-30  yes      YES (adopted is not concluded)
    2025/yanglao#yiyang       implemented  weijian                  —           yes      no
    2025/lajifenlei#fenlei    claimed      gongan                   —           no       no (no due date)
    2024/tingche#cuoshi       implemented  zhujian, gongan          2024-06-30  yes      no (concluded)
    2024/tingche#tingchelou   in_progress  zhujian                  2024-12-31  no       YES
    2024/tingche#mianfei      declined     gongan                   2024-04-30  yes      no (concluded)

Sessions: tingche (qingdao, 2024), yanglao (shibei, under qingdao, 2025),
lajifenlei (zhejiang, 2025). Also a draft and an embargoed session whose
outcomes would change every figure if they leaked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sitebuilder import DEPARTMENTS, BuildResult, SiteFolder, front_matter

NOW = "2025-11-21"


def update(day: str, status: str, note: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"date": day, "status": status, **({"note": note} if note else {}), **extra}


def outcome(oid: str, text: str, departments: list[str], updates: list[dict], due: str | None = None) -> dict:
    return {"id": oid, "text": text, "departments": departments, **({"due": due} if due else {}), "updates": updates}


TINGCHE = [
    # submitted → claimed (answer after 5 days) → implemented, written in Traditional (90 days to conclusion)
    outcome("cuoshi", "推动机关事业单位停车场错时向市民开放", ["市住建局", "市公安局"], [
        update("2024-03-15", "submitted"),
        update("2024-03-20", "claimed", "市住房城乡建设局已认领，牵头研究。"),
        update("2024-06-13", "已落實", "全市 37 个机关停车场错时开放。", documents=[
            {"title": "青岛市机关停车场错时开放实施方案", "url": "https://example.org/fangan"}]),
    ], due="2024-06-30"),
    # claimed silently, never answered, due long past
    outcome("tingchelou", "在老城区新建立体停车楼", ["青岛市住房和城乡建设局"], [
        update("2024-03-15", "submitted"),
        update("2024-04-01", "in_progress"),
    ], due="2024-12-31"),
    # declined with the required note, 30 days after submission
    outcome("mianfei", "老城区路边停车全部免费", ["市公安局"], [
        update("2024-03-15", "submitted"),
        update("2024-04-14", "declined", "路边停车收费用于调节周转，全部免费将加剧拥堵，不予采纳。"),
    ], due="2024-04-30"),
]

YANGLAO = [
    # only submitted (Traditional label), department by its Traditional alias, not yet due
    outcome("zhucan", "在每个社区设立老年助餐点", ["市衛生健康委"], [
        update("2025-06-01", "已交辦"),
    ], due="2026-01-31"),
    # adopted but not concluded, due date passed: overdue
    outcome("rijian", "扩建社区日间照料中心", ["市卫生健康委", "市住建局"], [
        update("2025-06-01", "submitted"),
        update("2025-06-11", "已認領", "市卫生健康委牵头研究。"),
        update("2025-07-01", "已採納", "纳入明年民生实事计划。"),
    ], due="2025-09-30"),
    # implemented, reopened, implemented again: concluded since 2025-08-09 (69 days); answered after 4 days
    outcome("yiyang", "推进医养结合服务进社区", ["青岛市卫生健康委员会"], [
        update("2025-06-01", "submitted"),
        update("2025-06-05", "in_progress", "已启动试点。"),
        update("2025-07-01", "implemented", "试点完成。"),
        update("2025-07-10", "in_progress", "群众反映服务未到位，重新办理。"),
        update("2025-08-09", "implemented", "整改完成，12 个社区开设医养服务站。"),
    ]),
]

LAJIFENLEI = [
    # text that looks like markup must print as text, never run
    outcome("fenlei", "完善垃圾分类投放点夜间照明 <script>alert('hy')</script> & 标识", ["市公安局"], [
        update("2025-02-10", "submitted"),
        update("2025-03-01", "claimed"),
    ]),
]

HIDDEN = [
    outcome("yincang", "不应出现在任何地方的建议", ["市公安局", "市卫生健康委"], [
        update("2025-01-01", "submitted"),
    ], due="2025-02-01"),
]


def session_file(title: str, platform: str, day: str, outcomes: list[dict], **extra: Any) -> str:
    meta = {"title": title, "platform": platform, "date": day, **extra, "outcomes": outcomes}
    return front_matter(meta, f"{title}的协商纪要。\n")


# A department that holds no outcome but attended a session: its page exists (the
# session page links to it) and says so; it is in no ranking.
JIAOTONG = {"slug": "qd-jiaotong", "name": "青岛市交通运输局", "aliases": ["市交通运输局"]}


def write_corpus(site: SiteFolder) -> None:
    site.write("departments.yml", yaml.safe_dump([*DEPARTMENTS, JIAOTONG], allow_unicode=True, sort_keys=False))
    site.write("sessions/2024/tingche.md", session_file(
        "破解停车难", "qingdao", "2024-03-10", TINGCHE, number=1, participants={"officials": ["市交通运输局", "市公安局"]}))
    site.write("sessions/2025/yanglao.md", session_file("社区养老服务", "shibei", "2025-05-20", YANGLAO, tags=["养老"]))
    site.write("sessions/2025/lajifenlei.md", session_file("垃圾分类", "zhejiang", "2025-02-01", LAJIFENLEI))
    site.write("sessions/2025/caogao.md", session_file("草稿活动", "qingdao", "2025-03-01", HIDDEN, draft=True))
    site.write(
        "sessions/2025/qianfa.md",
        session_file("禁发活动", "shibei", "2025-04-01", HIDDEN, publish_date="2026-01-01"),
    )


# Expected answers, by hand --------------------------------------------------

ALL_IDS = [
    "2025/yanglao#zhucan", "2025/yanglao#rijian", "2025/yanglao#yiyang",
    "2025/lajifenlei#fenlei",
    "2024/tingche#cuoshi", "2024/tingche#tingchelou", "2024/tingche#mianfei",
]
HIDDEN_TEXT = "不应出现在任何地方的建议"

DEPARTMENT_IDS = {
    "qd-zhujian": {"2024/tingche#cuoshi", "2024/tingche#tingchelou", "2025/yanglao#rijian"},
    "qd-gongan": {"2024/tingche#cuoshi", "2024/tingche#mianfei", "2025/lajifenlei#fenlei"},
    "qd-weijian": {"2025/yanglao#zhucan", "2025/yanglao#rijian", "2025/yanglao#yiyang"},
}


def anchor(global_id: str) -> str:
    """The href fragment a list row links to: sessions/<year>/<slug>/#<outcome id>."""
    session, oid = global_id.split("#")
    return f"sessions/{session}/#{oid}"


_builds: dict[str, BuildResult] = {}


def built_site(root: Path, key: str = "default", **options: Any) -> BuildResult:
    """Build the corpus once per test run and key (shared by the test modules)."""
    if key not in _builds:
        site = SiteFolder(root, plugin_options=options or None)
        write_corpus(site)
        result = site.build()
        assert result.returncode == 0, result.log
        _builds[key] = result
    return _builds[key]
