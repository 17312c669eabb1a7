"""Reading the records and their git history for one build, in the words staff see.

The core loads and validates (core/model/loading.py), narrows a preview
(core/model/preview.py) and reads git (core/model/history.py); here their
failures become MkDocs' PluginError and their caveats MkDocs' log lines.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError

from ..core.base.clock import build_time
from ..core.model.corpus import Corpus
from ..core.model.history import HistoryUnavailable, RepositoryHistory
from ..core.model.history import read_history as read_git_history
from ..core.model.loading import load_corpus
from ..core.model.preview import (
    ENV_PLATFORMS,
    ENV_YEARS,
    PreviewScopeError,
    preview_scope,
    restrict,
)
from ..core.records.cache import KeptRecords
from ..core.records.problems import ContentError

log = logging.getLogger("mkdocs.plugins.huiyin")


def _calendar_log() -> logging.Logger:
    """A warning that `mkdocs build --strict` prints but does not count.

    A deadline that runs into a year whose holiday notice is not yet out is no
    mistake staff can fix: every autumn, 15个工作日 from late November reaches
    into a year the State Council announces weeks later. Under MkDocs' own
    logger the warning would fail every strict build (and so the publishing
    pipeline) until an engineer transcribes the notice; outside it, the log
    still says so, once, and the pages say 预计.
    """
    logger = logging.getLogger("huiyin.calendar")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("WARNING -  %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    return logger


def warn_estimated_years(corpus: Corpus) -> None:
    years = corpus.estimated_years
    if years:
        _calendar_log().warning(
            "huiyin: 尚未录入 %s 年的节假日安排，这些年份的答复期限按周一至周五计算，页面标为“预计”。"
            "国务院办公厅的通知发布后，请录入 plugins/huiyin/core/base/holiday_notices.py。",
            "、".join(str(y) for y in years),
        )


def load_records(docs_dir: str, cache_dir: Path | None = None,
                 kept: KeptRecords | None = None) -> tuple[Corpus, frozenset[str]]:
    """Every record, validated; then, under a partial preview, only those it keeps.

    Returns the corpus to render and the session files a partial preview
    leaves out (to be taken out of MkDocs' files). ``kept``: the records of
    the last load, under `mkdocs serve`.
    """
    try:
        corpus = load_corpus(docs_dir, build_time(), cache_dir=cache_dir, kept=kept)
    except ContentError as error:
        raise PluginError(error.report()) from None
    except ValueError as error:  # a bad SOURCE_DATE_EPOCH
        raise PluginError(str(error)) from None
    warn_estimated_years(corpus)
    return preview_only(corpus)


def preview_only(corpus: Corpus) -> tuple[Corpus, frozenset[str]]:
    """Under HUIYIN_ONLY_PLATFORMS / HUIYIN_ONLY_YEARS: render fewer sessions, and say so.

    The whole corpus has been validated already; only rendering shrinks. A
    warning, so that `mkdocs build --strict` refuses to produce a partial site.
    """
    try:
        scope = preview_scope(os.environ, corpus)
    except PreviewScopeError as error:
        raise PluginError(str(error)) from None
    if scope is None:
        return corpus, frozenset()
    partial = restrict(corpus, scope)
    kept = {session.source_path for session in partial.sessions}
    held_out = frozenset(s.source_path for s in corpus.sessions if s.source_path not in kept)
    log.warning(
        "huiyin: 局部预览（%s）：只生成 %d / %d 场协商活动，列表、统计和订阅也只含这些。"
        "这不是完整站点，不要发布；取消环境变量 %s、%s 即恢复全站。",
        scope.describe(), len(partial.sessions), len(corpus.sessions), ENV_PLATFORMS, ENV_YEARS,
    )
    return partial, held_out


def read_history(docs_dir: str, previous: RepositoryHistory | None) -> RepositoryHistory | None:
    """Revisions and first-published dates from git, read once per build (``previous`` if nothing changed)."""
    try:
        history = read_git_history(docs_dir, previous=previous)
    except HistoryUnavailable as error:
        log.info("huiyin: 读取 git 历史失败，活动页不显示修订记录：%s", error)
        return None
    if history is None:
        log.info("huiyin: 内容目录不在 git 仓库中，活动页不显示修订记录")
    elif history.shallow:
        # info, not warning: a shallow CI checkout must still pass --strict.
        log.info(
            "huiyin: 这是浅克隆（shallow clone），修订记录和「首次公开」日期可能不完整；"
            "完整历史请用 git fetch --unshallow 或 CI 中 fetch-depth: 0"
        )
    return history
