"""Open data (/data/outcomes.json, /data/outcomes.csv, /data/sessions.json), as a
journalist downloads them, on the hand-made corpus of tests/feedback_corpus.py."""

from __future__ import annotations

import csv
import io
import json

import lxml.html
import pytest
import yaml
from feedback_corpus import ALL_IDS, HIDDEN_TEXT, built_site
from sitebuilder import REPO, BuildResult

SITE = "https://huiyin.example.org/"

# Hand-worked answers for every outcome: (status, overdue, answered, concluded, claimed, adopted, departments, due)
EXPECTED = {
    "2025/yanglao#zhucan": ("submitted", False, False, False, False, False, ["qd-weijian"], "2026-01-31"),
    "2025/yanglao#rijian": ("adopted", True, True, False, True, True, ["qd-weijian", "qd-zhujian"], "2025-09-30"),
    "2025/yanglao#yiyang": ("implemented", False, True, True, True, True, ["qd-weijian"], None),
    "2025/lajifenlei#fenlei": ("claimed", False, False, False, True, False, ["qd-gongan"], None),
    "2024/tingche#cuoshi": ("implemented", False, True, True, True, True, ["qd-zhujian", "qd-gongan"], "2024-06-30"),
    "2024/tingche#tingchelou": ("in_progress", True, False, False, True, False, ["qd-zhujian"], "2024-12-31"),
    "2024/tingche#mianfei": ("declined", False, True, True, True, False, ["qd-gongan"], "2024-04-30"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return built_site(tmp_path_factory.mktemp("feedback"))


@pytest.fixture(scope="module")
def outcomes(built: BuildResult) -> list[dict]:
    return json.loads((built.site / "data/outcomes.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def csv_rows(built: BuildResult) -> tuple[bytes, list[dict[str, str]]]:
    raw = (built.site / "data/outcomes.csv").read_bytes()
    return raw, list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_outcomes_json_has_every_published_outcome_once(outcomes):
    assert [o["id"] for o in outcomes] == ALL_IDS


@pytest.mark.parametrize("global_id", ALL_IDS)
def test_outcome_derived_fields(outcomes, global_id):
    record = next(o for o in outcomes if o["id"] == global_id)
    status, overdue, answered, concluded, claimed, adopted, departments, due = EXPECTED[global_id]
    assert record["status"] == status
    assert (record["overdue"], record["answered"], record["concluded"]) == (overdue, answered, concluded)
    assert (record["claimed"], record["adopted"]) == (claimed, adopted)
    assert record["departments"] == departments
    assert record["due"] == due
    session, oid = global_id.split("#")
    assert record["session"] == session
    assert record["url"] == f"{SITE}sessions/{session}/#{oid}"


def test_outcome_record_in_full(outcomes):
    cuoshi = next(o for o in outcomes if o["id"] == "2024/tingche#cuoshi")
    assert cuoshi == {
        "id": "2024/tingche#cuoshi",
        "session": "2024/tingche",
        "platform": "qingdao",
        "text": "推动机关事业单位停车场错时向市民开放",
        "departments": ["qd-zhujian", "qd-gongan"],
        "status": "implemented",  # written 已落實
        "due": "2024-06-30",
        "claimed": True,
        "answered": True,
        "adopted": True,
        "concluded": True,
        "overdue": False,
        "updates": [
            {"date": "2024-03-15", "status": "submitted", "note": "", "documents": []},
            {"date": "2024-03-20", "status": "claimed", "note": "市住房城乡建设局已认领，牵头研究。", "documents": []},
            {"date": "2024-06-13", "status": "implemented", "note": "全市 37 个机关停车场错时开放。", "documents": [
                {"title": "青岛市机关停车场错时开放实施方案", "url": "https://example.org/fangan"}]},
        ],
        "url": "https://huiyin.example.org/sessions/2024/tingche/#cuoshi",
        # The contract's Handling additions: two departments and no lead written, so no lead;
        # concluded 2024-06-13, before its due date.
        "lead": None, "due_original": "2024-06-30", "due_estimated": False, "extended": False,
        "supervision": None, "satisfaction": None, "reopened": False, "on_time": True,
    }


def test_traditional_labels_become_english_values(outcomes):
    rijian = next(o for o in outcomes if o["id"] == "2025/yanglao#rijian")
    assert [u["status"] for u in rijian["updates"]] == ["submitted", "claimed", "adopted"]  # 已認領, 已採納
    zhucan = next(o for o in outcomes if o["id"] == "2025/yanglao#zhucan")
    assert [u["status"] for u in zhucan["updates"]] == ["submitted"]  # 已交辦


def test_csv_has_a_bom_a_header_and_one_row_per_outcome(csv_rows):
    raw, rows = csv_rows
    assert raw.startswith(b"\xef\xbb\xbf")
    header = raw.decode("utf-8-sig").splitlines()[0].split(",")
    assert header[:3] == ["id", "session", "session_title"] and "updates" not in header
    assert [r["id"] for r in rows] == ALL_IDS


def test_csv_rows_match_the_json_joined_with_the_lookup_tables(csv_rows, outcomes, built):
    """The CSV is the JSON flattened, with the names a JSON reader finds by slug."""
    _, rows = csv_rows
    tables = {name: json.loads((built.site / f"data/{name}.json").read_text(encoding="utf-8"))
              for name in ("sessions", "platforms", "departments")}
    sessions = {s["id"]: s for s in tables["sessions"]}
    platforms = {p["slug"]: p for p in tables["platforms"]}
    departments = {d["slug"]: d for d in tables["departments"]}
    labels = {"implemented": "已落实", "adopted": "已采纳", "claimed": "已认领", "submitted": "已交办",
              "in_progress": "办理中", "declined": "未采纳"}
    for record, row in zip(outcomes, rows):
        joined = {
            **record,
            "session_title": sessions[record["session"]]["title"],
            "session_date": sessions[record["session"]]["date"],
            "platform_name": platforms[record["platform"]]["name"],
            "department_names": [departments[slug]["name"] for slug in record["departments"]],
            "status_label": labels[record["status"]],
            "last_update": record["updates"][-1]["date"],
        }
        for column, value in row.items():
            expected = joined[column]
            if isinstance(expected, bool):
                expected = "true" if expected else "false"
            elif isinstance(expected, list):
                expected = ";".join(expected)
            elif expected is None:
                expected = ""
            assert value == expected, (record["id"], column)


def test_csv_joins_lists_with_semicolons(csv_rows):
    _, rows = csv_rows
    cuoshi = next(r for r in rows if r["id"] == "2024/tingche#cuoshi")
    assert cuoshi["departments"] == "qd-zhujian;qd-gongan"
    assert cuoshi["department_names"] == "青岛市住房和城乡建设局;青岛市公安局"
    assert (cuoshi["status"], cuoshi["overdue"], cuoshi["concluded"]) == ("implemented", "false", "true")
    yiyang = next(r for r in rows if r["id"] == "2025/yanglao#yiyang")
    assert yiyang["due"] == ""


def test_sessions_json(built):
    sessions = json.loads((built.site / "data/sessions.json").read_text(encoding="utf-8"))
    assert [{k: s[k] for k in ("id", "title", "platform", "date", "number", "stage", "tags", "outcomes", "url")}
            for s in sessions] == [
        {"id": "2025/yanglao", "title": "社区养老服务", "platform": "shibei", "date": "2025-05-20", "number": None,
         "stage": "held", "tags": ["养老"], "outcomes": 3, "url": f"{SITE}sessions/2025/yanglao/"},
        {"id": "2025/lajifenlei", "title": "垃圾分类", "platform": "zhejiang", "date": "2025-02-01", "number": None,
         "stage": "held", "tags": [], "outcomes": 1, "url": f"{SITE}sessions/2025/lajifenlei/"},
        {"id": "2024/tingche", "title": "破解停车难", "platform": "qingdao", "date": "2024-03-10", "number": 1,
         "stage": "held", "tags": [], "outcomes": 3, "url": f"{SITE}sessions/2024/tingche/"},
    ]


def test_platform_and_department_tables(built):
    platforms = json.loads((built.site / "data/platforms.json").read_text(encoding="utf-8"))
    qingdao = next(p for p in platforms if p["slug"] == "qingdao")
    assert qingdao == {"slug": "qingdao", "name": "倾听与商量", "level": "city", "region": "山东省青岛市",
                       "parent": "shandong", "url": f"{SITE}platforms/qingdao/"}
    departments = json.loads((built.site / "data/departments.json").read_text(encoding="utf-8"))
    assert {"slug": "qd-gongan", "name": "青岛市公安局", "aliases": ["市公安局"]} in departments


def test_nothing_unpublished_in_the_data(built):
    for name in ["outcomes.json", "outcomes.csv", "sessions.json", "platforms.json", "departments.json"]:
        data = (built.site / "data" / name).read_text(encoding="utf-8-sig")
        assert HIDDEN_TEXT not in data and "草稿活动" not in data and "禁发活动" not in data, name


def test_feedback_page_links_the_data_with_fields_and_licence(built):
    page = lxml.html.fromstring(built.page("feedback/"))
    links = [a.get("href") for a in page.cssselect(".hy-open-data a")]
    assert links == ["../data/outcomes.json", "../data/outcomes.csv", "../data/sessions.json",
                     "../data/platforms.json", "../data/departments.json"]
    fields = page.cssselect(".hy-open-data__fields")[0].text_content()
    for field in ["id", "departments", "status", "overdue", "answered", "concluded", "updates", "url", "in_progress"]:
        assert field in fields, field
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    licence = next(p["huiyin"] for p in config["plugins"] if isinstance(p, dict) and "huiyin" in p)["data_license"]
    assert licence and page.cssselect(".hy-license")[0].text_content() == licence
