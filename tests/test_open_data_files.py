"""The whole chain as a table, files per year, the data package and the /data/ page, as a
journalist's tools read them: csv, json, frictionless. Corpus: tests/feedback_corpus.py
(written from the content model), plus a small site for cells that look like formulas."""

from __future__ import annotations

import csv
import io
import json
import shutil
import socket
from pathlib import Path

import frictionless
import lxml.html
import pytest
from feedback_corpus import ALL_IDS, HIDDEN_TEXT, built_site
from sitebuilder import BuildResult, SiteFolder, session

SITE = "https://huiyin.example.org/"
UPDATE_COLUMNS = ["outcome", "session", "platform", "position", "date", "status", "status_label", "note",
                  "extend_to", "satisfaction", "document_titles", "document_urls"]
# Sessions of the corpus by year (published only: the draft and the embargoed session are 2025 too).
SESSIONS_BY_YEAR = {2024: ["2024/tingche"], 2025: ["2025/yanglao", "2025/lajifenlei"]}
UPDATE_COUNTS = {"2025/yanglao#zhucan": 1, "2025/yanglao#rijian": 3, "2025/yanglao#yiyang": 5,
                 "2025/lajifenlei#fenlei": 2, "2024/tingche#cuoshi": 3, "2024/tingche#tingchelou": 2,
                 "2024/tingche#mianfei": 2}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return built_site(tmp_path_factory.mktemp("feedback"))


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), path  # the BOM spreadsheet software needs
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def read_json(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def data_files(site: Path) -> list[str]:
    return sorted(p.relative_to(site / "data").as_posix() for p in (site / "data").rglob("*")
                  if p.suffix in (".csv", ".json") and p.name != "datapackage.json")


# -- updates.csv ----------------------------------------------------------------------


def test_updates_csv_has_one_row_per_update_of_every_published_outcome(built):
    header, rows = read_csv(built.site / "data/updates.csv")
    assert header == UPDATE_COLUMNS
    assert len(rows) == sum(UPDATE_COUNTS.values())
    outcomes_in_order = list(dict.fromkeys(r["outcome"] for r in rows))
    assert outcomes_in_order == ALL_IDS  # the order of outcomes.csv
    for global_id, count in UPDATE_COUNTS.items():
        positions = [int(r["position"]) for r in rows if r["outcome"] == global_id]
        assert positions == list(range(1, count + 1)), global_id  # oldest first, together


def test_updates_csv_rows_are_the_updates_of_outcomes_json(built):
    _, rows = read_csv(built.site / "data/updates.csv")
    labels = {"submitted": "已交办", "claimed": "已认领", "in_progress": "办理中", "adopted": "已采纳",
              "implemented": "已落实", "declined": "未采纳"}
    expected = []
    for outcome in read_json(built.site / "data/outcomes.json"):
        for position, update in enumerate(outcome["updates"], start=1):
            expected.append({
                "outcome": outcome["id"], "session": outcome["session"], "platform": outcome["platform"],
                "position": str(position), "date": update["date"], "status": update["status"],
                "status_label": labels[update["status"]], "note": update["note"], "extend_to": "", "satisfaction": "",
                "document_titles": ";".join(d["title"] for d in update["documents"]),
                "document_urls": ";".join(d["url"] or "" for d in update["documents"]),
            })
    assert rows == expected


def test_a_document_and_a_traditional_status_in_updates_csv(built):
    _, rows = read_csv(built.site / "data/updates.csv")
    done = next(r for r in rows if r["outcome"] == "2024/tingche#cuoshi" and r["position"] == "3")
    assert (done["date"], done["status"], done["status_label"]) == ("2024-06-13", "implemented", "已落实")  # written 已落實
    assert done["document_titles"] == "青岛市机关停车场错时开放实施方案"
    assert done["document_urls"] == "https://example.org/fangan"


@pytest.fixture(scope="module")
def tricky(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """Notes and titles a spreadsheet would run as formulas; documents with and without links."""
    site = SiteFolder(tmp_path_factory.mktemp("tricky"))
    site.write("sessions/2023/gongshi.md", session("=议题", "qingdao", "2023-05-06", outcomes=[{
        "id": "a", "text": "+建议", "departments": ["市公安局"], "updates": [
            {"date": "2023-05-07", "status": "submitted", "note": "=HYPERLINK(\"http://evil.example\",\"点我\")"},
            {"date": "2023-05-08", "status": "claimed", "note": "@SUM(1)", "documents": [
                {"title": "-无链接的文件"}, {"title": "有链接的文件", "url": "https://example.org/b"}]},
        ]}]))
    result = site.build()
    assert result.returncode == 0, result.log
    return result


def test_formula_looking_cells_are_plain_text_in_updates_csv(tricky):
    _, rows = read_csv(tricky.site / "data/updates.csv")
    assert [r["note"] for r in rows] == ["'=HYPERLINK(\"http://evil.example\",\"点我\")", "'@SUM(1)"]
    assert rows[1]["document_titles"] == "'-无链接的文件;有链接的文件"
    assert rows[1]["document_urls"] == ";https://example.org/b"  # titles and links stay in step


# -- per year -------------------------------------------------------------------------


def test_each_year_holds_exactly_that_years_records(built):
    site = built.site
    assert sorted(p.name for p in (site / "data").iterdir() if p.is_dir()) == ["2024", "2025"]
    all_updates = read_csv(site / "data/updates.csv")[1]
    for year, session_ids in SESSIONS_BY_YEAR.items():
        folder = site / "data" / str(year)
        sessions = read_json(folder / "sessions.json")
        assert [s["id"] for s in sessions] == session_ids
        assert all(s["date"].startswith(f"{year}-") for s in sessions)
        expected_outcomes = [i for i in ALL_IDS if i.split("#")[0] in session_ids]
        assert [o["id"] for o in read_json(folder / "outcomes.json")] == expected_outcomes
        assert [r["id"] for r in read_csv(folder / "outcomes.csv")[1]] == expected_outcomes
        updates = read_csv(folder / "updates.csv")[1]
        assert updates == [r for r in all_updates if r["session"] in session_ids]


def test_year_files_have_the_fields_of_the_whole_site_files(built):
    site = built.site
    for name in ("outcomes.json", "sessions.json"):
        whole = {json.dumps(r, ensure_ascii=False) for r in read_json(site / "data" / name)}
        parts = [json.dumps(r, ensure_ascii=False) for year in SESSIONS_BY_YEAR
                 for r in read_json(site / "data" / str(year) / name)]
        assert sorted(parts) == sorted(whole), name
    for name in ("outcomes.csv", "updates.csv"):
        header, rows = read_csv(site / "data" / name)
        year_rows = []
        for year in sorted(SESSIONS_BY_YEAR, reverse=True):
            year_header, found = read_csv(site / "data" / str(year) / name)
            assert year_header == header, name
            year_rows += found
        assert year_rows == rows, name  # newest year first, as in the whole-site file


# -- nothing unpublished -----------------------------------------------------------------


def test_drafts_and_embargoed_sessions_are_in_no_data_file(built):
    checked = [*data_files(built.site), "datapackage.json", "index.html"]
    for name in checked:
        text = (built.site / "data" / name).read_text(encoding="utf-8-sig")
        for hidden in (HIDDEN_TEXT, "草稿活动", "禁发活动", "caogao", "qianfa", "yincang"):
            assert hidden not in text, (name, hidden)


# -- datapackage.json --------------------------------------------------------------------


@pytest.fixture(scope="module")
def package(built: BuildResult) -> dict:
    return json.loads((built.site / "data/datapackage.json").read_text(encoding="utf-8"))


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Data tools must not need the network to check the package (the site has none to offer)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("frictionless tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def validation_errors(path: Path) -> list[list[str]]:
    report = frictionless.validate(str(path))
    return report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"]) if not report.valid else []


def test_the_data_package_validates_offline(built, offline):
    errors = validation_errors(built.site / "data/datapackage.json")
    assert errors == [], "\n".join(map(str, errors))


def test_a_changed_file_fails_validation(built, offline, tmp_path):
    """The sizes and hashes are checked: a truncated or altered download is caught."""
    copy = tmp_path / "data"
    shutil.copytree(built.site / "data", copy)
    with open(copy / "2024/updates.csv", "ab") as f:
        f.write(b"2024/tingche#cuoshi,2024/tingche,qingdao,9,2024-07-01,adopted,x,,,,,\r\n")
    kinds = {error[3] for error in validation_errors(copy / "datapackage.json")}
    assert {"hash-count", "byte-count", "constraint-error"} <= kinds  # enum of status_label, too


def test_every_data_file_is_a_resource_with_size_and_hash(built, package):
    resources = {r["path"]: r for r in package["resources"]}
    assert sorted(resources) == data_files(built.site)
    for path, resource in resources.items():
        raw = (built.site / "data" / path).read_bytes()
        assert resource["bytes"] == len(raw)
        assert resource["hash"].startswith("sha256:") and len(resource["hash"]) == 7 + 64
        if path.endswith(".csv"):
            assert (resource["format"], resource["mediatype"], resource["encoding"]) == ("csv", "text/csv", "utf-8-sig")
            header = raw.decode("utf-8-sig").split("\r\n", 1)[0].split(",")
            assert [f["name"] for f in resource["schema"]["fields"]] == header
        else:
            assert (resource["format"], resource["encoding"]) == ("json", "utf-8") and "schema" not in resource


def test_table_schemas_carry_types_chinese_descriptions_and_statuses(package):
    updates = next(r for r in package["resources"] if r["path"] == "updates.csv")
    fields = {f["name"]: f for f in updates["schema"]["fields"]}
    assert fields["position"]["type"] == "integer" and fields["date"]["type"] == "date"
    assert fields["status"]["constraints"]["enum"] == ["submitted", "claimed", "in_progress", "adopted",
                                                       "implemented", "declined"]
    assert "已落实" in fields["status_label"]["constraints"]["enum"]
    assert fields["document_urls"]["type"] == "list" and fields["document_urls"]["delimiter"] == ";"
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in f["description"]) for f in fields.values())
    assert updates["schema"]["primaryKey"] == ["outcome", "position"]
    outcomes = next(r for r in package["resources"] if r["path"] == "2024/outcomes.csv")
    types = {f["name"]: f["type"] for f in outcomes["schema"]["fields"]}
    assert (types["overdue"], types["due"], types["departments"]) == ("boolean", "date", "list")


def test_the_package_names_the_licence_the_site_and_the_build_time(package):
    assert package["licenses"][0]["title"] == "本站开放数据以 CC BY 4.0 许可发布，转载请注明来源“回音”。"
    assert package["sources"] == [{"title": "回音 · 政协协商成果公开", "path": SITE}]
    assert package["created"] == "2025-11-21T08:00:00+08:00"  # SOURCE_DATE_EPOCH of the test builds
    assert package["name"] == "huiyin.example.org"


# -- the /data/ page -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def data_page(built: BuildResult) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(built.page("data/"))


def test_the_data_page_links_every_file_with_its_size_and_rows(built, data_page):
    links = {a.get("href"): a for a in data_page.cssselect("article a[download]")}
    assert sorted(links) == sorted([*data_files(built.site), "datapackage.json"])
    for name in data_files(built.site):
        shown = links[name].getparent().text_content()
        path = built.site / "data" / name
        rows = len(read_json(path)) if name.endswith(".json") else len(read_csv(path)[1])
        assert f"· {rows} 条" in shown, name
    outcomes_csv = links["outcomes.csv"].getnext().text_content()
    assert outcomes_csv.startswith(f"{(built.site / 'data/outcomes.csv').stat().st_size / 1024:.1f} KB"), outcomes_csv


def test_the_data_page_explains_every_column_and_the_licence(built, data_page):
    fields = " ".join(dl.text_content() for dl in data_page.cssselect(".hy-data-fields"))
    for name in ("outcomes.csv", "updates.csv"):
        for column in read_csv(built.site / "data" / name)[0]:
            assert column in fields, column
    assert "回访满意度" in fields and "in_progress 办理中" in fields
    assert data_page.cssselect(".hy-license")[0].text_content() == "本站开放数据以 CC BY 4.0 许可发布，转载请注明来源“回音”。"
    examples = " ".join(c.text_content() for c in data_page.cssselect("pre code"))
    assert 'encoding="utf-8-sig"' in examples and "csv.DictReader" in examples and "pd.read_csv" in examples
    assert f"{SITE}data/updates.csv" in examples
    assert "自文本导入" in data_page.text_content()


@pytest.mark.parametrize("path, link", [("feedback/", "../data/"), ("", "data/"), ("sessions/2024/tingche/", "../../../data/")])
def test_the_data_page_is_linked_from_the_footer_and_the_feedback_page(built, path, link):
    page = lxml.html.fromstring(built.page(path))
    assert link in [a.get("href") for a in page.cssselect("footer a")]
    if path == "feedback/":
        assert link in [a.get("href") for a in page.cssselect("#open-data ~ p a")]
