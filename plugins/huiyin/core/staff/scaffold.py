"""A new session record: where it goes and what it says before staff fill it in.

The template carries every field of the content model, each line's comment
taken from the field's declaration in records/schema.py. Fields staff must fill
are written out; the others are comments with an example value and a short
explanation, so a staff member adds a field by deleting the leading "# " of a
line instead of looking up its spelling. Sub-fields that rarely apply are
commented twice ("# # note: …"), so uncommenting a whole block once still
gives a valid record.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from ..records.fields import SLUG
from ..records.schema import MEDIA, OUTCOME, PARTICIPANTS, SESSION, SUPERVISION, UPDATE
from ..records.vocab import MediaKind, Satisfaction, Stage, Status, SupervisionKind, TopicSource

# Explanations start in this display column when the field is shorter.
COMMENT_COLUMN = 34
MAX_SLUG_LENGTH = 40
# Words that only pad a title ("关于…的协商") and make slugs long.
SLUG_STOPWORDS = {"关于", "的", "了", "之"}
# The part of a title before one of these is its short topic ("破解停车难：…").
_TOPIC_BREAK = re.compile(r"[：:｜|]|——| - ")


@dataclass(frozen=True)
class SessionDraft:
    """What staff told `huiyin new session`, checked and completed."""

    title: str
    platform: str  # platform slug
    held_on: date
    slug: str
    department_example: str  # a real department name, so uncommented examples validate
    planned: bool  # the date is after today: the session is still being prepared

    @property
    def relative_path(self) -> str:
        return f"sessions/{self.held_on.year}/{self.slug}.md"

    @property
    def default_id(self) -> str:
        return f"{self.held_on.year}/{self.slug}"


# -- slugs -------------------------------------------------------------------


def pinyin_available() -> bool:
    try:
        import pypinyin  # noqa: F401
    except ImportError:
        return False
    return True


def slug_from_title(title: str) -> str | None:
    """A pinyin slug for a title (``破解停车难：…`` → ``pojie-tingchenan``), or None.

    None when pypinyin is not installed or the title gives no usable letters.
    Words come from jieba (installed with huiyin for search), so each word's
    syllables stay together and polyphones read as in that word (重庆 → chongqing).
    """
    if not pinyin_available():
        return None
    topic = _TOPIC_BREAK.split(title, maxsplit=1)[0].strip()
    for text in (topic, title):
        slug = _pinyin_slug(text)
        if slug and len(slug) >= 4:
            return slug
    return None


def _pinyin_slug(text: str) -> str:
    import jieba
    from pypinyin import Style, lazy_pinyin

    jieba.setLogLevel(60)  # jieba announces its dictionary on stderr; staff need not see that
    words: list[str] = []
    for word in jieba.cut(text):
        if word.strip() in SLUG_STOPWORDS:
            continue
        syllables = "".join(lazy_pinyin(word, style=Style.NORMAL, v_to_u=False))
        cleaned = re.sub(r"[^a-z0-9]+", "", syllables.lower())
        if cleaned:
            words.append(cleaned)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_SLUG_LENGTH and slug:
            break
        slug = candidate[:MAX_SLUG_LENGTH]
    slug = slug.strip("-")  # a cut at MAX_SLUG_LENGTH may end on one
    return slug if SLUG.match(slug) else ""


# -- the template ------------------------------------------------------------


def display_width(text: str) -> int:
    """Columns a text takes in a terminal or editor: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def with_comment(line: str, comment: str) -> str:
    padding = max(2, COMMENT_COLUMN - display_width(line))
    return f"{line}{' ' * padding}# {comment}"


def session_template(draft: SessionDraft) -> str:
    """The text of a new session record."""
    d = draft.department_example
    year = draft.held_on.year
    lines = [
        "---",
        "# 协商活动记录。以 # 开头的内容是注释，不会发布。",
        "# 要填写某一项：删去该行开头的“# ”，再改写示例值。字段说明见《录入指南》。",
        with_comment(f"title: {_scalar(draft.title)}", SESSION["title"].note),
        with_comment(f"platform: {draft.platform}", SESSION["platform"].note),
        with_comment(f"date: {draft.held_on.isoformat()}", SESSION["date"].note),
        with_comment("draft: true", SESSION["draft"].note),
        with_comment(f"{'' if draft.planned else '# '}stage: {Stage.PLANNED.value}", SESSION["stage"].note),
        with_comment("# number: 1", SESSION["number"].note),
        with_comment("# location: 委员联络活动工作室", SESSION["location"].note),
        with_comment(f"# topic_source: {TopicSource.PUBLIC.value}", SESSION["topic_source"].note),
        with_comment("# tags: [停车, 城市治理]", SESSION["tags"].note),
        with_comment("# participants:", SESSION["participants"].note),
        with_comment("#   members: 10", PARTICIPANTS["members"].note),
        with_comment("#   experts: 2", PARTICIPANTS["experts"].note),
        with_comment("#   public: 5", PARTICIPANTS["public"].note),
        with_comment(f"#   officials: [{d}]", PARTICIPANTS["officials"].note),
        with_comment("# public_input: 0", SESSION["public_input"].note),
        with_comment("# media:", SESSION["media"].note),
        "#   - title: 报道标题",
        "#     url: https://",
        "#     outlet: 媒体名称",
        with_comment(f"#     kind: {MediaKind.ARTICLE.value}", MEDIA["kind"].note),
        with_comment(f"# id: {draft.default_id}", SESSION["id"].note),
        with_comment(f"# publish_date: {year}-12-31 09:00", SESSION["publish_date"].note),
        with_comment("# outcomes:", SESSION["outcomes"].note),
        with_comment("#   - id: jianyi-1", OUTCOME["id"].note),
        "#     text: 建议内容",
        with_comment(f"#     departments: [{d}]", OUTCOME["departments"].note),
        with_comment(f"#     # lead: {d}", OUTCOME["lead"].note),
        with_comment(f"#     # due: {year}-12-31", OUTCOME["due"].note),
        with_comment("#     # due_in: 15个工作日", OUTCOME["due_in"].note),
        with_comment("#     # supervision:", OUTCOME["supervision"].note),
        with_comment(f"#     #   kind: {SupervisionKind.LISTED.value}", SUPERVISION["kind"].note),
        with_comment("#     #   by: 市政府办公厅", SUPERVISION["by"].note),
        with_comment(f"#     #   since: {draft.held_on.isoformat()}", SUPERVISION["since"].note),
        "#     updates:",
        with_comment(f"#       - date: {draft.held_on.isoformat()}", "交办日期"),
        with_comment(f"#         status: {Status.SUBMITTED.value}", Status.SUBMITTED.label),
        with_comment("#         # note: 说明", UPDATE["note"].note),
        with_comment("#         # documents:", UPDATE["documents"].note),
        "#         #   - title: 文件标题",
        "#         #     url: https://",
        with_comment(f"#         # extend_to: {year}-12-31", UPDATE["extend_to"].note),
        with_comment(f"#         # satisfaction: {Satisfaction.SATISFIED.value}", UPDATE["satisfaction"].note),
        "---",
        "",
        "（在此写协商活动纪要：背景、调研、协商过程和各方主要意见。正文用 Markdown 书写。）",
        "",
    ]
    return "\n".join(lines)


def _scalar(text: str) -> str:
    """A title as a YAML scalar: plain when that reads back the same, else quoted."""
    from io import StringIO

    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 4096
    out = StringIO()
    yaml.dump({"t": text}, out)
    return out.getvalue().strip()[len("t: "):]
