"""The staff guide (docs/staff-guide.md) stays true to the code.

Staff copy the guide's worked example and trust its tables, so the guide is
checked like code: the example, taken out of the guide as written, must build;
the broken example must fail with exactly the output the guide shows; every
accepted spelling of every vocabulary value, and every problem message the
loader can report, must be in the guide. A change to the code that the guide
does not yet explain fails here, naming what to add.

Example blocks are marked in the guide with an HTML comment right before the
fenced block: ``<!-- example: content/… -->`` (the worked example),
``<!-- broken-example: content/… -->`` (added to the worked example to show
the error report) and ``<!-- broken-output -->`` (what that build prints).
"""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import pytest
from huiyin.core.records import vocab
from huiyin.core.records.source import parse_yaml, split_record
from sitebuilder import REPO, SiteFolder

GUIDE = REPO / "docs" / "staff-guide.md"
CORE = REPO / "plugins" / "huiyin" / "core"
# The modules whose messages staff read in a failed build (the brief of the guide's section 8).
MESSAGE_MODULES = ("records/files.py", "records/registry.py", "records/sessions.py", "records/rules.py", "records/handling.py",
                   "records/fields.py", "records/source.py", "records/privacy.py")

_FENCED = r"\s*\n```[\w-]*\n(.*?)\n```"
_MARKED = re.compile(r"<!--\s*(example|broken-example):\s*(\S+)\s*-->" + _FENCED, re.S)
_OUTPUT = re.compile(r"<!--\s*broken-output\s*-->" + _FENCED, re.S)
_YAML_BLOCK = re.compile(r"^( *)```yaml\n(.*?)\n\1```", re.S | re.M)  # also inside list items
_CJK = re.compile(r"[\u4e00-\u9fff]")


def guide_text() -> str:
    return GUIDE.read_text(encoding="utf-8")


def marked_blocks(kind: str) -> dict[str, str]:
    """{content path: file text} of the guide's blocks marked as ``kind``."""
    return {path: text + "\n" for found, path, text in _MARKED.findall(guide_text()) if found == kind}


def write_example(site: SiteFolder) -> None:
    """The worked example, plus the two staff pages every site has."""
    site.write("index.md", "# 回音\n\n录入指南示例站点。\n")
    site.write("tags.md", "# 按主题浏览\n\n<!-- material/tags -->\n")
    for path, text in marked_blocks("example").items():
        site.write(path.removeprefix("content/"), text)


@pytest.fixture(scope="module")
def example_build(tmp_path_factory):
    site = SiteFolder(tmp_path_factory.mktemp("guide-example"), with_defaults=False)
    write_example(site)
    return site.build()


@pytest.fixture(scope="module")
def broken_build(tmp_path_factory):
    site = SiteFolder(tmp_path_factory.mktemp("guide-broken"), with_defaults=False)
    write_example(site)
    for path, text in marked_blocks("broken-example").items():
        site.write(path.removeprefix("content/"), text)
    return site.build()


def example_sessions() -> dict[str, dict]:
    """{content path: front matter} of the example's session files."""
    return {
        path: split_record(text).meta
        for path, text in marked_blocks("example").items()
        if path.startswith("content/sessions/")
    }


# -- the worked example -------------------------------------------------------


def test_the_worked_example_is_complete():
    """Section 6 promises a platform, departments and a session with every part staff need."""
    paths = marked_blocks("example")
    assert "content/departments.yml" in paths
    assert any(p.startswith("content/platforms/") for p in paths)
    sessions = example_sessions()
    assert sessions, "no session file is marked <!-- example: content/sessions/… -->"
    meta = next(iter(sessions.values()))
    for key in ("participants", "media", "tags", "outcomes"):
        assert meta.get(key), f"the worked session has no {key}"
    final = {outcome["id"]: outcome["updates"][-1] for outcome in meta["outcomes"]}
    assert len(final) >= 2
    assert any(u["status"] == "implemented" and u.get("documents") for u in final.values()), final
    assert any(u["status"] == "declined" and u.get("note") for u in final.values()), final


def test_the_worked_example_builds_without_a_warning(example_build):
    assert example_build.returncode == 0, example_build.log
    assert "WARNING" not in example_build.log, example_build.log


def test_the_worked_example_is_published_where_the_guide_says(example_build):
    guide = guide_text()
    data = example_build.page("data/outcomes.json")
    for path, meta in example_sessions().items():
        year, slug = Path(path).parent.name, Path(path).stem
        page = f"sessions/{year}/{slug}/"
        assert example_build.exists(page)
        assert f"/{page}" in guide, f"the guide should name the page /{page}"
        assert meta["title"] in example_build.page(page)
        session_id = meta.get("id", f"{year}/{slug}")
        for outcome in meta["outcomes"]:
            global_id = f"{session_id}#{outcome['id']}"
            assert f'"id":"{global_id}"' in data
            assert global_id in guide, f"the guide should name the outcome id {global_id}"


