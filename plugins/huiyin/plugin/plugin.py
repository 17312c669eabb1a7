"""The huiyin MkDocs plugin: records in, public pages out.

The core knows the site (core/views/plan.py: which pages, which record behind
a file, what each template is given; core/outputs/side.py: the outputs that
are not pages). This adapter only tells MkDocs, one step of its build at a time:

1. on_config: load and validate every record before MkDocs touches the site
   folder, so a build with mistakes reports them all and writes nothing; then
   plan the site.
2. on_files: keep data files, drafts and embargoed sessions out (or mark
   drafts 草稿 under `mkdocs serve`), keep record pages out of the global
   navigation, and add the generated pages (archive, brand index, feedback
   list…) as virtual files. Then start the search index, feeds and open data
   in a child process, on the second core, while this one renders the pages.
3. on_nav / on_env: draw Material's shared parts once; register our filters.
4. on_page_read_source / on_page_markdown: hand MkDocs the body the loader
   already read and the front matter the plan gives the page;
   on_page_content sanitises what Markdown let through; on_page_context gives
   the template the page's view.
5. on_post_build: collect the search index, feeds and open data (under
   `mkdocs serve`: start them, in a thread, after the pages; background.py).

Under `mkdocs serve --dirty` (`./dev serve`) a rebuild renders only the pages
a save changed (incremental.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment
from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from ..core.base.sanitize import sanitize_html
from ..core.model.corpus import Corpus
from ..core.outputs.search import SearchIndex, SearchIndexError
from ..core.outputs.side import check_side_outputs, write_side_outputs
from ..core.outputs.stylesheet import STATUS_STYLESHEET, status_stylesheet
from ..core.records.cache import CACHE_FOLDER, KeptRecords
from ..core.site.filings import Filings
from ..core.site.pages import SiteInfo
from ..core.views.plan import DATA_FILES, SitePlan
from .background import LatestOnly, SideOutputs
from .config import HuiyinConfig
from .filters import register_filters, with_core_templates
from .incremental import CollectorPause, IncrementalServe
from .loading import load_records, read_history
from .shared_parts import SharedParts, original_templates
from .structure import generated_file, template_data
from .theme_safety import escape_theme_meta, make_headings_inert

log = logging.getLogger("mkdocs.plugins.huiyin")


class HuiyinPlugin(BasePlugin[HuiyinConfig]):
    def __init__(self) -> None:
        super().__init__()
        self.is_serve = False
        self.plan: SitePlan | None = None  # None: disabled, or not configured yet
        self.held_out: frozenset[str] = frozenset()  # session files a partial preview leaves out
        self.side_outputs: SideOutputs | None = None  # search index, feeds and open data, written alongside the pages
        self.shared_parts: SharedParts | None = None  # Material's nav, tabs and config, drawn once
        self.serve_outputs = LatestOnly()  # under serve: side outputs after the pages, newest build's only
        self.incremental: IncrementalServe | None = None  # under `mkdocs serve --dirty`
        self.side_work: Callable[[Path], str] | None = None  # writes the side outputs into a folder
        self.kept_records: KeptRecords | None = None  # under serve: the last load's records, for the next
        self.collector = CollectorPause()  # under serve: no full garbage collections during an incremental rebuild

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.is_serve = command == "serve"
        self.kept_records = KeptRecords() if self.is_serve else None
        if self.is_serve and dirty:
            self.incremental = IncrementalServe()

    # 1. load, validate, plan ----------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        if self.incremental is not None and self.incremental.last is not None:
            self.collector.pause()  # likely a rebuild of a few pages: until on_post_build or on_build_error
        cache = Path(config.config_file_path).parent / CACHE_FOLDER
        corpus, self.held_out = load_records(config.docs_dir, cache, self.kept_records)
        previous = self.plan.history if self.plan is not None else None
        history = read_history(config.docs_dir, previous) if self.config.history else None
        self.plan = SitePlan(corpus, self.site_info(config), history, config.repo_url)
        if self.is_serve:
            self.serve_outputs.supersede()  # before the site folder changes
        if self.incremental is not None:
            if not self.incremental.plan(config, self.plan, self.held_out):
                self.collector.resume()  # every page again: a full build's garbage is too much to keep
        log.info(
            "huiyin: %d published sessions, %d outcomes, %d platforms",
            len(corpus.published_sessions), len(corpus.published_outcomes), len(corpus.platforms),
        )
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.incremental is not None and self.plan is not None:
            self.incremental.start(config.site_dir)

    def site_info(self, config: MkDocsConfig) -> SiteInfo:
        url = config.site_url or "http://localhost/"
        return SiteInfo(
            url=url if url.endswith("/") else url + "/",
            name=config.site_name,
            description=config.site_description or "",
            data_license=self.config.data_license,
            feed_length=self.config.feed_length,
            feedback_page_size=self.config.feedback_page_size,
            filings=Filings(self.config.icp_filing, self.config.public_security_filing, self.config.government_site_code),
        )

    # 2. files ---------------------------------------------------------------

    # Early, so that tags, search and sitemap never see an unpublished record.
    @event_priority(100)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if self.plan is None:
            return None
        for path in (*DATA_FILES, *self.held_out):  # held out: a partial preview (loading.load_records)
            if (file := files.get_file_from_path(path)) is not None:
                files.remove(file)
        self.hold_back_unpublished(files)
        for path in self.plan.record_sources:
            file = files.get_file_from_path(path)
            if file is not None and file.inclusion.is_included():
                file.inclusion = InclusionLevel.NOT_IN_NAV
        for page in self.plan.generated.values():
            files.append(generated_file(page, config))
        files.append(File.generated(config, STATUS_STYLESHEET, content=status_stylesheet()))  # colours: records/vocab.py
        if self.incremental is not None:
            self.incremental.prepare(files, config.site_dir)
        # The corpus is complete and MkDocs has just emptied the site folder;
        # from here it renders Markdown and pages on one core for a while.
        self.side_work = self.side_outputs_work(self.plan.corpus, config)
        if not self.is_serve:
            site_dir, work = Path(config.site_dir), self.side_work
            self.side_outputs = SideOutputs.start(lambda: work(site_dir))
        return files

    def hold_back_unpublished(self, files: Files) -> None:
        assert self.plan is not None
        for path in self.plan.unpublished_sources:
            file = files.get_file_from_path(path)
            if file is None:
                continue
            if self.is_serve and self.config.drafts_on_serve:
                file.inclusion = InclusionLevel.DRAFT  # served to staff, never built
            else:
                files.remove(file)

    def side_outputs_work(self, corpus: Corpus, config: MkDocsConfig) -> Callable[[Path], str]:
        """Search index, feeds and open data into a folder: in a child process when safe, or a thread (background.py)."""
        site, search = self.site_info(config), self.config.search
        try:
            check_side_outputs(search=search)  # Pagefind missing: say so now, before anything is started
        except SearchIndexError as error:
            raise PluginError(str(error)) from None

        def indexed(index: SearchIndex) -> None:
            log.info("huiyin: 站内搜索索引 %d 页", index.pages)

        return lambda folder: write_side_outputs(folder, corpus, site, search=search, indexed=indexed)

    # 3. navigation and templates ------------------------------------------

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        self.shared_parts = SharedParts(nav, homepage=config.extra.get("homepage"))
        if self.incremental is not None:
            self.incremental.read_unchanged(files, config)  # pages MkDocs will skip, for tags.md
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
        register_filters(env)
        if self.incremental is not None:
            env.bytecode_cache = self.incremental.templates
        assert env.loader is not None  # MkDocs' theme loader
        env.loader = with_core_templates(original_templates(env.loader, config.theme.dirs, config.theme.custom_dir))
        if self.plan is not None:
            env.globals["huiyin_filings"] = self.plan.site.filings  # the footer (partials/copyright.html), every page and 404
        if self.shared_parts is not None:
            env.globals["huiyin_shared"] = self.shared_parts
            env.globals["huiyin_shared_block"] = self.shared_parts.block
        return env

    # 4. pages ---------------------------------------------------------------

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        """Hand MkDocs the body of a record the loader has already read.

        MkDocs would otherwise read the file again and parse its front matter a
        second time with the pure-Python YAML loader: a sixth of a large build.
        The record's page meta is set in on_page_markdown instead.
        """
        record = self.plan.record(page.file.src_uri) if self.plan is not None else None
        return record.body if record is not None else None

    # Before Material's tags plugin (priority -50) reads page.meta["tags"].
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if self.plan is None:
            return None
        page.meta = self.plan.page_meta(page.file.src_uri, page.meta, home=page.is_homepage)
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
        if self.plan is None:
            return None
        make_headings_inert(page)
        return sanitize_html(html)

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        if self.plan is None:
            return None
        view = self.plan.view(page.file.src_uri, home=page.is_homepage)
        sharing = self.plan.sharing(page.file.src_uri, view, url=page.url)
        if sharing.description is not None:  # Material prints page.meta.description unescaped (theme_safety.py)
            page.meta["description"] = escape(sharing.description)
        # MkDocs' TypedDict names only its own keys; Jinja takes any.
        context["huiyin"] = template_data(view, today=self.plan.corpus.today, url=page.url, sharing=sharing)  # type: ignore[typeddict-unknown-key]
        return context

    # 5. outputs that are not pages -------------------------------------------

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.incremental is not None:
            self.incremental.finished()
        if self.is_serve and self.side_work is not None:
            log.info("huiyin: 页面已生成；站内搜索、订阅和开放数据随后在后台更新")
            self.serve_outputs.start(Path(config.site_dir), self.side_work, self.side_outputs_written)
            self.side_work = None
        else:
            self.collector.resume()
        if self.plan is None or self.side_outputs is None:
            return
        side_outputs, self.side_outputs = self.side_outputs, None
        try:
            problem = side_outputs.finish()
        except RuntimeError as error:
            raise PluginError(f"huiyin: 站内搜索、RSS 订阅或开放数据生成失败：\n{error}") from None
        if problem:
            raise PluginError(problem)

    def on_build_error(self, *, error: Exception) -> None:
        self.collector.resume()
        self.side_work = None
        if self.side_outputs is not None:
            self.side_outputs.abandon()
            self.side_outputs = None

    def side_outputs_written(self, problem: str) -> None:
        """Under serve the side outputs follow the pages: say when they are in place, or what failed.

        Only now may the collector run again: resumed as the pages were
        served, its first full collection (≈ 0.5 s at 2,000 sessions, holding
        the interpreter) fell just when the browser asked for the new page.
        """
        self.collector.resume()
        if problem:
            log.error(problem)
        else:
            log.info("huiyin: 站内搜索、订阅和开放数据已更新")
