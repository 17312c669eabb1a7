"""The record contract (../shared/content-model.md), each field declared once.

A field is declared here with its key, its type, its vocabulary, whether it is
required, its Chinese label and a line of help. Everything else reads these
declarations instead of keeping a list of its own:

- the loader checks keys and required fields against them (records/loader.py);
- ``huiyin new session`` writes its commented template from them (staff/scaffold.py);
- the staff-guide test checks that the guide names every field (tests/test_staff_guide.py);
- the open-data columns, the field lists of the /data/ page and the Table
  Schemas of datapackage.json come from ``OUTCOME_COLUMNS``, ``UPDATE_COLUMNS``,
  ``SESSION_COLUMNS`` … (views/open_data.py, outputs/opendata.py).

A new field of the contract is one more ``Field`` here, one reader call in the
loader and, for open data, one more ``Column``.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from enum import Enum

from .vocab import Level, MediaKind, Satisfaction, Stage, Status, SupervisionKind, TopicSource, Vocabulary


class FieldType(Enum):
    """How a value is written; the Chinese is what the staff guide calls it."""

    TEXT = "文字"
    INTEGER = "整数"
    BOOLEAN = "true / false"
    DATE = "日期 YYYY-MM-DD"
    MOMENT = "日期或时间"
    MONTH_OR_DAY = "YYYY-MM 或 YYYY-MM-DD"
    VOCABULARY = "可选值"
    TEXT_LIST = "文字列表"
    URL = "链接"
    SLUG = "slug（小写字母、数字、连字符）"
    PLATFORM = "平台 slug"
    DEPARTMENTS = "承办单位名称列表"
    DEPARTMENT = "承办单位名称"
    PERIOD = "期限，如 15个工作日、2个月、30天"
    PATH = "content/ 下的文件路径"
    MAPPING = "映射"
    RECORDS = "列表（每项一个映射）"


@dataclass(frozen=True)
class Field:
    key: str
    type: FieldType
    label: str  # what the field is called on pages and in messages: 议题
    help: str = ""  # one line on what to write, shown in the template and the guide
    required: bool = False
    vocabulary: builtins.type[Vocabulary] | None = None  # builtins: `type` is the field above
    minimum: int | None = None
    items: RecordSchema | None = None  # the schema of each item (RECORDS) or of the mapping (MAPPING)
    absent: str = ""  # what it means when the field is left out, e.g. 不写即已召开

    @property
    def note(self) -> str:
        """The comment a template line carries: the help, or the label, and the vocabulary's values."""
        text = self.help or self.label
        if self.vocabulary is not None:
            values = " · ".join(f"{m.value} {m.label}" for m in self.vocabulary)
            text = f"{text}：{values}" if self.help else values
        return f"{text}（{self.absent}）" if self.absent else text


@dataclass(frozen=True)
class RecordSchema:
    name: str  # session, outcome, update…
    label: str  # 协商活动, 建议…
    fields: tuple[Field, ...]
    # Keys another program reads from the same front matter (MkDocs, Material),
    # accepted but not part of the record.
    passthrough: frozenset[str] = field(default_factory=frozenset)

    def __getitem__(self, key: str) -> Field:
        for candidate in self.fields:
            if candidate.key == key:
                return candidate
        raise KeyError(f"{self.name} has no field {key!r}")

    def keys(self) -> set[str]:
        """Every key a record of this kind may carry."""
        return {f.key for f in self.fields} | self.passthrough

    @property
    def required(self) -> list[str]:
        return [f.key for f in self.fields if f.required]


# Keys MkDocs and Material read from front matter; staff may use them freely.
THEME_KEYS = frozenset({"template", "hide", "description", "icon", "search", "comments", "subtitle"})

# The privacy waiver (records/privacy.py): numbers a reviewer has cleared for publication.
REVIEWED_NUMBERS = Field("reviewed_numbers", FieldType.TEXT_LIST, "已审核可公开的号码",
                         "经审核确可公开的电话等号码，逐个列出")

DOCUMENT = RecordSchema("document", "相关文件", (
    Field("title", FieldType.TEXT, "文件标题", required=True),
    Field("url", FieldType.URL, "文件链接", "https://… 或站内相对链接"),
))

UPDATE = RecordSchema("update", "办理进展", (
    Field("date", FieldType.DATE, "日期", required=True),
    Field("status", FieldType.VOCABULARY, "状态", required=True, vocabulary=Status),
    Field("note", FieldType.TEXT, "答复摘要", "答复摘要；未采纳（declined）时必须写明原因"),
    Field("documents", FieldType.RECORDS, "相关文件", items=DOCUMENT),
    Field("extend_to", FieldType.DATE, "延期至", "经批准延期：答复期限改到这一天；须在 note 写明原因"),
    Field("satisfaction", FieldType.VOCABULARY, "回访满意度", "回访结果", vocabulary=Satisfaction),
))

