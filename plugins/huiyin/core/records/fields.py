"""Typed reading of one YAML mapping, reporting every problem with its line.

Each reader returns a clean value or None, and never raises: a record with
three mistakes yields three problems in one run.
"""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime, time
from typing import Any, TypeVar

from ..base.clock import SHANGHAI
from .problems import ProblemLog
from .schema import RecordSchema
from .source import Mapping, Sequence
from .vocab import Vocabulary

V = TypeVar("V", bound=Vocabulary)

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_DATETIME = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"(?:\s*(Z|[+-]\d{2}:?\d{2}))?$"
)
# Browsers ignore these inside a URL scheme ("java\tscript:"), so we do too.
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")

MAX_TEXT = 20_000  # characters in one front-matter string; a body may be longer


def suggest(wanted: str, candidates: list[str]) -> str:
    """'相近的有：a、b' for the closest candidates, or an empty string."""
    close = difflib.get_close_matches(wanted, candidates, n=3, cutoff=0.4)
    return "相近的有：" + "、".join(close) if close else ""


def excerpt(value: object, limit: int = 60) -> str:
    """A value as quoted in a message: one line, and short even if the value is not."""
    text = value if isinstance(value, str) else repr(value) if isinstance(value, (list, dict, set, tuple)) else str(value)
    text = " ".join(text[: limit * 4].split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def join_hints(*parts: str) -> str:
    return "；".join(part for part in parts if part)


class Fields:
    """One mapping of a record, read field by field.

    With a schema (records/schema.py), a field is required when the schema
    says so, unknown keys are those the schema does not declare, and nested
    lists and mappings are read with their items' schemas.
    """

    def __init__(self, mapping: Mapping, log: ProblemLog, where: str = "", schema: RecordSchema | None = None):
        self.mapping = mapping
        self.log = log
        self.where = where  # e.g. "outcomes[2]." to name nested fields
        self.schema = schema

    def is_required(self, key: str, required: bool | None) -> bool:
        if required is not None:
            return required
        return self.schema is not None and self.schema[key].required

    def item_schema(self, key: str) -> RecordSchema | None:
        return self.schema[key].items if self.schema is not None else None

    def line(self, key: str) -> int:
        return self.mapping.line_of(key)

    def problem(self, key: str, message: str, hint: str = "") -> None:
        self.log.add(self.line(key), message, hint)

    def name(self, key: str) -> str:
        return f"{self.where}{excerpt(key, 40)}"

    def check_keys(self, known: set[str] | None = None) -> None:
        if known is None:
            assert self.schema is not None, "check_keys needs a schema or a set of keys"
            known = self.schema.keys()
        for key in self.mapping:
            if key not in known:
                self.problem(
                    key,
                    f"未知字段「{self.name(key)}」",
                    join_hints(suggest(key, sorted(known)), "请核对拼写；字段名见《录入指南》"),
                )

    def require(self, key: str) -> Any:
        value = self.mapping.get(key)
        if value is None or value == "":
            self.log.add(self.mapping.line, f"缺少必填字段「{self.name(key)}」", f"请添加 {key}: …")
            return None
        return value

    def raw(self, key: str, required: bool | None = None) -> Any:
        return self.require(key) if self.is_required(key, required) else self.mapping.get(key)

    def text(self, key: str, required: bool | None = None) -> str | None:
        value = self.raw(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem(key, f"「{self.name(key)}」应为一段文字", "直接写文字，不要写成列表或映射")
            return None
        text = str(value).strip()
        if len(text) > MAX_TEXT:
            self.problem(key, f"「{self.name(key)}」过长（{len(text)} 字）", f"请精简到 {MAX_TEXT} 字以内")
            return None
        return text

    def integer(self, key: str, minimum: int, required: bool | None = None) -> int | None:
        value = self.raw(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(key, f"「{self.name(key)}」应为整数，现为「{excerpt(value)}」", "只写阿拉伯数字，如 3")
            return None
        if value < minimum:
            self.problem(key, f"「{self.name(key)}」不能小于 {minimum}，现为 {excerpt(value)}", "请改正数字")
            return None
        if value > 10**9:
            self.problem(key, f"「{self.name(key)}」数字过大：{excerpt(value)}", "请核对数字")
            return None
        return value

    def boolean(self, key: str) -> bool:
        value = self.mapping.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.problem(key, f"「{self.name(key)}」应为 true 或 false，现为「{excerpt(value)}」", "写 true 或 false")
            # A mistyped draft flag must never publish the record: err on the safe side.
            return True
        return value

    def day(self, key: str, required: bool | None = None) -> date | None:
        value = self.raw(key, required)
        if value is None:
            return None
        parsed = parse_day(value)
        if parsed is None:
            self.problem(
                key,
                f"「{self.name(key)}」不是有效日期：「{excerpt(value)}」",
                "日期写作 YYYY-MM-DD，如 2021-04-02，并确认该日确实存在",
            )
        return parsed

    def moment(self, key: str) -> datetime | None:
        value = self.mapping.get(key)
        if value is None:
            return None
        parsed = parse_moment(value)
        if parsed is None:
            self.problem(
                key,
                f"「{self.name(key)}」不是有效的日期或时间：「{excerpt(value)}」",
                "写作 YYYY-MM-DD 或 YYYY-MM-DD HH:MM（北京时间），也可加时区如 +08:00",
            )
        return parsed

    def month_or_day(self, key: str) -> str | None:
        value = self.mapping.get(key)
        if value is None:
            return None
        text = str(value).strip()
        month = _MONTH.match(text)
        if month and 1 <= int(month.group(2)) <= 12:
            return f"{int(month.group(1)):04d}-{int(month.group(2)):02d}"
        if parse_day(text):
            return text
        self.problem(key, f"「{self.name(key)}」应写作 YYYY-MM 或 YYYY-MM-DD，现为「{excerpt(value)}」", "如 2020-10")
        return None

    def vocabulary(self, key: str, vocab: type[V], required: bool | None = None) -> V | None:
        value = self.raw(key, required)
        if value is None:
            return None
        member = vocab.parse(value)
        if member is None:
            self.problem(key, f"「{self.name(key)}」的值「{excerpt(value)}」不在可选范围内", f"可选：{vocab.describe()}")
        return member

    def text_list(self, key: str) -> tuple[str, ...]:
        value = self.mapping.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.problem(key, f"「{self.name(key)}」应为列表", "写作 [甲, 乙] 或每项一行以“- ”开头")
            return ()
        items: list[str] = []
        for index, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, (str, int, float)) or not str(item).strip():
                self.log.add(
                    value.line_of(index) if isinstance(value, Sequence) else self.line(key),
                    f"「{self.name(key)}」第 {index + 1} 项应为非空文字",
                    "删去空项或改为文字",
                )
                continue
            items.append(str(item).strip())
        return tuple(items)

    def records(self, key: str, known_keys: set[str] | None = None, required: bool | None = None) -> list[Fields]:
        """A list of mappings (outcomes, updates, media…), each as its own Fields
        named after its place (``outcomes[2].``) and with unknown keys reported."""
        value = self.raw(key, required)
        if value is None:
            return []
        if not isinstance(value, Sequence):
            self.problem(key, f"「{self.name(key)}」应为列表，每项以“- ”开头", "参见《录入指南》的完整示例")
            return []
        found: list[Fields] = []
        for index, item in enumerate(value):
            if not isinstance(item, Mapping):
                self.log.add(
                    value.line_of(index),
                    f"「{self.name(key)}」第 {index + 1} 项应为“字段: 值”的映射",
                    "参见《录入指南》的完整示例",
                )
                continue
            record = Fields(item, self.log, f"{self.name(key)}[{index + 1}].", self.item_schema(key))
            record.check_keys(known_keys)
            found.append(record)
        return found

    def url(self, key: str, required: bool | None = None) -> str | None:
        value = self.text(key, required)
        if value is None:
            return None
        problem = unsafe_url(value)
        if problem:
            self.problem(key, f"「{self.name(key)}」的链接不安全或无效：「{excerpt(value, 80)}」", problem)
            return None
        return value

    def nested(self, key: str) -> Fields | None:
        value = self.mapping.get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.problem(key, f"「{self.name(key)}」应为“字段: 值”的映射", "参见《录入指南》的完整示例")
            return None
        return Fields(value, self.log, f"{self.name(key)}.", self.item_schema(key))


def unsafe_url(value: str) -> str:
    """Why a link from a record may not be published, or '' if it may.

    Only http, https and relative links are allowed: anything else
    (javascript:, data:, vbscript:, file:) could run in a reader's browser
    or in a newsroom that embeds our feeds.
    """
    folded = _URL_IGNORED.sub("", value)
    scheme = _SCHEME.match(folded)
    if scheme and scheme.group(1).lower() not in {"http", "https"}:
        return f"只允许 http、https 或站内相对链接，不允许「{scheme.group(1)}:」"
    if scheme and not folded.split(":", 1)[1].startswith("//"):
        return "http/https 链接应写作 https://… 的完整形式"
    return ""


def parse_day(value: object) -> date | None:
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    match = _DATE.match(str(value).strip())
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def parse_moment(value: object) -> datetime | None:
    """A date or datetime; naive ones are Beijing time (Asia/Shanghai)."""
    text = str(value).strip()
    day = parse_day(text)
    if day is not None:
        return datetime.combine(day, time(0, 0), tzinfo=SHANGHAI)
    match = _DATETIME.match(text)
    if not match:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace(" ", "T", 1).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=SHANGHAI)