# -- the broken example ---------------------------------------------------------


def test_the_broken_example_fails_as_the_guide_shows(broken_build):
    shown = _OUTPUT.search(guide_text())
    assert shown, "no <!-- broken-output --> block in the guide"
    assert broken_build.returncode != 0
    for line in filter(None, (line.strip() for line in shown.group(1).splitlines())):
        assert line in broken_build.log, f"the guide shows a line the build does not print:\n{line}\n\n{broken_build.log}"


def test_the_broken_example_reports_only_its_own_file(broken_build):
    """The mistakes shown are the broken file's: the worked example beside it stays clean."""
    (broken_path,) = marked_blocks("broken-example")
    problems = [line for line in broken_build.log.splitlines() if re.match(r"\s+content/\S+?:", line)]
    assert problems and all(line.strip().startswith(broken_path) for line in problems), problems


# -- snippets ----------------------------------------------------------------------


def test_every_yaml_snippet_parses():
    """Snippets staff copy (a list, an id line, a new update) are valid YAML as printed."""
    snippets = [textwrap.dedent(block) for _, block in _YAML_BLOCK.findall(guide_text())]
    assert len(snippets) >= 5
    for snippet in snippets:
        parse_yaml(snippet)  # raises SourceError with the staff-facing message


# -- the guide keeps up with the code ----------------------------------------------


def vocabularies() -> list[type[vocab.Vocabulary]]:
    return [
        value for value in vars(vocab).values()
        if isinstance(value, type) and issubclass(value, vocab.Vocabulary) and value is not vocab.Vocabulary
    ]


def test_every_vocabulary_spelling_is_in_the_guide():
    """One table row per value: the English value and all its Chinese spellings together."""
    lines = guide_text().splitlines()
    assert len(vocabularies()) >= 5
    missing = []
    for vocabulary in vocabularies():
        for member in vocabulary:
            row = f"`{member.value}`"
            if not any(row in line and all(s in line for s in member.spellings) for line in lines):
                missing.append(f"{vocabulary.__name__}.{member.name}: {' / '.join(member.spellings)}")
    assert not missing, "add these values to the guide's vocabulary tables (section 4):\n" + "\n".join(missing)


MESSAGE_POSITIONS = {"add": 1, "problem": 1, "SourceError": 1, "ConstructorError": 2}


def message_fragments(source: str, positions: dict[str, int] = MESSAGE_POSITIONS) -> list[tuple[int, str]]:
    """(line, fixed Chinese text) of every problem message in a module.

    A message is the second argument of ``log.add(line, message, hint)``,
    ``fields.problem(key, message, hint)`` and ``SourceError(line, message,
    hint)``, or the third of YAML's ``ConstructorError``. Of an f-string, the
    fixed pieces between the placeholders are kept, those with Chinese in them.
    """
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        position = positions.get(name)
        if position is None or len(node.args) <= position:
            continue
        message = node.args[position]
        if isinstance(message, ast.Constant) and isinstance(message.value, str):
            pieces = [message.value]
        elif isinstance(message, ast.JoinedStr):
            pieces = [v.value for v in message.values if isinstance(v, ast.Constant)]
        else:
            continue
        found += [(node.lineno, piece) for piece in pieces if len(_CJK.findall(piece)) >= 2]
    return found


def test_every_problem_message_is_explained_in_the_guide():
    guide = re.sub(r"\s+", "", guide_text())
    missing = []
    for module in MESSAGE_MODULES:
        fragments = message_fragments((CORE / module).read_text(encoding="utf-8"))
        assert fragments, f"no messages found in {module}: has the way problems are reported changed?"
        missing += [f"core/{module}:{line}: {piece}" for line, piece in fragments
                    if re.sub(r"\s+", "", piece) not in guide]
    assert not missing, "explain these messages in the guide's section 8 table:\n" + "\n".join(missing)


def test_every_field_the_loader_accepts_is_in_the_guide():
    """A field added to the schema (records/schema.py, which the loader checks against) must be explained in section 3."""
    from huiyin.core.records import schema

    guide = guide_text()
    accepted = set().union(*(record.keys() for record in schema.RECORD_SCHEMAS))
    assert {"title", "outcomes", "reviewed_numbers"} <= accepted
    missing = sorted(key for key in accepted if f"`{key}`" not in guide)
    assert not missing, "explain these fields in the guide's section 3 tables: " + "、".join(missing)


# -- the answer sheets (section 9.6) ---------------------------------------------------

