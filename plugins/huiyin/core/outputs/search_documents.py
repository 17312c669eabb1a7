"""What the site search finds: each record's own page, told to Pagefind as a small document.

Searchable are the records' own pages: every published session
(/sessions/<year>/<slug>/) and every brand (/platforms/<slug>/). Lists
(archive, feedback, departments, tags) only repeat what those pages say and
would make every query match hundreds of list pages; drafts and embargoed
sessions are not in the published corpus at all.

The documents are made from the records, not read back from the written
pages, so that the index is built beside the pages rather than after them
(see plugin/background.py) and owes nothing to the theme's markup. Each holds
what its page says that is worth finding: title, brand, place, the departments
that attended, tags, the narrative, coverage, every recommendation with its
departments, answers and documents; a brand's region, organisers, venue and
sub-brands. Left out: dates, statuses and labels that stand on every page
(they would match everything), and the git history (commit subjects are staff
notes).

Pagefind reads HTML and weighs headings above text, and takes a result's title
from the first <h1>. So a document is HTML (templates/search/), with every
value escaped; it is Pagefind's input, never shown to a reader (the search box
prints titles and excerpts as text).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup

from ..base.sanitize import sanitize_html
from ..model.corpus import Corpus
from ..records.entities import Platform, Session
from ..site.paths import platform_path, session_path
from .narrative import Narratives
from .templates import render


@dataclass(frozen=True)
class SearchDocument:
    url: str  # site path with a leading slash, as results link to it: /sessions/2021/x/
    html: str  # the body of the document Pagefind indexes


def search_documents(corpus: Corpus, narratives: Narratives) -> Iterator[SearchDocument]:
    """Every searchable page of the published site, sessions first (newest first), then brands."""
    for session in corpus.published_sessions:
        yield SearchDocument("/" + session_path(session), session_document(session, narratives))
    for platform in sorted(corpus.platforms.values(), key=lambda p: p.slug):
        yield SearchDocument("/" + platform_path(platform), platform_document(platform, narratives))


def session_document(session: Session, narratives: Narratives) -> str:
    """The session's document (templates/search/session.html)."""
    meta = [session.platform.name, *_optional(f"第{session.number}期" if session.number else None, session.location,
                                              session.topic_source.label if session.topic_source else None)]
    return render("search/session.html", s=session, meta=" · ".join(meta),
                  narrative=Markup(sanitize_html(narratives.html(session))))


def platform_document(platform: Platform, narratives: Narratives) -> str:
    """The brand's document (templates/search/platform.html)."""
    meta = [platform.level.label, platform.region, *platform.organizers, *_optional(platform.venue, platform.hours)]
    return render("search/platform.html", p=platform, meta=" · ".join(meta),
                  narrative=Markup(sanitize_html(narratives.html(platform))))


def _optional(*values: str | None) -> list[str]:
    return [value for value in values if value]
