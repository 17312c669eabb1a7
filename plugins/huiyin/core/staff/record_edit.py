"""Append an update to an outcome without touching anything else in the file.

Staff files carry comments, their own key order, quotes and flow lists
(``departments: [甲, 乙]``), and git shows every changed line to a reviewer. So
the file is not re-serialised: ruamel.yaml's round-trip parser finds where the
outcome's ``updates`` list ends and at which columns its items are written, the
new update is rendered in the same indentation, and its lines are inserted
there. Every other byte stays as it was. The result is parsed again and
compared with the original plus the new update, so a file laid out in a way
this module does not foresee is refused rather than damaged.
"""

from __future__ import annotations

import copy
import datetime as _dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from io import StringIO
from typing import Any

from ..records.source import SourceError, split_record

_FENCE = re.compile(r"^---[ \t]*$")
_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


class EditError(Exception):
    """The update cannot be appended; says why and what to do."""

    def __init__(self, message: str, hint: str = "", line: int | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.line = line


@dataclass(frozen=True)
class NewUpdate:
    date: date
    status: str  # as it will be written: an English value or a Chinese label
    note: str = ""
    documents: tuple[tuple[str, str], ...] = field(default=())  # (title, url); url may be ""
    # The handling keys of the contract (延期, 回访): written only when set, so an
    # update without them reads exactly as before.
    extend_to: _dt.date | None = None  # (the module: inside the class, `date` is the field above)
    satisfaction: str = ""  # as it will be written: an English value or a Chinese label

    def as_mapping(self) -> dict[str, Any]:
        mapping: dict[str, Any] = {"date": self.date, "status": self.status}
        if self.note:
            mapping["note"] = self.note
        if self.extend_to is not None:
            mapping["extend_to"] = self.extend_to
        if self.satisfaction:
            mapping["satisfaction"] = self.satisfaction
        if self.documents:
            mapping["documents"] = [
                {"title": title, **({"url": url} if url else {})} for title, url in self.documents
            ]
        return mapping


@dataclass
class _Text:
    """A file as lines, remembering its line ending so inserted lines match it."""

    lines: list[str]  # without line endings
    newline: str
    bom: str
    trailing_newline: bool

    @classmethod
    def parse(cls, text: str) -> _Text:
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        body = text[len(bom):]
        newline = "\r\n" if "\r\n" in body else "\n"
        trailing = body.endswith(newline)
        lines = body.split(newline)
        if trailing:
            lines.pop()
        return cls(lines, newline, bom, trailing)

    def render(self) -> str:
        return self.bom + self.newline.join(self.lines) + (self.newline if self.trailing_newline else "")

    def front_matter_end(self) -> int:
        """Index of the line closing the front matter."""
        if not self.lines or not _FENCE.match(self.lines[0]):
            raise EditError("文件开头没有 YAML 前置信息（front matter）", "先运行 huiyin check 查看并改正", 1)
        for index in range(1, len(self.lines)):
            if _END.match(self.lines[index]):
                return index
        raise EditError("前置信息没有结束的 --- 行", "先运行 huiyin check 查看并改正", 1)


def append_update(text: str, outcome_id: str, update: NewUpdate) -> str:
    """The text of a session record with ``update`` added to an outcome's updates."""
    return append_updates(text, [(outcome_id, update)])


def append_updates(text: str, additions: Sequence[tuple[str, NewUpdate]]) -> str:
    """The text with every (outcome id, update) added, in order, parsing the file once.

    The round-trip parse is what an append costs (18 ms of 20 for a generated
    session file of six outcomes): an answer sheet brings several updates for
    one file, so they are placed from one parse and checked with one comparison.
    Insertion points are found in the original lines and filled from the
    bottom up, so each stays where it was found; updates to one outcome go in
    at its one point, in the order given.
    """
    source = _Text.parse(text)
    end = source.front_matter_end()
    meta = _round_trip_load("\n".join(source.lines[1:end]))
    inserts: dict[int, list[str]] = {}
    for outcome_id, update in additions:
        at, item_lines = _insertion(source.lines, end, _updates_of(meta, outcome_id), update)
        inserts.setdefault(at, []).extend(item_lines)
    for at in sorted(inserts, reverse=True):
        source.lines[at:at] = inserts[at]
    result = source.render()
    _verify(text, result, additions)
    return result


def _round_trip_load(front_matter: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        return YAML(typ="rt").load(front_matter)
    except YAMLError as error:
        raise EditError(f"无法解析前置信息：{error}", "先运行 huiyin check 查看并改正") from None


def _updates_of(meta: Any, outcome_id: str) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    outcomes = meta.get("outcomes") if isinstance(meta, CommentedMap) else None
    if not isinstance(outcomes, CommentedSeq):
        raise EditError("这次活动还没有 outcomes（问题及建议）", "先在文件中按模板写好这条建议和第一条进展（status: submitted）")
    known = [str(o.get("id")) for o in outcomes if isinstance(o, CommentedMap)]
    matches = [o for o in outcomes if isinstance(o, CommentedMap) and str(o.get("id")) == outcome_id]
    if not matches:
        raise EditError(f"这次活动没有 id 为「{outcome_id}」的建议", "本活动的建议 id：" + ("、".join(known) or "（无）"))
    if len(matches) > 1:
        raise EditError(f"建议 id「{outcome_id}」重复", "先改正重复的 id（huiyin check 会指出位置）")
    outcome = matches[0]
    updates = outcome.get("updates")
    line = outcome.lc.line + 2  # 1-based, and the front matter starts on line 2
    if not isinstance(updates, CommentedSeq) or not updates:
        raise EditError(f"建议「{outcome_id}」还没有 updates（办理进展）",
                        "先手写第一条进展：updates: 下写 - date: … status: submitted", line)
    if updates.fa.flow_style():
        raise EditError(
            f"建议「{outcome_id}」的 updates 写成了一行的 [...] 形式，无法自动追加",
            "请改为每条进展一项、以“- ”开头的写法（见《录入指南》示例）后重试",
            line,
        )
    return updates


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _insertion(lines: list[str], end: int, updates: Any, update: NewUpdate) -> tuple[int, list[str]]:
    """Where the new item goes (a line index) and its lines."""
    dash_column = updates.lc.col
    item_line, item_column = updates.lc.item(len(updates) - 1)
    first = item_line + 1  # front matter line 0 is file line 1
    if lines[first][dash_column:dash_column + 1] != "-" or not updates[-1]:
        item_column = dash_column + 2  # "-" alone on its line, or an empty item: the usual layout
    # The last item runs until a line of content at or left of its dash.
    last = first
    for index in range(first + 1, end):
        line = lines[index]
        if _is_content(line) and _indent(line) <= dash_column:
            break
        if line.strip() and _indent(line) > dash_column:
            last = index
    rendered = _render_item(update, dash_column, item_column, _style_of(updates))
    return last + 1, rendered


def _style_of(updates: Any) -> dict[str, bool]:
    """How the last existing item is written, so the new one looks alike.

    quoted_dates: ``date: '2021-04-10'``; flow: ``- {date: 2021-04-10, status: claimed}``.
    """
    last = updates[-1] if isinstance(updates[-1], dict) else {}
    return {
        "quoted_dates": isinstance(last.get("date"), str),
        "flow": bool((fa := getattr(last, "fa", None)) and fa.flow_style()),  # ruamel's CommentedMap
    }


def _render_item(update: NewUpdate, dash_column: int, key_column: int, style: dict[str, bool]) -> list[str]:
    from ruamel.yaml import YAML
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    yaml = YAML(typ="rt")
    yaml.width = 4096  # a long note stays on one line, as staff write it
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.default_flow_style = style["flow"]
    mapping = update.as_mapping()
    if style["quoted_dates"]:
        mapping["date"] = SingleQuotedScalarString(update.date.isoformat())
        if update.extend_to is not None:
            mapping["extend_to"] = SingleQuotedScalarString(update.extend_to.isoformat())
    out = StringIO()
    yaml.dump(mapping, out)
    dumped = out.getvalue().rstrip("\n").split("\n")
    head = " " * dash_column + "-" + " " * (key_column - dash_column - 1)
    return [head + dumped[0]] + [" " * key_column + line if line else line for line in dumped[1:]]


def _verify(before: str, after: str, additions: Sequence[tuple[str, NewUpdate]]) -> None:
    """The new text must read back as the old one plus exactly the new updates."""
    try:
        old = split_record(before.lstrip("\ufeff").replace("\r\n", "\n")).meta
        new = split_record(after.lstrip("\ufeff").replace("\r\n", "\n")).meta
    except SourceError as error:
        raise EditError(f"追加后文件无法读取（{error.message}），已放弃修改", "请手动追加这条进展", error.line) from None
    expected = copy.deepcopy(old)
    for outcome_id, update in additions:
        for outcome in expected.get("outcomes", []):
            if isinstance(outcome, dict) and str(outcome.get("id")) == outcome_id:
                outcome["updates"].append(_plain(update.as_mapping()))
    if _plain(new) != _plain(expected):
        raise EditError("此文件的排版方式无法自动追加，已放弃修改", "请手动追加这条进展，或把该建议的 updates 改成常见的逐条写法后重试")


def _plain(value: Any) -> Any:
    """Data as the record loader reads it: dates as text, containers as dict and list."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
