"""`huiyin`: the staff command line — new records, recorded answers, answer sheets, checks.

Only argument parsing and printing live here; the work is done in
huiyin.core.workflow so that it can be tested and reused without a shell.
Help and messages are Chinese first, English second: staff read the first,
the forge's logs and outside contributors the second.

Exit codes: 0 done, 1 refused or content has problems, 2 wrong arguments.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from .core.base.clock import build_time, today
from .core.records.problems import display_path
from .core.records.vocab import Satisfaction, Status
from .core.staff.answers_export import ExportRequest, export_answers
from .core.staff.answers_import import ImportResult, import_sheets
from .core.staff.workflow import (
    StaffError,
    UpdateRequest,
    check_content,
    create_session,
    parse_date_option,
    plan_session,
    record_update,
)

EXAMPLES = """\
示例 / examples:
  huiyin new session --platform qingting-yu-shangliang --title 破解停车难 --date 2026-11-20
  huiyin update 2021/qtysl-04-tingche#parking-sharing --status 已落实 --note 已印发实施方案
  huiyin export answers --department 市住建局 --out 住建局答复表.xlsx
  huiyin import 住建局答复表.xlsx --dry-run
  huiyin check
  huiyin check content/sessions/2021/qtysl-04-tingche.md
"""

_DOCS_DIR = re.compile(r"""^docs_dir:\s*["']?([^"'#\n]+?)["']?\s*(?:#.*)?$""", re.MULTILINE)


# -- where the content is ------------------------------------------------------


def default_content_dir(start: Path) -> Path:
    """The docs_dir (`content`) of the nearest mkdocs.yml at or above ``start``, else ./content."""
    for folder in (start, *start.parents):
        config = folder / "mkdocs.yml"
        if config.is_file():
            match = _DOCS_DIR.search(config.read_text(encoding="utf-8", errors="replace"))
            return folder / (match.group(1).strip() if match else "content")
    return start / "content"


# -- arguments -----------------------------------------------------------------


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        # prefix "" is argparse naming a subcommand's prog: leave that alone
        super().add_usage(usage, actions, groups, prefix="用法 / usage: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数 / arguments"
        self._optionals.title = "选项 / options"
        self.add_argument("-h", "--help", action="help", help="显示本帮助 / show this help")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 参数有误 / bad arguments: {message}\n（运行 {self.prog} --help 查看用法）\n")


def _content_option() -> argparse.ArgumentParser:
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument(
        "--content", metavar="DIR", type=Path, default=argparse.SUPPRESS,
        help="内容目录（默认：向上找到 mkdocs.yml 旁的 content）/ content folder "
             "(default: `content` next to the nearest mkdocs.yml)",
    )
    return shared


def build_parser() -> argparse.ArgumentParser:
    content = _content_option()
    parser = _Parser(
        prog="huiyin",
        description="回音：录入协商活动、记录部门答复、导出和导入答复表、检查内容。\n"
                    "huiyin: start session records, record departments' answers, export and import\n"
                    "answer sheets, check content.",
        epilog=EXAMPLES,
        parents=[content],
    )
    commands = parser.add_subparsers(dest="command", metavar="命令/command", parser_class=_Parser)
    commands.required = True
    _add_new(commands, content)
    _add_update(commands, content)
    _add_export(commands, content)
    _add_import(commands, content)
    _add_check(commands, content)
    return parser


def _add_new(commands, content) -> None:  # type: ignore[no-untyped-def]
    new = commands.add_parser(
        "new", parents=[content],
        help="新建记录 / create a record",
        description="新建记录。/ Create a record.",
    )
    kinds = new.add_subparsers(dest="kind", metavar="种类/kind", parser_class=_Parser)
    kinds.required = True
    session = kinds.add_parser(
        "session", parents=[content],
        help="新建协商活动 / a consultation session",
        description="在 content/sessions/<年份>/<文件名>.md 新建协商活动记录（草稿），所有字段以注释模板列出。\n"
                    "Create a session record (a draft) at content/sessions/<year>/<slug>.md with every field\n"
                    "of the content model as a commented template. Never overwrites a file.",
        epilog="示例 / example:\n"
               "  huiyin new session --platform qingting-yu-shangliang --title 破解停车难 --date 2026-11-20\n"
               "  huiyin new session --platform 倾听与商量 --title 普惠托育 --slug puhui-tuoyu\n",
    )
    session.add_argument("--platform", required=True, metavar="SLUG",
                         help="平台 slug 或名称 / platform slug (platforms/<slug>.md) or its name")
    session.add_argument("--title", required=True, metavar="TITLE", help="议题 / the topic (议题)")
    session.add_argument("--date", metavar="YYYY-MM-DD",
                         help="召开（或计划）日期，默认今天 / held or planned on; default today (Asia/Shanghai)")
    session.add_argument("--slug", metavar="SLUG",
                         help="文件名，默认由议题转拼音 / file name; default: pinyin of the title")


def _add_update(commands, content) -> None:  # type: ignore[no-untyped-def]
    update = commands.add_parser(
        "update", parents=[content],
        help="为建议追加办理进展 / add an update to an outcome",
        description="为一条建议追加一条办理进展（部门答复），文件其余内容一字不改。\n"
                    "Append an update to an outcome; every other line of the file stays as it was.",
        epilog="可选状态 / statuses: " + Status.describe() + "\n\n"
               "示例 / examples:\n"
               "  huiyin update 2021/qtysl-04-tingche#parking-sharing --status claimed\n"
               "  huiyin update 2021/qtysl-04-tingche#parking-sharing --status 已落实 \\\n"
               "      --note 印发实施方案 --date 2021-09-01 --document 实施方案=https://example.org/a.html\n"
               "  huiyin update 2025/rizhao-jujia-yanglao#jiating-yanglao-chuangwei --status in_progress \\\n"
               "      --extend-to 2026-12-31 --note 医保结算政策待明确，经批准延期至年底\n"
               "  huiyin update 2024/qtysl-shequ-yanglao#zhangzhe-shitang --status in_progress \\\n"
               "      --satisfaction 不满意 --note 回访中老人反映送餐未覆盖高层住户，重新办理\n",
    )
    update.add_argument("reference", metavar="SESSION#OUTCOME",
                        help="活动id#建议id，如 2021/qtysl-04-tingche#parking-sharing / <session id>#<outcome id>")
    update.add_argument("--status", required=True, metavar="STATUS",
                        help="状态，英文或中文（简繁均可）/ status, English value or Chinese label")
    update.add_argument("--note", default="", metavar="TEXT",
                        help="答复摘要；未采纳时必填 / the answer in brief; required for declined")
    update.add_argument("--date", metavar="YYYY-MM-DD",
                        help="进展日期，默认今天（北京时间）/ date of the update; default today (Asia/Shanghai)")
    update.add_argument("--document", action="append", default=[], metavar="TITLE=URL",
                        help="相关文件：标题=链接，或只写标题；可重复 / a document, TITLE=URL or TITLE; repeatable")
    update.add_argument("--extend-to", metavar="YYYY-MM-DD",
                        help="经批准延期：答复期限改到这一天，须同时写 --note 说明理由 / "
                             "an approved extension of the deadline; needs --note with the reason")
    update.add_argument("--satisfaction", metavar="VALUE",
                        help="回访满意度：" + Satisfaction.describe() + " / the follow-up verdict")


def _add_export(commands, content) -> None:  # type: ignore[no-untyped-def]
    export = commands.add_parser(
        "export", parents=[content],
        help="导出答复表 / export answer sheets",
        description="导出表格。/ Export spreadsheets.",
    )
    kinds = export.add_subparsers(dest="kind", metavar="种类/kind", parser_class=_Parser)
    kinds.required = True
    answers = kinds.add_parser(
        "answers", parents=[content],
        help="给承办单位填写的答复表 / sheets for departments to fill in",
        description="导出答复表：每条已发布、未办结的建议一行（--all：全部建议），左边是建议的情况，\n"
                    "右边留给承办单位填写这次的进展；填好后用 huiyin import 导入。\n"
                    "Export an answer sheet: one row per published outcome not yet concluded (--all: every\n"
                    "outcome), what it is on the left, the columns to fill in on the right; read it back\n"
                    "with huiyin import. Never overwrites a file.",
        epilog="示例 / examples:\n"
               "  huiyin export answers --department 市住建局 --out 住建局答复表.xlsx\n"
               "  huiyin export answers --platform qingting-yu-shangliang --out 答复表.csv\n"
               "  huiyin export answers --split-by-department 答复表-2025-11\n",
    )
    answers.add_argument("--department", action="append", default=[], metavar="NAME",
                         help="只导出这个单位承办（主办或协办）的建议；全称或别名，可重复 / "
                              "only outcomes this department leads or assists in; name or alias, repeatable")
    answers.add_argument("--platform", action="append", default=[], metavar="SLUG",
                         help="只导出这个平台（含下级平台）的建议；slug 或名称，可重复 / "
                              "only outcomes of this platform and its sub-platforms; slug or name, repeatable")
    answers.add_argument("--all", action="store_true", dest="include_concluded",
                         help="连已办结的建议也导出 / include concluded outcomes")
    where = answers.add_mutually_exclusive_group()
    where.add_argument("--out", type=Path, metavar="FILE",
                       help="写到这个文件，.xlsx 或 .csv（默认：答复表-<今天>.xlsx）/ "
                            "the file to write, .xlsx or .csv (default: 答复表-<today>.xlsx)")
    where.add_argument("--split-by-department", type=Path, metavar="DIR", dest="split_dir",
                       help="每个承办单位一个工作簿，以单位全称命名，写在这个文件夹里 / "
                            "one workbook per department, named by it, in this folder")


def _add_import(commands, content) -> None:  # type: ignore[no-untyped-def]
    sheets = commands.add_parser(
        "import", parents=[content],
        help="导入填好的答复表 / read filled-in answer sheets back",
        description="导入填好的答复表：每一行成为那条建议的一条新进展，只在记录末尾追加。\n"
                    "先检查全部文件的每一行，有任何问题就什么都不写，并列出每个问题（文件:第N行）。\n"
                    "与上一条进展相同（日期、状态、答复摘要都相同）的行跳过，所以重复导入不会重复记录。\n"
                    "Read filled-in answer sheets (.xlsx, or .csv in UTF-8 or GB18030): each row becomes an\n"
                    "update appended to its outcome. Every row of every file is checked first; on any\n"
                    "problem nothing is written and every problem is listed as FILE:第N行. A row equal to\n"
                    "the outcome's last update is skipped, so importing twice changes nothing.",
        epilog="可选状态 / statuses: " + Status.describe() + "\n"
               "回访满意度 / satisfaction: " + Satisfaction.describe() + "\n\n"
               "示例 / examples:\n"
               "  huiyin import 住建局答复表.xlsx --dry-run\n"
               "  huiyin import 答复表-2025-11/*.xlsx\n",
    )
    sheets.add_argument("files", nargs="+", type=Path, metavar="FILE", help="答复表 .xlsx 或 .csv，可多个 / answer sheets")
    sheets.add_argument("--dry-run", action="store_true",
                        help="只检查并报告会写入什么，不改动任何文件 / check and report, change nothing")


def _add_check(commands, content) -> None:  # type: ignore[no-untyped-def]
    check = commands.add_parser(
        "check", parents=[content],
        help="检查内容，不生成网站 / validate content without building",
        description="检查全部内容，列出每处问题（与生成网站时的提示相同）；有问题时退出码非零。\n"
                    "给出文件时只报告这些文件的问题，但跨文件的规则照样检查。\n"
                    "Validate all content and list every problem as the build would; exit non-zero on any.\n"
                    "With PATHs, report only problems in those files (cross-file rules are still checked).",
        epilog="示例 / examples:\n  huiyin check\n  huiyin check content/sessions/2021/qtysl-04-tingche.md\n",
    )
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="只报告这些文件（或目录）/ files or folders to report on")


# -- commands ------------------------------------------------------------------


def run_new(args: argparse.Namespace, root: Path) -> int:
    now = build_time()

    held_on = parse_date_option(args.date, "日期 --date") if args.date else today(now)
    draft = plan_session(root, title=args.title, platform=args.platform, held_on=held_on, slug=args.slug, now=now)
    path, problems = create_session(root, draft, now)
    print(f"已新建 {display_path(path, root)}（created）")
    print(f"  活动 id：{draft.default_id}")
    print("  这是草稿（draft: true）：填好内容、核对无误后删去 draft 那一行，才会发布。")
    print("  下一步：编辑该文件，然后运行 huiyin check")
    _print_problems(problems, "注意：新记录有以下问题", sys.stdout)
    return 0


def run_update(args: argparse.Namespace, root: Path) -> int:
    now = build_time()
    request = UpdateRequest(args.reference, args.status, args.note, args.date, args.document,
                            extend_to=args.extend_to, satisfaction=args.satisfaction or "")
    result = record_update(root, request, now)
    update = result.update
    status = Status.parse(update.status)
    assert status is not None
    print(f"已在 {display_path(result.path, root)} 追加进展（update added）：")
    print(f"  {args.reference.strip()} · {update.date} · {status.label}（{status.value}）")
    _print_problems(result.remaining, "注意：该文件原有以下问题，仍需改正", sys.stdout)
    return 0


def run_export(args: argparse.Namespace, root: Path) -> int:
    request = ExportRequest(args.department, args.platform, args.include_concluded, args.out, args.split_dir)
    result = export_answers(root, request, build_time(), Path.cwd())
    kind = "建议" if args.include_concluded else "未办结的建议"
    for exported in result.files:
        print(f"已导出 {display_path(exported.path, root)}（exported）：{exported.rows} 条{kind}")
    if args.department:
        for department in result.without_rows:
            print(f"  {department.name}：没有{kind}，未生成文件")
    elif result.without_rows:
        print(f"  另有 {len(result.without_rows)} 个承办单位没有{kind}，未生成文件")
    if not result.files:
        print(f"没有符合条件的{kind}，没有生成文件（nothing to export）。")
    else:
        print("  下一步：发给承办单位填写右边的几列，收回后运行 huiyin import 文件名")
    return 0


def run_import(args: argparse.Namespace, root: Path) -> int:
    result = import_sheets(root, list(args.files), build_time(), dry_run=args.dry_run)
    for sheet in result.sheets:
        print(f"读取 {sheet.file}：{sheet.kind}，{len(sheet.rows)} 行")
        for note in sheet.notes:
            print(f"  {note}")
    if result.problems:
        count = len(result.problems)
        print(f"答复表有 {count} 处问题，没有写入任何记录（{count} problem(s), nothing written）：", file=sys.stderr)
        for problem in result.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    _print_import_summary(result, root, args.dry_run)
    return 0


def _print_import_summary(result: ImportResult, root: Path, dry_run: bool) -> None:
    if dry_run:
        heading = "试运行，没有改动任何文件（dry run, nothing written）"
    elif not result.changed:
        heading = "没有新的进展需要写入（nothing new to import）"
    else:
        heading = "导入完成（imported）"
    print(f"{heading}：应用 {result.applied} 行，改动 {len(result.changed)} 个记录文件、"
          f"{result.outcomes_changed} 条建议；跳过空行 {result.skipped_empty} 行，"
          f"跳过已记录的 {result.skipped_recorded} 行。")
    verb = "将追加" if dry_run else "追加"
    for path, count in sorted(result.changed.items()):
        print(f"  {display_path(path, root)}：{verb} {count} 条进展")
    if result.changed and not dry_run:
        print("  下一步：运行 huiyin check，预览无误后提交（git commit）")


def run_check(args: argparse.Namespace, root: Path) -> int:
    result = check_content(root, list(args.paths), build_time())
    for skipped in result.skipped:
        print(f"{skipped}: 不在内容目录 {root} 内，未检查（not in the content folder）", file=sys.stderr)
    if result.problems:
        count = len(result.problems)
        print(f"内容有 {count} 处问题（content has {count} problem(s)）：")
        for problem in result.problems:
            print(f"  {problem}")
    if result.elsewhere:
        print(f"（其他文件另有 {result.elsewhere} 处问题；运行 huiyin check 查看全部）", file=sys.stderr)
    if result.problems:
        return 1
    if args.paths:
        print(f"所查文件没有问题（no problems in the {len(args.paths)} path(s) checked）。")
    else:
        print(
            f"内容检查通过（content OK）：{result.platforms} 个平台，"
            f"{result.sessions} 个协商活动，{result.outcomes} 条建议。"
        )
    return 0


def _print_problems(problems, heading: str, stream) -> None:  # type: ignore[no-untyped-def]
    if problems:
        print(f"{heading}（{len(problems)} 处）：", file=stream)
        for problem in problems:
            print(f"  {problem}", file=stream)


COMMANDS = {"new": run_new, "update": run_update, "export": run_export, "import": run_import, "check": run_check}


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")  # a terminal without UTF-8 still gets a readable line
    args = build_parser().parse_args(argv)
    root = getattr(args, "content", None) or default_content_dir(Path.cwd())
    try:
        return COMMANDS[args.command](args, root)
    except StaffError as error:
        print(f"错误 / error: {error}", file=sys.stderr)
        _print_problems(error.problems, "问题", sys.stderr)
        return 1
    except ValueError as error:  # a bad SOURCE_DATE_EPOCH
        print(f"错误 / error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
