"""Rules that span session files: ids unique across the site, numbers within a platform.

Each file is blamed at the line of the key that clashes, so staff fix the
right file: of two files sharing an id, the one that pinned it by hand.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from .entities import Session
from .fields import excerpt
from .problems import ProblemLog
from .sessions import SessionOrigin

LogFor = Callable[[str], ProblemLog]  # source path -> that file's log


def check_unique_sessions(sessions: list[Session], origins: dict[str, SessionOrigin], log_for: LogFor) -> None:
    _check_unique_ids(sessions, origins, log_for)
    _check_unique_numbers(sessions, origins, log_for)


def _check_unique_ids(sessions: list[Session], origins: dict[str, SessionOrigin], log_for: LogFor) -> None:
    by_id: dict[str, list[Session]] = defaultdict(list)
    for session in sessions:
        by_id[session.id].append(session)
    for session_id, sharing in by_id.items():
        if len(sharing) < 2:
            continue
        # Blame the files that pinned the id by hand, if any did: the
        # others merely carry their default id.
        pinned = [s for s in sharing if origins[s.source_path].pinned_id]
        for session in pinned or sharing:
            others = "、".join(s.source_path for s in sharing if s is not session)
            key = "id" if origins[session.source_path].pinned_id else "title"
            log_for(session.source_path).add(
                origins[session.source_path].line_of(key),
                f"活动 id「{excerpt(session_id)}」与 {others} 重复",
                "每个活动的 id 必须唯一；移动文件时请保留原 id，新文件换一个 id",
            )


def _check_unique_numbers(sessions: list[Session], origins: dict[str, SessionOrigin], log_for: LogFor) -> None:
    by_number: dict[tuple[str, int], list[Session]] = defaultdict(list)
    for session in sessions:
        if session.number is not None:
            by_number[(session.platform.slug, session.number)].append(session)
    for (_, number), sharing in by_number.items():
        for session in sharing if len(sharing) > 1 else []:
            others = "、".join(s.source_path for s in sharing if s is not session)
            log_for(session.source_path).add(
                origins[session.source_path].line_of("number"),
                f"第 {number} 期在平台「{session.platform.name}」中重复，又见于 {others}",
                "同一平台的期数不能重复，请核对期数",
            )
