"""Reading record files: front matter and body, with line numbers kept.

YAML is parsed with PyYAML's safe loader, changed in two ways that matter to
staff: mappings remember the line of every key so that problems point at the
right line, and dates stay text so that an impossible date such as 2021-02-30
becomes a clear problem instead of a crash inside the YAML library.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml


class Mapping(dict[str, Any]):
    """A YAML mapping that knows the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.key_lines = {}

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Sequence(list[Any]):
    """A YAML sequence that knows the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.item_lines = []

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _RecordLoader(yaml.SafeLoader):
    pass


# Dates are parsed by the content model, not by YAML (see module docstring).
_RecordLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _mapping(loader: yaml.SafeLoader | yaml.CSafeLoader, node: yaml.MappingNode, build: Callable[[yaml.Node], Any]) -> Mapping:
    mapping = Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = build(key_node)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "键必须是文字", key_node.start_mark
            )
        key = str(key)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"键「{key}」重复出现", key_node.start_mark
            )
        mapping[key] = build(value_node)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _sequence(node: yaml.SequenceNode, build: Callable[[yaml.Node], Any]) -> Sequence:
    sequence = Sequence(build(child) for child in node.value)
    sequence.line = node.start_mark.line + 1
    sequence.item_lines = [child.start_mark.line + 1 for child in node.value]
    return sequence


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Mapping:
    return _mapping(loader, node, lambda child: loader.construct_object(child, deep=True))


def _construct_sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> Sequence:
    return _sequence(node, lambda child: loader.construct_object(child, deep=True))


_RecordLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_RecordLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)

_LONGEST_NUMBER = 40  # characters; a longer run of digits is text, not a count


def _guarded(construct: Any) -> Any:
    """A scalar constructor whose failures are YAML problems with a line.

    PyYAML's own constructors raise ValueError, KeyError or AttributeError on
    values such as `!!int x`, `!!timestamp 2021-02-30` or `!!bool maybe`.
    """

    def construct_guarded(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, TypeError, AttributeError, KeyError, OverflowError):
            raise yaml.constructor.ConstructorError(
                None, None, f"无法识别的值「{str(node.value)[:40]}」", node.start_mark
            ) from None

    return construct_guarded


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    # Python refuses to turn very long digit runs into int (and back): keep them as text.
    if len(str(node.value)) > _LONGEST_NUMBER:
        return str(node.value)
    return yaml.SafeLoader.construct_yaml_int(loader, node)


for _tag, _construct in list(yaml.SafeLoader.yaml_constructors.items()):
    if _tag not in (yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG):
        _RecordLoader.add_constructor(_tag, _guarded(_construct))
_RecordLoader.add_constructor("tag:yaml.org,2002:int", _guarded(_construct_int))


# The same loader on libyaml's C parser: ~10× faster, which a province of
# 20,000 records needs (parsing was the largest cost of a build). Its error
# wording differs, so a file it rejects is parsed again with the pure-Python
# loader above to report the usual message (errors are rare; see parse_yaml).
_FastRecordLoader: type[yaml.SafeLoader] = _RecordLoader
if getattr(yaml, "__with_libyaml__", False):

    class _CRecordLoader(yaml.CSafeLoader):
        yaml_implicit_resolvers = _RecordLoader.yaml_implicit_resolvers
        yaml_constructors = dict(_RecordLoader.yaml_constructors)

        def get_single_data(self) -> Any:
            # PyYAML's generic construct_object (state, recursion bookkeeping)
            # was most of the cost of loading once parsing moved to C. Records
            # are plain trees of mappings, lists and mostly text: build them
            # directly, and hand any other scalar to the guarded constructors.
            node = self.get_single_node()
            return None if node is None else _Builder(self).build(node)

    _CRecordLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _CRecordLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    _FastRecordLoader = _CRecordLoader  # type: ignore[assignment]


class _Builder:
    """Builds one document's nodes into Mapping/Sequence/scalars, each node once
    (an alias reuses what its anchor built, so `&a`/`*a` bombs stay linear)."""

    STR = "tag:yaml.org,2002:str"

    def __init__(self, loader: yaml.SafeLoader | yaml.CSafeLoader):
        self.loader = loader
        self.built: dict[int, Any] = {}

    def build(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode) and node.tag == self.STR:
            return node.value
        known = self.built.get(id(node), _MISSING)
        if known is not _MISSING:
            return known
        if isinstance(node, yaml.MappingNode) and node.tag == yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG:
            value: Any = _mapping(self.loader, node, self.build)
        elif isinstance(node, yaml.SequenceNode) and node.tag == yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG:
            value = _sequence(node, self.build)
        else:
            value = self.loader.construct_object(node, deep=True)
        self.built[id(node)] = value
        return value


_MISSING = object()


class SourceError(Exception):
    """The file cannot be read as a record at all."""

    def __init__(self, line: int | None, message: str, hint: str):
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint


@dataclass
class RecordSource:
    meta: Mapping
    body: str
    body_line: int  # line of the file where the body starts


_FENCE = re.compile(r"^---[ \t]*$")


def decode(raw: bytes) -> str:
    """Text of a record file: UTF-8, with or without BOM, any line endings."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise SourceError(
            line,
            "文件不是 UTF-8 编码",
            "请在编辑器中以 UTF-8 编码另存此文件（常见原因：用 GBK/GB2312 保存）",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_yaml(text: str, first_line: int = 1) -> Any:
    """Parse YAML text, turning syntax errors into a SourceError with a line."""
    if _FastRecordLoader is not _RecordLoader:
        try:
            return yaml.load(text, Loader=_FastRecordLoader)  # noqa: S506 - a CSafeLoader subclass
        except (yaml.YAMLError, RecursionError):
            pass  # report it in the pure-Python loader's words, below
    try:
        return yaml.load(text, Loader=_RecordLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + mark.line if mark else None
        what = error.problem or error.context or "无法解析"
        raise SourceError(
            line,
            f"YAML 格式错误：{what}",
            "检查这一行及上一行的缩进、冒号后的空格和引号是否成对",
        ) from None
    except yaml.reader.ReaderError as error:
        line = first_line + text.count("\n", 0, error.position)
        raise SourceError(
            line,
            f"含有不允许的控制字符（U+{error.character:04X}）" if isinstance(error.character, int) else "含有无法读取的字符",
            "删除这个看不见的字符（常见于从网页或 Word 复制的文字），或重新输入这一行",
        ) from None
    except yaml.YAMLError as error:
        raise SourceError(None, f"YAML 格式错误：{str(error)[:200]}", "检查文件的 YAML 写法") from None
    except RecursionError:
        raise SourceError(None, "YAML 嵌套过深", "记录不应有这么多层嵌套") from None


def split_record(text: str) -> RecordSource:
    """Split a Markdown record into its front matter mapping and its body."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        raise SourceError(
            1,
            "文件开头没有 YAML 前置信息（front matter）",
            "第一行应为 ---，随后写字段，再以 --- 结束",
        )
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index]) or lines[index].rstrip() == "...":
            # A leading blank line stands for the opening fence, so YAML's
            # line numbers are the file's own.
            meta = parse_yaml("\n" + "\n".join(lines[1:index]))
            if meta is None:
                meta = Mapping()
                meta.line, meta.key_lines = 1, {}
            if not isinstance(meta, Mapping):
                raise SourceError(2, "前置信息应当是“字段: 值”的映射", "每行写一个字段，如 title: 议题")
            return RecordSource(meta, "\n".join(lines[index + 1 :]), index + 2)
    raise SourceError(1, "前置信息没有结束的 --- 行", "在字段之后加一行 ---，再写正文")