SUPERVISION = RecordSchema("supervision", "督办", (
    Field("kind", FieldType.VOCABULARY, "督办方式", required=True, vocabulary=SupervisionKind),
    Field("by", FieldType.TEXT, "督办单位", "谁督办，如 市政府办公厅"),
    Field("since", FieldType.DATE, "督办起始日期"),
))

OUTCOME = RecordSchema("outcome", "问题及建议", (
    Field("id", FieldType.SLUG, "建议 id", "本活动内唯一；小写字母、数字、连字符", required=True),
    Field("text", FieldType.TEXT, "建议内容", required=True),
    Field("departments", FieldType.DEPARTMENTS, "承办单位", "承办单位：departments.yml 中的名称或别名", required=True),
    Field("lead", FieldType.DEPARTMENT, "主办单位", "主办单位：departments 中的一个；其余为协办单位"),
    Field("due", FieldType.DATE, "答复期限"),
    Field("due_in", FieldType.PERIOD, "答复期限（期限）", "从交办次日起算的期限，如 15个工作日、2个月；不与 due 同写"),
    Field("supervision", FieldType.MAPPING, "督办", items=SUPERVISION),
    Field("updates", FieldType.RECORDS, "办理进展", required=True, items=UPDATE),
))

MEDIA = RecordSchema("media", "媒体报道", (
    Field("title", FieldType.TEXT, "报道标题", required=True),
    Field("url", FieldType.URL, "链接"),
    Field("outlet", FieldType.TEXT, "媒体名称"),
    Field("kind", FieldType.VOCABULARY, "类型", vocabulary=MediaKind),
))

PARTICIPANTS = RecordSchema("participants", "参加人员", (
    Field("members", FieldType.INTEGER, "政协委员人数", minimum=0),
    Field("experts", FieldType.INTEGER, "专家学者人数", minimum=0),
    Field("public", FieldType.INTEGER, "群众代表人数", minimum=0),
    Field("officials", FieldType.DEPARTMENTS, "到会部门", "到会部门：departments.yml 中的名称或别名"),
))

SESSION = RecordSchema("session", "协商活动", (
    Field("title", FieldType.TEXT, "议题", required=True),
    Field("platform", FieldType.PLATFORM, "平台", "平台 slug（platforms/ 下的文件名）", required=True),
    Field("date", FieldType.DATE, "召开日期", "召开日期；筹备中的写计划日期", required=True),
    Field("id", FieldType.TEXT, "稳定标识", "稳定标识，默认“年份/文件名”；发布后要移动或改名文件，先把原 id 写在这里"),
    Field("number", FieldType.INTEGER, "期数", "第几期；同一平台内不能重复", minimum=1),
    Field("stage", FieldType.VOCABULARY, "阶段", vocabulary=Stage, absent="不写即已召开"),
    Field("location", FieldType.TEXT, "地点"),
    Field("topic_source", FieldType.VOCABULARY, "选题来源", "选题来源", vocabulary=TopicSource),
    Field("tags", FieldType.TEXT_LIST, "主题标签"),
    Field("participants", FieldType.MAPPING, "参加人员", items=PARTICIPANTS),
    Field("public_input", FieldType.INTEGER, "征集到的群众意见条数", minimum=0),
    Field("media", FieldType.RECORDS, "媒体报道", "媒体报道，每篇一项", items=MEDIA),
    Field("outcomes", FieldType.RECORDS, "问题及建议", "问题及建议；之后的办理进展用 huiyin update 追加", items=OUTCOME),
    Field("draft", FieldType.BOOLEAN, "草稿", "草稿，不会发布；核对无误后删去这一行"),
    Field("publish_date", FieldType.MOMENT, "定时发布", "定时发布：这一时刻（北京时间）之前不发布"),
    REVIEWED_NUMBERS,
), passthrough=THEME_KEYS)

PLATFORM = RecordSchema("platform", "协商平台", (
    Field("name", FieldType.TEXT, "平台名称", required=True),
    Field("parent", FieldType.PLATFORM, "上级平台"),
    Field("level", FieldType.VOCABULARY, "层级", required=True, vocabulary=Level),
    Field("region", FieldType.TEXT, "地区", required=True),
    Field("organizers", FieldType.TEXT_LIST, "主办单位"),
    Field("launched", FieldType.MONTH_OR_DAY, "启用时间"),
    Field("annual_target", FieldType.INTEGER, "年度计划场次", minimum=1),
    Field("answer_within", FieldType.PERIOD, "答复期限", "本平台及下级平台各条建议的默认答复期限，如 15个工作日"),
    Field("venue", FieldType.TEXT, "地点"),
    Field("hours", FieldType.TEXT, "开放时间"),
    Field("contact", FieldType.TEXT, "联系方式"),
    Field("logo", FieldType.PATH, "标志图片"),
    REVIEWED_NUMBERS,
    Field("title", FieldType.TEXT, "页面标题"),
), passthrough=THEME_KEYS)

