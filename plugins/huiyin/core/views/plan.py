"""The plan of the public site, as a generator asks for it.

A generator (the MkDocs plugin; any other) walks the content folder and asks:
which files are records and which are no pages at all, which pages to add,
what record stands behind a source file, what front matter its page carries
and what its template is given. The answers are here, built once per build.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

from ..model.corpus import Corpus
from ..model.history import RepositoryHistory
from ..records.entities import Platform, Session
from ..site.pages import SiteInfo, SitePage, View
from .home import HomeView, home_view
from .pages import generated_pages
from .records import page_meta, platform_view, session_view
from .sharing import PageSharing, Sharing

DATA_FILES = ("departments.yml",)  # content files that feed the records but are no pages of the site


class SitePlan:
    """Every page of the site, for one corpus: generated pages, record pages and the home page."""

    def __init__(
        self, corpus: Corpus, site: SiteInfo, history: RepositoryHistory | None = None, repo_url: str | None = None
    ):
        self.corpus = corpus
        self.site = site
        self.history = history  # None: no revisions shown (not in a git work tree, or switched off)
        self.repo_url = repo_url  # links each revision to the repository's web view
        self.site = site
        self.generated: dict[str, SitePage] = {page.src_uri: page for page in generated_pages(corpus, site)}
        self.page_sharing = PageSharing(corpus, site)

    # -- the files ---------------------------------------------------------

    @property
    def record_sources(self) -> Iterator[str]:
        """Source files of every record page (sessions, brands): linked from lists, never from the navigation."""
        yield from self.corpus.session_by_source
        yield from self.corpus.platform_by_source

    @property
    def unpublished_sources(self) -> list[str]:
        """Source files of drafts and embargoed sessions: never built (under serve, shown marked 草稿)."""
        return [session.source_path for session in self.corpus.unpublished_sessions]

    def record(self, source: str) -> Session | Platform | None:
        """The record behind a source file; None for staff-written pages (index.md, tags.md) and generated ones."""
        return self.corpus.session_by_source.get(source) or self.corpus.platform_by_source.get(source)

    # -- the pages ---------------------------------------------------------

    def page_meta(self, source: str, meta: MutableMapping[str, Any], *, home: bool) -> MutableMapping[str, Any]:
        """A page's front matter: a record's from the record, the home page's template unless its own names one."""
        record = self.record(source)
        if record is not None:
            return page_meta(record)
        if home and "template" not in meta:
            return {**meta, "template": HomeView.template}
        return meta

    def view(self, source: str, *, home: bool) -> View | None:
        """What the page's template is given; None for a staff-written page other than the home page."""
        if (session := self.corpus.session_by_source.get(source)) is not None:
            history = self.history.of(session, self.repo_url) if self.history else None
            return session_view(self.corpus, self.site, session, history)
        if (platform := self.corpus.platform_by_source.get(source)) is not None:
            return platform_view(self.corpus, self.site, platform)
        if (page := self.generated.get(source)) is not None:
            return page.view
        return home_view(self.corpus) if home else None

    def sharing(self, source: str, view: View | None, *, url: str) -> Sharing:
        """What the page at site path ``url`` says when shared (description, Open Graph, schema.org)."""
        generated = self.generated.get(source)
        return self.page_sharing.page(view, url=url, title=generated.title if generated is not None else "")
