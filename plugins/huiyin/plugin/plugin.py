"""The huiyin MkDocs plugin: records in, public pages out.

The story of a build:

1. on_config: load and validate every record before MkDocs touches the site
   folder, so a build with mistakes reports them all and writes nothing.
2. on_files: keep drafts and embargoed sessions out (or mark them 草稿 under
   `mkdocs serve`), keep record pages out of the global navigation, and add
   the generated pages (archive, brand index, feedback list) as virtual files.
   Then start the search index, feeds and open data (in a child process, on
   the second core, while this one renders Markdown and pages).
3. on_page_read_source / on_page_markdown / on_page_context: hand MkDocs the
   body the loader already read, give each record page its meta and template,
   and the view of the corpus that the template renders; on_page_content
   sanitises what Markdown let through.
4. on_post_build: collect the search index, feeds and open data.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment
from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..core.base.clock import build_time
from ..core.model.corpus import Corpus
from ..core.model.history import HistoryUnavailable, RepositoryHistory, read_history
from ..core.model.loading import load_corpus
from ..core.records.entities import Platform, Session
from ..core.model.preview import ENV_PLATFORMS, ENV_YEARS, PreviewScopeError, preview_scope, restrict
from ..core.records.problems import ContentError
from ..core.base.sanitize import sanitize_html
from ..core.outputs.feeds import feed_files
from ..core.outputs.narrative import Narratives
from ..core.outputs.search import SearchIndexError, pagefind_executable, write_search_index
from ..core.outputs.search_documents import search_documents
from ..core.outputs.opendata import open_data_files
from ..core.outputs.stylesheet import STATUS_STYLESHEET, status_stylesheet
from ..core.site.pages import SiteInfo, SitePage
from ..core.views.pages import generated_pages, platform_context, session_context
from .background import SideOutputs, write_files
from .shared_parts import SharedParts, original_templates
from .config import HuiyinConfig
from .filters import register_filters, root_of, with_core_templates

log = logging.getLogger("mkdocs.plugins.huiyin")

# Content files that feed the records but are not pages of the site.
DATA_FILES = {"departments.yml"}


def escape_theme_meta(meta: dict[str, Any]) -> None:
    """Escape the front-matter values Material prints without escaping.

    Material's templates run with autoescape off and print page.meta.title,
    description and tag names as they are; a title holding <script> would run
    in every reader's browser. Markup-escaped strings print as plain text there
    and are left alone by our own autoescaped templates.
    """
    for key in ("title", "description", "subtitle"):
        if isinstance(meta.get(key), str):
            meta[key] = escape(meta[key])
    if isinstance(meta.get("tags"), list):
        meta["tags"] = [escape(str(tag)) for tag in meta["tags"]]


def inert_text(rendered: str) -> Markup:
    """A heading rendered from Markdown, as text that prints safely unescaped."""
    return escape(Markup(rendered).striptags())


def make_headings_inert(page: Page) -> None:
    """Material prints page and table-of-contents titles raw; make them text.

    Both come from the page's rendered headings when front matter gives no
    title, so a heading holding raw HTML would otherwise run in the header,
    the navigation and the table of contents.
    """
    if "title" not in page.meta and page.title:
        page.title = inert_text(page.title)
    stack = list(page.toc)
    while stack:
        item = stack.pop()
        item.title = inert_text(item.title)
        stack.extend(item.children)


class HuiyinPlugin(BasePlugin[HuiyinConfig]):
    def __init__(self) -> None:
        super().__init__()
        self.is_serve = False
        self.corpus: Corpus | None = None
        self.site_pages: dict[str, SitePage] = {}
        self.held_out: frozenset[str] = frozenset()  # session files a partial preview leaves out
        self.side_outputs: SideOutputs | None = None  # search index, feeds and open data, written alongside the pages
        self.history: RepositoryHistory | None = None
        self.shared_parts: SharedParts | None = None  # Material's nav, tabs and config, drawn once

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.is_serve = command == "serve"

    # 1. load and validate ----------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        try:
            now = build_time()
            self.corpus = load_corpus(config.docs_dir, now)
        except ContentError as error:
            raise PluginError(error.report()) from None
        except ValueError as error:  # a bad SOURCE_DATE_EPOCH
            raise PluginError(str(error)) from None
        self.corpus = self.preview_only(self.corpus)
        pages = generated_pages(self.corpus, self.site_info(config))
        self.site_pages = {page.src_uri: page for page in pages}
        self.history = self.read_history(config)
        log.info(
            "huiyin: %d published sessions, %d outcomes, %d platforms",
            len(self.corpus.published_sessions),
            len(self.corpus.published_outcomes),
            len(self.corpus.platforms),
        )
        return config

    def read_history(self, config: MkDocsConfig) -> RepositoryHistory | None:
        """Revisions and first-published dates from git, read once per build."""
        if not self.config.history:
            return None
        try:
            history = read_history(config.docs_dir, previous=self.history)
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

    def preview_only(self, corpus: Corpus) -> Corpus:
        """Under HUIYIN_ONLY_PLATFORMS / HUIYIN_ONLY_YEARS: render fewer sessions, and say so.

        The whole corpus has been validated already; only rendering shrinks. A
        warning, so that `mkdocs build --strict` refuses to produce a partial site.
        """
        try:
            scope = preview_scope(os.environ, corpus)
        except PreviewScopeError as error:
            raise PluginError(str(error)) from None
        if scope is None:
            self.held_out = frozenset()
            return corpus
        partial = restrict(corpus, scope)
        kept = {session.source_path for session in partial.sessions}
        self.held_out = frozenset(s.source_path for s in corpus.sessions if s.source_path not in kept)
        log.warning(
            "huiyin: 局部预览（%s）：只生成 %d / %d 场协商活动，列表、统计和订阅也只含这些。"
            "这不是完整站点，不要发布；取消环境变量 %s、%s 即恢复全站。",
            scope.describe(), len(partial.sessions), len(corpus.sessions), ENV_PLATFORMS, ENV_YEARS,
        )
        return partial

    # 2. files ----------------------------------------------------------

    # Early, so that tags, search and sitemap never see an unpublished record.
    @event_priority(100)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if self.corpus is None:
            return None
        for name in DATA_FILES:
            if (file := files.get_file_from_path(name)) is not None:
                files.remove(file)
        self.hold_back_unpublished(files)
        for path in self.held_out:  # a partial preview (preview_only)
            if (file := files.get_file_from_path(path)) is not None:
                files.remove(file)
        for record_path in (*self.corpus.session_by_source, *self.corpus.platform_by_source):
            file = files.get_file_from_path(record_path)
            if file is not None and file.inclusion.is_included():
                file.inclusion = InclusionLevel.NOT_IN_NAV
        for page in self.site_pages.values():
            files.append(self.generated_file(page, config))
        files.append(File.generated(config, STATUS_STYLESHEET, content=status_stylesheet()))  # colours: records/vocab.py
        # The corpus is complete and MkDocs has just emptied the site folder;
        # from here it renders Markdown and pages on one core for a while.
        try:
            self.start_side_outputs(config)
        except SearchIndexError as error:
            raise PluginError(str(error)) from None
        return files

    def hold_back_unpublished(self, files: Files) -> None:
        assert self.corpus is not None
        for session in self.corpus.unpublished_sessions:
            file = files.get_file_from_path(session.source_path)
            if file is None:
                continue
            if self.is_serve and self.config.drafts_on_serve:
                file.inclusion = InclusionLevel.DRAFT  # served to staff, never built
            else:
                files.remove(file)

    @staticmethod
    def generated_file(page: SitePage, config: MkDocsConfig) -> File:
        front_matter = yaml.safe_dump(
            {"title": page.title, "template": page.template}, allow_unicode=True, sort_keys=False
        )
        file = File.generated(config, page.src_uri, content=f"---\n{front_matter}---\n")
        file.inclusion = InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV
        return file

    # 3. pages ----------------------------------------------------------

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        """Hand MkDocs the body of a record the loader has already read.

        MkDocs would otherwise read the file again and parse its front matter a
        second time with the pure-Python YAML loader: a sixth of a large build.
        The record's page meta is set in on_page_markdown instead.
        """
        record = self.record_for(page)
        return record.body if record is not None else None

    def record_for(self, page: Page) -> Session | Platform | None:
        if self.corpus is None:
            return None
        source = page.file.src_uri
        return self.corpus.session_by_source.get(source) or self.corpus.platform_by_source.get(source)

    # Before Material's tags plugin (priority -50) reads page.meta["tags"].
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if self.corpus is None:
            return None
        record = self.record_for(page)
        if isinstance(record, Session):
            page.meta = {"template": "huiyin/session.html", **record.page_meta,
                         "title": record.title, "tags": list(record.tags)}
        elif isinstance(record, Platform):
            page.meta = {"template": "huiyin/platform.html", "title": record.name, **record.page_meta}
        elif page.is_homepage:
            page.meta.setdefault("template", "huiyin/home.html")
        escape_theme_meta(page.meta)
        return markdown

    # Last, so that whatever else renders into the page is sanitised too; tags
    # (on_env) and search (on_page_context) then only ever see the clean page.
    @event_priority(-100)
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        """Sanitise every Markdown page: bodies pass raw HTML (<script>, onerror=) through.

        Staff-written pages (index.md, tags.md) are sanitised too: they are
        edited by the same hands, often pasted from Word or the web. Headings,
        permalinks, admonitions, tables and the tags plugin's listing marker
        (a heading by now) survive; scripts, handlers, styles and non-http(s)
        links do not.
        """
        if self.corpus is None:
            return None
        make_headings_inert(page)
        return sanitize_html(html)

    def on_page_context(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any] | None:
        if self.corpus is None:
            return None
        source = page.file.src_uri
        view: dict[str, Any] = {"today": self.corpus.today, "root": root_of(page.url)}
        if (session := self.corpus.session_by_source.get(source)) is not None:
            history = self.history.of(session, config.repo_url) if self.history else None
            view |= session_context(self.corpus, session, history)
        elif (platform := self.corpus.platform_by_source.get(source)) is not None:
            view |= platform_context(self.corpus, platform)
        elif (site_page := self.site_pages.get(source)) is not None:
            view |= site_page.context | {"feed": site_page.feed}
        elif page.is_homepage:
            view |= {
                "latest": self.corpus.held_sessions[:6],
                "figures": self.corpus.site_figures,
                "feed": "feed.xml",
            }
        context["huiyin"] = view
        return context

    # 4. outputs that are not pages -----------------------------------------

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.corpus is None or self.side_outputs is None:
            return
        side_outputs, self.side_outputs = self.side_outputs, None
        try:
            problem = side_outputs.finish()
        except RuntimeError as error:
            raise PluginError(f"huiyin: 站内搜索、RSS 订阅或开放数据生成失败：\n{error}") from None
        if problem:
            raise PluginError(problem)

    def start_side_outputs(self, config: MkDocsConfig) -> None:
        """Search index, feeds and open data, in a child process when safe (see background.py)."""
        assert self.corpus is not None
        corpus, site, site_dir, search = self.corpus, self.site_info(config), Path(config.site_dir), self.config.search
        if search:
            pagefind_executable()  # missing: say so now, in plain words, before anything is started

        def write() -> str:
            narratives = Narratives()  # each body converted once, for the index and the feeds
            if search:
                try:
                    index = write_search_index(site_dir, search_documents(corpus, narratives))
                except SearchIndexError as error:
                    return str(error)
                log.info("huiyin: 站内搜索索引 %d 页", index.pages)
            write_files(site_dir, {**feed_files(corpus, site, narratives), **open_data_files(corpus, site)})
            return ""

        self.side_outputs = SideOutputs.start(write)

    def on_build_error(self, *, error: Exception) -> None:
        if self.side_outputs is not None:
            self.side_outputs.abandon()
            self.side_outputs = None

    def site_info(self, config: MkDocsConfig) -> SiteInfo:
        url = config.site_url or "http://localhost/"
        return SiteInfo(
            url=url if url.endswith("/") else url + "/",
            name=config.site_name,
            description=config.site_description or "",
            data_license=self.config.data_license,
            feed_length=self.config.feed_length,
            feedback_page_size=self.config.feedback_page_size,
        )

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        self.shared_parts = SharedParts(nav, homepage=config.extra.get("homepage"))
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
        register_filters(env)
        env.loader = with_core_templates(original_templates(env.loader, config.theme.dirs, config.theme.custom_dir))
        if self.shared_parts is not None:
            env.globals["huiyin_shared"] = self.shared_parts
            env.globals["huiyin_shared_block"] = self.shared_parts.block
        return env