# The modules whose messages staff read when a sheet is exported or imported, and where a
# message sits in their calls: SheetLog.add(row, message, hint), row_problem(ref, message,
# hint), StaffError(message, hint).
SHEET_MODULES = ("staff/answer_sheets.py", "staff/answers_import.py", "staff/answers_export.py")
SHEET_POSITIONS = {"add": 1, "row_problem": 1, "StaffError": 0}


def test_every_answer_sheet_column_is_explained_in_the_guide():
    """The guide's column table says what the workbook's 说明 sheet says: both come from COLUMNS."""
    from huiyin.core.staff.answer_sheets import COLUMNS

    lines = guide_text().splitlines()
    missing = [
        column.label for column in COLUMNS
        if not any(line.startswith(f"| `{column.label}` | {'填写' if column.fill_in else '只读'} | {column.explanation} |")
                   for line in lines)
    ]
    assert not missing, "add these rows to the column table of section 9.6: " + "、".join(missing)


def test_every_answer_sheet_message_is_in_the_guide():
    guide = re.sub(r"\s+", "", guide_text())
    missing = []
    for module in SHEET_MODULES:
        fragments = message_fragments((CORE / module).read_text(encoding="utf-8"), SHEET_POSITIONS)
        assert fragments, f"no messages found in {module}: has the way problems are reported changed?"
        missing += [f"core/{module}:{line}: {piece}" for line, piece in fragments
                    if re.sub(r"\s+", "", piece) not in guide]
    assert not missing, "explain these messages in the table of section 9.6:\n" + "\n".join(missing)


def shown_block(marker: str) -> str:
    found = re.search(r"<!--\s*" + re.escape(marker) + r"\s*-->" + _FENCED, guide_text(), re.S)
    assert found, f"no <!-- {marker} --> block in the guide"
    return found.group(1)


def assert_shown(marker: str, output: str) -> None:
    for line in filter(None, (line.strip() for line in shown_block(marker).splitlines())):
        assert line in output, f"the guide shows a line the command does not print:\n{line}\n\n{output}"


def filled_rows() -> dict[str, list[str]]:
    """{建议编号: [日期, 状态, 答复摘要, 文件标题]} of the guide's table of what the department filled in."""
    table = guide_text().split("<!-- answers-filled -->", 1)[1].strip().split("\n\n", 1)[0]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()[2:]]
    return {row[1].strip("`"): row[2:] for row in rows}


def fill_sheet(path: Path, rows: dict[str, list[object]]) -> None:
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book["答复"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        for label, value in zip(("日期", "状态", "答复摘要", "文件标题"), rows.get(str(row[0].value), [])):
            row[header.index(label)].value = value or None
    book.save(path)


def test_the_answer_sheet_example_runs_as_the_guide_shows(tmp_path):
    """Section 9.6's worked example, on section 6's records: export, fill in, import, again, broken."""
    from datetime import datetime

    from test_cli import huiyin, only_added_lines

    site = SiteFolder(tmp_path, with_defaults=False)
    write_example(site)
    command = shown_block("answers-export").split()
    assert command[:3] == ["huiyin", "export", "answers"]
    done = huiyin(*command[1:], cwd=site.root)
    assert done.returncode == 0, done.stderr
    assert_shown("answers-export-output", done.stdout)
    sheet = site.root / "公安局答复表.xlsx"
    pristine = sheet.read_bytes()
    rows = filled_rows()
    answer = rows["2021/beijie-tingche#shared-parking"]
    assert rows["2021/beijie-tingche#ban-all-parking"] == ["", "", "", ""]
    fill_sheet(sheet, {"2021/beijie-tingche#shared-parking": [datetime.fromisoformat(answer[0]), *answer[1:]]})
    record = site.content / "sessions/2021/beijie-tingche.md"
    before = record.read_text(encoding="utf-8")
    done = huiyin("import", sheet.name, cwd=site.root)
    assert done.returncode == 0, done.stderr
    assert_shown("answers-import-output", done.stdout)
    assert "".join(only_added_lines(before, record.read_text(encoding="utf-8"))) == shown_block("answers-added") + "\n"
    again = huiyin("import", sheet.name, cwd=site.root)
    assert again.returncode == 0, again.stderr
    assert_shown("answers-again-output", again.stdout)
    sheet.write_bytes(pristine)
    fill_sheet(sheet, {"2021/beijie-tingche#shared-parking": [datetime.fromisoformat(answer[0]), "完成", *answer[2:]],
                       "2021/beijie-tingche#ban-all-parking": [datetime(2022, 1, 5), "未采纳", "", ""]})
    broken = huiyin("import", sheet.name, cwd=site.root)
    assert broken.returncode == 1
    assert_shown("answers-broken-output", broken.stderr)
