"""Controlled vocabularies of the content model.

Staff may write any value as its English name or its Chinese label, in
Simplified or Traditional characters (``implemented``, ``已落实``, ``已落實``).
The tables below list every accepted spelling explicitly rather than running a
general Traditional→Simplified converter: the sets are small and closed, and an
explicit table can never surprise anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Self


class Vocabulary(str, Enum):
    """An enum whose members carry a Chinese label and accepted spellings."""

    label: str
    spellings: tuple[str, ...]

    def __new__(cls, value: str, label: str, *traditional: str) -> Vocabulary:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.spellings = (value, label, *traditional)
        return member

    @classmethod
    def parse(cls, raw: object) -> Self | None:
        """The member a staff-written value names, or None."""
        if not isinstance(raw, str):
            return None
        wanted = raw.strip()
        for member in cls:
            if wanted in member.spellings or wanted.lower() == member.value:
                return member
        return None

    @classmethod
    def describe(cls) -> str:
        """All values for an error message: ``submitted（已交办）、claimed（已认领）…``."""
        return "、".join(f"{m.value}（{m.label}）" for m in cls)


class Status(Vocabulary):
    SUBMITTED = "submitted", "已交办", "已交辦"
    CLAIMED = "claimed", "已认领", "已認領"
    IN_PROGRESS = "in_progress", "办理中", "辦理中"
    ADOPTED = "adopted", "已采纳", "已採納", "已采納"
    IMPLEMENTED = "implemented", "已落实", "已落實"
    DECLINED = "declined", "未采纳", "未採納", "未采納"


class Level(Vocabulary):
    PROVINCE = "province", "省级", "省級"
    CITY = "city", "市级", "市級"
    COUNTY = "county", "县级", "縣級"
    TOWNSHIP = "township", "乡镇街道", "鄉鎮街道"
    COMMUNITY = "community", "社区村", "社區村"


class Stage(Vocabulary):
    PLANNED = "planned", "筹备中", "籌備中"
    HELD = "held", "已召开", "已召開"


class TopicSource(Vocabulary):
    PARTY_GOVERNMENT = "party_government", "党政点题", "黨政點題"
    MEMBER = "member", "委员荐题", "委員薦題"
    DEPARTMENT = "department", "部门荐题", "部門薦題"
    PUBLIC = "public", "群众出题", "群眾出題", "群衆出題"


class MediaKind(Vocabulary):
    ARTICLE = "article", "报道", "報道"
    VIDEO = "video", "视频", "視頻"
    BROADCAST = "broadcast", "节目", "節目"
    INTERVIEW = "interview", "访谈", "訪談"


CONCLUDED_STATUSES = frozenset({Status.IMPLEMENTED, Status.DECLINED})
ADOPTED_STATUSES = frozenset({Status.ADOPTED, Status.IMPLEMENTED})


class SupervisionKind(Vocabulary):
    """督办: how an outcome is pressed on beyond the ordinary handling."""

    LISTED = "listed", "挂牌督办", "掛牌督辦"
    KEY = "key", "重点督办", "重點督辦"
    LEADER = "leader", "领导领办", "領導領辦"


class Satisfaction(Vocabulary):
    """回访: the proposer's or the public's verdict at a follow-up visit."""

    SATISFIED = "satisfied", "满意", "滿意"
    BASICALLY_SATISFIED = "basically_satisfied", "基本满意", "基本滿意"
    DISSATISFIED = "dissatisfied", "不满意", "不滿意"


SATISFIED_VERDICTS = frozenset({Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED})


@dataclass(frozen=True)
class StatusStyle:
    """How a status looks on a badge: a CSS modifier shared by pages and charts."""

    css: str
    colour: str


# Colours are chosen to stay distinguishable for the common colour-vision
# deficiencies and to keep white badge text at a contrast ratio of at least
# 7:1 (WCAG AAA; AA asks 4.5:1), so that one set also serves 长辈版, which asks
# for stronger contrast: #4d5765 7.3, #185c94 7.0, #6e4800 8.1, #6b3fa0 7.4,
# #17652b 7.2, #9c1f18 8.0. assets/huiyin-status.css is generated from this table (outputs/stylesheet.py).
STATUS_STYLES: dict[Status, StatusStyle] = {
    Status.SUBMITTED: StatusStyle("submitted", "#4d5765"),
    Status.CLAIMED: StatusStyle("claimed", "#185c94"),
    Status.IN_PROGRESS: StatusStyle("in-progress", "#6e4800"),
    Status.ADOPTED: StatusStyle("adopted", "#6b3fa0"),
    Status.IMPLEMENTED: StatusStyle("implemented", "#17652b"),
    Status.DECLINED: StatusStyle("declined", "#9c1f18"),
}