DEPARTMENT = RecordSchema("department", "承办单位", (
    Field("slug", FieldType.SLUG, "标识", required=True),
    Field("name", FieldType.TEXT, "全称", required=True),
    Field("aliases", FieldType.TEXT_LIST, "别名"),
))

RECORD_SCHEMAS = (PLATFORM, DEPARTMENT, SESSION, OUTCOME, UPDATE, DOCUMENT, MEDIA, PARTICIPANTS, SUPERVISION)


# -- open data ----------------------------------------------------------------


class ColumnType(Enum):
    """Table Schema types (Frictionless), which data tools read."""

    STRING = "string"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    DATE = "date"
    ARRAY = "array"  # in CSV: items joined with LIST_SEPARATOR (Table Schema v2 "list")

    @property
    def label(self) -> str:
        """What the /data/ page calls the type."""
        return _COLUMN_TYPE_LABELS[self]


_COLUMN_TYPE_LABELS = {
    ColumnType.STRING: "文字",
    ColumnType.INTEGER: "整数",
    ColumnType.BOOLEAN: "true / false",
    ColumnType.DATE: "日期 YYYY-MM-DD",
    ColumnType.ARRAY: "列表（CSV 中以 ; 分隔）",
}

LIST_SEPARATOR = ";"  # between the items of a list in one CSV cell


@dataclass(frozen=True)
class Column:
    key: str
    type: ColumnType
    description: str  # Chinese, shown on the feedback and /data/ pages and in datapackage.json
    vocabulary: builtins.type[Vocabulary] | None = None  # builtins: `type` is the field above
    labels: bool = False  # the cell holds the vocabulary's Chinese labels, not its values
    in_json: bool = True  # False: a name or label repeated for spreadsheet readers only
    in_csv: bool = True  # False: a list of mappings (updates), JSON only
    nullable: bool = False

    @property
    def allowed(self) -> tuple[str, ...]:
        """The values a cell may hold, when a vocabulary says (the enum of its Table Schema field)."""
        if self.vocabulary is None:
            return ()
        return tuple(m.label if self.labels else m.value for m in self.vocabulary)


OUTCOME_COLUMNS = (
    Column("id", ColumnType.STRING, "建议的全局编号：活动 id#建议 id"),
    Column("session", ColumnType.STRING, "所属协商活动的 id"),
    Column("session_title", ColumnType.STRING, "协商活动议题", in_json=False),
    Column("session_date", ColumnType.DATE, "协商活动日期", in_json=False),
    Column("platform", ColumnType.STRING, "平台 slug，按 slug 查 platforms.json"),
    Column("platform_name", ColumnType.STRING, "平台名称", in_json=False),
    Column("text", ColumnType.STRING, "建议内容"),
    Column("departments", ColumnType.ARRAY, "承办单位的 slug，按 slug 查 departments.json"),
    Column("department_names", ColumnType.ARRAY, "承办单位全称", in_json=False),
    Column("status", ColumnType.STRING, "当前状态（英文值）", vocabulary=Status),
    Column("status_label", ColumnType.STRING, "当前状态（中文）", vocabulary=Status, labels=True, in_json=False),
    Column("due", ColumnType.DATE, "有效答复期限：延期后的，或由 due、due_in、平台 answer_within 得出（无则为空）", nullable=True),
    Column("last_update", ColumnType.DATE, "最近一次办理进展的日期", in_json=False),
    Column("claimed", ColumnType.BOOLEAN, "已认领：当前状态不是已交办"),
    Column("answered", ColumnType.BOOLEAN, "已反馈：至少一条进展写有答复摘要"),
    Column("adopted", ColumnType.BOOLEAN, "已采纳：当前状态为已采纳或已落实"),
    Column("concluded", ColumnType.BOOLEAN, "已办结：当前状态为已落实或未采纳"),
    Column("overdue", ColumnType.BOOLEAN, "逾期：答复期限已过而尚未办结"),
    Column("updates", ColumnType.ARRAY, "办理进展：每条 {date, status, note, documents}，最早的在前", in_csv=False),
    Column("url", ColumnType.STRING, "该建议在协商活动页上的地址"),
    Column("lead", ColumnType.STRING, "主办单位的 slug；写了主办单位或只有一个承办单位时才有", nullable=True),
    Column("due_original", ColumnType.DATE, "延期前的答复期限（无则为空）", nullable=True),
    Column("due_estimated", ColumnType.BOOLEAN, "答复期限为“预计”：所在年份的节假日安排尚未公布，按周一至周五计算"),
    Column("extended", ColumnType.BOOLEAN, "经批准延期过"),
    Column("supervision", ColumnType.STRING, "督办：JSON 中为 {kind, by, since}，CSV 中为督办方式",
           vocabulary=SupervisionKind, nullable=True),
    Column("satisfaction", ColumnType.STRING, "最近一次回访的满意度", vocabulary=Satisfaction, nullable=True),
    Column("reopened", ColumnType.BOOLEAN, "重新办理过：状态曾从办结改回未办结"),
    Column("on_time", ColumnType.BOOLEAN, "按期办结；无期限、或未办结且未到期限时为空", nullable=True),
)

