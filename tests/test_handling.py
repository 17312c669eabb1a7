"""Handling as 督办 offices run it, built from records written only from the contract
(*Handling*): lead departments, deadlines in working days, extensions, supervision,
follow-up. "Now" is the test builds' fixed 2025-11-21.

The expected deadlines are counted by hand on the State Council's notices:
2024 Spring Festival off 02-10…17 (make-up Sunday 02-04, Sunday 02-18), National
Day off 10-01…07 (make-up Sunday 09-29, Saturday 10-12).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from lxml import html as lxml_html
from sitebuilder import PLATFORMS, BuildResult, SiteFolder, front_matter, session


def update(day: str, status: str, note: str = "", **extra: Any) -> dict[str, Any]:
    return {"date": day, "status": status, **({"note": note} if note else {}), **extra}


OUTCOMES_2024 = [
    # 5 working days from Friday 09-27: Sun 09-29 (make-up), 09-30, then 10-08, 10-09, 10-10.
    {"id": "wd", "text": "五个工作日跨国庆", "departments": ["市住建局", "市公安局"], "lead": "市住建局",
     "due_in": "5个工作日", "updates": [update("2024-09-27", "submitted"), update("2024-10-10", "implemented", "办结。")]},
    {"id": "late", "text": "晚一天办结", "departments": ["市公安局"], "due_in": "5 working days",
     "updates": [update("2024-09-27", "submitted"), update("2024-10-11", "implemented", "办结。")]},
    # One month from 09-01 is 10-01, a holiday: the next working day, 10-08.
    {"id": "month-holiday", "text": "一个月落在国庆", "departments": ["市卫生健康委"], "due_in": "1個月",
     "updates": [update("2024-09-01", "submitted")]},
    # 2024-01-31 + 1 month: February has no 31st, so its last day, Thursday 02-29.
    {"id": "month-end", "text": "月末加一个月", "departments": ["市卫生健康委"], "due_in": "1 month",
     "updates": [update("2024-01-31", "submitted")]},
    # The platform's answer_within (15个工作日) from Monday 02-05, across the Spring Festival
    # and its make-up Sunday 02-18: 02-06…09 (4), 02-18…23 (10), 02-26…03-01 (15).
    {"id": "platform-default", "text": "按平台默认期限", "departments": ["市公安局"],
     "updates": [update("2024-02-05", "submitted")]},
]

OUTCOMES_2025 = [
    {"id": "extended", "text": "经批准延期", "departments": ["市住建局"], "due": "2025-06-30",
     "updates": [update("2025-01-10", "submitted"),
                 update("2025-06-20", "in_progress", "涉及管线迁改，经批准延期。", extend_to="2025-12-31")]},
    {"id": "followed-up", "text": "回访不满意后重新办理", "departments": ["市公安局"],
     "supervision": {"kind": "挂牌督办", "by": "市政府办公厅", "since": "2025-03-01"},
     "updates": [update("2025-02-03", "submitted"), update("2025-03-01", "implemented", "已办结。"),
                 update("2025-03-20", "in_progress", "回访中群众不满意，重新办理。", satisfaction="不满意"),
                 update("2025-05-06", "implemented", "整改完成。"),
                 update("2025-05-20", "implemented", "二次回访满意。", satisfaction="satisfied")]},
]

# 25 working days from 2026-12-10 run into 2027 (15 would end on 12-31), whose notice the calendar lacks.
OUTCOMES_2026 = [
    {"id": "unknown-year", "text": "跨入未公布的年份", "departments": ["市住建局"], "due_in": "25个工作日",
     "updates": [update("2026-12-10", "submitted")]},
]


def write_corpus(site: SiteFolder) -> None:
    qingdao = {**PLATFORMS["qingdao"], "answer_within": "15个工作日"}
    site.write("platforms/qingdao.md", front_matter(qingdao, "倾听与商量简介。\n"))
    site.write("sessions/2024/duban.md", session("督办示例", "qingdao", "2024-01-20", OUTCOMES_2024))
    site.write("sessions/2025/duban.md", session("督办示例二", "qingdao", "2025-01-05", OUTCOMES_2025))
    site.write("sessions/2026/duban.md", session("督办示例三", "shibei", "2026-12-01", OUTCOMES_2026, stage="planned"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    site = SiteFolder(tmp_path_factory.mktemp("handling"))
    write_corpus(site)
    result = site.build()
    assert result.returncode == 0, result.log
    return result


@pytest.fixture(scope="module")
def data(built: BuildResult) -> dict[str, dict[str, Any]]:
    return {o["id"].split("#")[1]: o for o in json.loads(built.page("data/outcomes.json"))}


def outcome_block(built: BuildResult, page: str, oid: str) -> Any:
    return lxml_html.fromstring(built.page(page)).get_element_by_id(oid)


def text_of(element: Any) -> str:
    return " ".join(element.text_content().split())


@pytest.mark.parametrize("page, oid, deadline", [
    ("sessions/2024/duban/", "wd", "2024-10-10"),
    ("sessions/2024/duban/", "late", "2024-10-10"),
    ("sessions/2024/duban/", "month-holiday", "2024-10-08"),
    ("sessions/2024/duban/", "month-end", "2024-02-29"),
    ("sessions/2024/duban/", "platform-default", "2024-03-01"),
    ("sessions/2025/duban/", "extended", "2025-12-31"),
])
def test_the_deadline_shown_is_the_one_the_contract_computes(built, data, page, oid, deadline):
    block = outcome_block(built, page, oid)
    shown = block.cssselect(".hy-outcome__meta time")
    assert deadline in [t.get("datetime") for t in shown], text_of(block)
    assert data[oid]["due"] == deadline


def test_overdue_follows_the_effective_deadline(built, data):
    overdue = {oid for oid, o in data.items() if o["overdue"]}
    assert overdue == {"month-holiday", "month-end", "platform-default"}
    assert "已逾期" in text_of(outcome_block(built, "sessions/2024/duban/", "month-holiday"))
    # extended to 2025-12-31: past its original 06-30, but not late
    assert "已逾期" not in text_of(outcome_block(built, "sessions/2025/duban/", "extended"))


def test_on_time_is_told_only_where_it_can_be(data):
    assert {oid: o["on_time"] for oid, o in data.items()} == {
        "wd": True, "late": False, "month-holiday": False, "month-end": False, "platform-default": False,
        "extended": None,  # open, and its extended deadline is still ahead
        # the conclusion that stands is 05-06, long after 15 working days from 02-03
        "followed-up": False,
        "unknown-year": None,  # not due yet
    }


def test_an_extension_shows_the_deadline_it_replaced(built, data):
    shown = text_of(outcome_block(built, "sessions/2025/duban/", "extended"))
    assert "原定 2025年6月30日，经批准延期至 2025年12月31日" in shown
    assert "延期至 2025年12月31日" in shown  # in the timeline too
    assert (data["extended"]["due_original"], data["extended"]["extended"]) == ("2025-06-30", True)


def test_lead_and_assisting_departments(built, data):
    shown = text_of(outcome_block(built, "sessions/2024/duban/", "wd"))
    assert "主办：青岛市住房和城乡建设局" in shown and "协办：青岛市公安局" in shown
    assert {oid: o["lead"] for oid, o in data.items() if oid in ("wd", "late")} == {"wd": "qd-zhujian", "late": "qd-gongan"}
    # no lead written: the 承办单位 line as always
    assert "承办单位：青岛市公安局" in text_of(outcome_block(built, "sessions/2024/duban/", "late"))


def test_supervision_reopening_and_follow_up(built, data):
    shown = text_of(outcome_block(built, "sessions/2025/duban/", "followed-up"))
    for words in ("挂牌督办", "市政府办公厅", "2025年3月1日起", "重新办理", "回访：不满意", "回访：满意"):
        assert words in shown, words
    record = data["followed-up"]
    assert record["supervision"] == {"kind": "listed", "by": "市政府办公厅", "since": "2025-03-01"}
    assert (record["satisfaction"], record["reopened"]) == ("satisfied", True)
    assert [u.get("satisfaction") for u in record["updates"]] == [None, None, "dissatisfied", None, "satisfied"]


def test_the_feedback_list_narrows_to_supervised_and_reopened(built):
    for path in ("feedback/supervised/", "feedback/reopened/"):
        links = lxml_html.fromstring(built.page(path)).cssselect(".hy-fb-item__text a")
        assert [a.get("href").split("#")[1] for a in links] == ["followed-up"], path
    menu = lxml_html.fromstring(built.page("feedback/")).cssselect("nav.hy-fb-filters")[0]
    assert "督办" in text_of(menu) and "重新办理" in text_of(menu)


def test_on_time_and_satisfaction_rates(built):
    page = lxml_html.fromstring(built.page("feedback/"))
    cards = {text_of(c.cssselect(".hy-figure__label")[0]): text_of(c.cssselect(".hy-figure__value")[0])
             for c in page.cssselect(".hy-figure")}
    assert cards["按期办结率"] == "16.7%"  # 1 of the 6 with a deadline that is due or met
    assert cards["满意率"] == "100.0%"  # the one outcome followed up, satisfied at last


def test_departments_ranked_by_on_time_rate_and_roles_split(built):
    ranking = lxml_html.fromstring(built.page("feedback/departments/")).cssselect("table.hy-ranking--on-time")[0]
    assert "按期办结率" in text_of(ranking)
    roles = lxml_html.fromstring(built.page("feedback/departments/qd-gongan/")).cssselect("table.hy-roles")[0]
    rows = {r.cssselect("th")[0].text_content(): r.cssselect("td")[0].text_content() for r in roles.cssselect("tbody tr")}
    assert rows == {"主办": "3", "协办": "1"}  # late, platform-default, followed-up lead; wd assists


def test_a_year_without_a_notice_is_estimated_and_said_once(built):
    assert built.log.count("尚未录入 2027 年的节假日安排") == 1, built.log
    # planned sessions are published, and so is their outcome's deadline: marked 预计
    shown = text_of(outcome_block(built, "sessions/2026/duban/", "unknown-year"))
    assert "预计" in shown


def test_the_csv_carries_the_scalar_handling_columns(built):
    rows = {r["id"].split("#")[1]: r for r in csv.DictReader(io.StringIO(built.page("data/outcomes.csv").lstrip("\ufeff")))}
    assert rows["followed-up"]["supervision"] == "listed"
    assert rows["wd"]["lead"] == "qd-zhujian" and rows["wd"]["on_time"] == "true"
    assert rows["unknown-year"]["due_estimated"] == "true"


# -- mistakes -------------------------------------------------------------------

MISTAKES = {
    "lead-elsewhere": ({"lead": "市卫生健康委"}, "不在本条建议的承办单位"),
    "due-and-due-in": ({"due": "2025-06-30", "due_in": "15个工作日"}, "只能写一个"),
    "bad-period": ({"due_in": "两周"}, "期限写法无法识别"),
    "bad-supervision": ({"supervision": {"kind": "特别督办"}}, "不在可选范围内"),
}
UPDATE_MISTAKES = {
    "extension-without-reason": ([update("2025-01-10", "submitted"), update("2025-02-01", "in_progress", extend_to="2025-12-31")],
                                 "延期（extend_to）必须写明原因"),
    "extension-earlier": ([update("2025-01-10", "submitted"), update("2025-02-01", "in_progress", "延期。", extend_to="2025-03-01")],
                          "不晚于它取代的答复期限"),
    "dissatisfied-concluded": ([update("2025-01-10", "submitted"), update("2025-02-01", "implemented", "回访。", satisfaction="不满意")],
                               "回访不满意时，状态不能是办结状态"),
    "moved-back-silently": ([update("2025-01-10", "submitted"), update("2025-02-01", "implemented", "办结。"),
                             update("2025-03-01", "in_progress")], "改回「办理中」时必须写明原因"),
}


def test_each_handling_mistake_is_reported_with_its_file_in_one_run(tmp_path):
    site = SiteFolder(tmp_path)
    for slug, (extra, _) in MISTAKES.items():
        record = {"id": "a", "text": "建议", "departments": ["市住建局", "市公安局"], **extra,
                  "updates": [update("2025-01-10", "submitted")]}
        site.write(f"sessions/2025/{slug}.md", session("议题", "qingdao", "2025-01-05", [record]))
    for slug, (updates, _) in UPDATE_MISTAKES.items():
        record = {"id": "a", "text": "建议", "departments": ["市住建局"], "due": "2025-06-30", "updates": updates}
        site.write(f"sessions/2025/{slug}.md", session("议题", "qingdao", "2025-01-05", [record]))
    result = site.build()
    assert result.returncode != 0
    assert "Traceback" not in result.log
    lines = result.log.splitlines()
    for slug, (_, message) in {**MISTAKES, **UPDATE_MISTAKES}.items():
        found = [line for line in lines if f"sessions/2025/{slug}.md:" in line]
        assert found and any(message in line for line in found), (slug, found)