# updates.csv: the whole chain, one row per update (content model, «Open data»).
# extend_to and satisfaction are the handling fields of the contract's «Handling»
# section; their cells stay empty until records carry them.
UPDATE_COLUMNS = (
    Column("outcome", ColumnType.STRING, "所属建议的全局编号（outcomes 中的 id）"),
    Column("session", ColumnType.STRING, "所属协商活动的 id"),
    Column("platform", ColumnType.STRING, "平台 slug，按 slug 查 platforms.json"),
    Column("position", ColumnType.INTEGER, "这是该建议的第几项办理进展（从 1 起，最早的为 1）"),
    Column("date", ColumnType.DATE, "办理进展的日期"),
    Column("status", ColumnType.STRING, "这项进展的状态（英文值）", vocabulary=Status),
    Column("status_label", ColumnType.STRING, "这项进展的状态（中文）", vocabulary=Status, labels=True),
    Column("note", ColumnType.STRING, "答复摘要或说明（无则为空）", nullable=True),
    Column("extend_to", ColumnType.DATE, "延期：答复期限延至此日（无则为空）", nullable=True),
    Column("satisfaction", ColumnType.STRING, "回访满意度（英文值；无则为空）", nullable=True),
    Column("document_titles", ColumnType.ARRAY, "相关文件的标题（无则为空）", nullable=True),
    Column("document_urls", ColumnType.ARRAY, "相关文件的链接，与标题一一对应；没有链接的文件为空项", nullable=True),
)

SESSION_COLUMNS = (
    Column("id", ColumnType.STRING, "协商活动的 id：默认“年份/文件名”，长期不变"),
    Column("title", ColumnType.STRING, "议题"),
    Column("platform", ColumnType.STRING, "平台 slug，按 slug 查 platforms.json"),
    Column("platform_name", ColumnType.STRING, "平台名称"),
    Column("date", ColumnType.DATE, "召开日期（筹备中的为计划日期）"),
    Column("number", ColumnType.INTEGER, "期数（第几期；无则为 null）", nullable=True),
    Column("stage", ColumnType.STRING, "阶段（英文值）", vocabulary=Stage),
    Column("tags", ColumnType.ARRAY, "主题标签"),
    Column("outcomes", ColumnType.INTEGER, "已公开的问题及建议条数"),
    Column("url", ColumnType.STRING, "协商活动页面的地址"),
)

PLATFORM_COLUMNS = (
    Column("slug", ColumnType.STRING, "平台 slug"),
    Column("name", ColumnType.STRING, "平台名称"),
    Column("level", ColumnType.STRING, "层级（英文值）", vocabulary=Level),
    Column("region", ColumnType.STRING, "地区"),
    Column("parent", ColumnType.STRING, "上级平台的 slug（无则为 null）", nullable=True),
    Column("url", ColumnType.STRING, "平台页面的地址"),
)

DEPARTMENT_COLUMNS = (
    Column("slug", ColumnType.STRING, "承办单位 slug"),
    Column("name", ColumnType.STRING, "全称"),
    Column("aliases", ColumnType.ARRAY, "别名"),
)


@dataclass(frozen=True)
class DataTable:
    """One kind of open-data file: its columns, in order, and what identifies a row."""

    name: str  # the file name without extension: outcomes, updates…
    label: str  # Chinese, for the /data/ page
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]


OUTCOMES_TABLE = DataTable("outcomes", "问题及建议", OUTCOME_COLUMNS, ("id",))
UPDATES_TABLE = DataTable("updates", "办理进展", UPDATE_COLUMNS, ("outcome", "position"))
SESSIONS_TABLE = DataTable("sessions", "协商活动", SESSION_COLUMNS, ("id",))
PLATFORMS_TABLE = DataTable("platforms", "协商平台", PLATFORM_COLUMNS, ("slug",))
DEPARTMENTS_TABLE = DataTable("departments", "承办单位", DEPARTMENT_COLUMNS, ("slug",))


def csv_columns(columns: tuple[Column, ...]) -> tuple[str, ...]:
    return tuple(c.key for c in columns if c.in_csv)


def csv_only(columns: tuple[Column, ...]) -> tuple[str, ...]:
    return tuple(c.key for c in columns if not c.in_json)
