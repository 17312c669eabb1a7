"""Which pages a content change touches: the dependency question of an incremental rebuild.

`mkdocs serve` rebuilds the whole site on every save: at 2,000 sessions that
is ~18 s before an edited title shows. Most of those pages do not change. A
page's HTML is its template applied to its view (plus the page frame, which
only mkdocs.yml and the templates change), so a page whose view shows the same
things as before renders to the same bytes and need not be rendered again.

The views hold records by identity (a reloaded corpus has new objects), so
"the same things" is decided by a fingerprint: each page's view is walked, and
every session in it stands for a digest of its content and published state
(``Corpus.session_digests``: every field, its outcomes and their departments
and deadlines), an outcome for its id and its session's digest. Platforms and
departments stand for their slug only; their content
(``Corpus.registry_digest``), the day (overdue flags, countdowns) and the
site's settings are the *world* fingerprint, and a change there means
"everything" (the adapter then rebuilds in full). So a page is re-rendered
exactly when something it shows changed:

- an edited session: its page, the lists, brand pages and feedback pages
  that show it (and, through its outcomes, the department pages);
- an added or deleted session: the same, plus the pages its arrival or
  departure shifts (pagination, counts);
- anything about platforms or departments, or a new day: everything.

A walk meets only the value types views hold today; any other raises
``TypeError``, so a new kind of field is never silently left out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path

from ..records.entities import Department, Outcome, Platform, Session
from .feedback_pages import Listing
from .plan import SitePlan
from .records import SessionView

_SCALARS = frozenset({str, int, float, bool, date, datetime, type(None)})


@dataclass(frozen=True)
class SiteFingerprint:
    """What one plan shows, in digests: the world's, and each page's by source path."""

    world: str
    pages: dict[str, str]  # src_uri → digest; record pages and generated pages

    def changed_since(self, previous: SiteFingerprint | None) -> frozenset[str] | None:
        """Source paths of the pages to render again; None: too much changed, render every page.

        Pages that are new, or whose digest differs, are rendered; pages gone
        are not listed (the adapter removes their output).
        """
        if previous is None or previous.world != self.world:
            return None
        return frozenset(src for src, digest in self.pages.items() if previous.pages.get(src) != digest)


class _Walker:
    """Turns a view into a nested tuple of plain values; records by their digest.

    Parts that many pages share (the feedback filter menu holds every
    listing's outcomes: 6,000 outcomes at 2,000 sessions, on each of ~300
    pages) are digested once and stand for their digest after that: without
    that, fingerprinting the 2,000-session site took 70 s, with it well under
    a second.
    """

    def __init__(self, plan: SitePlan):
        self.digests = plan.corpus.session_digests  # by source path, once per corpus
        # id(part) → (part, digest): the part is held so that its id is not reused while the walk lasts
        self.parts: dict[int, tuple[object, str]] = {}

    def session(self, session: Session) -> str:
        # Content and published state (drafts under serve; embargoes lapse with the clock).
        return self.digests[session.source_path]

    def shape(self, value: object) -> Hashable:
        kind = type(value)
        if kind is bytes:  # an open-data file's content (megabytes): hashed, not repr'd
            return ("bytes", hashlib.blake2b(value, digest_size=16).hexdigest())  # type: ignore[arg-type]
        if kind in _SCALARS or isinstance(value, Path):
            return value  # every one of them is hashable
        if isinstance(value, Enum) or (isinstance(value, type) and issubclass(value, Enum)):
            return repr(value)  # a member, or a whole vocabulary (a filter menu's)
        if isinstance(value, Session):
            return ("session", self.session(value))
        if isinstance(value, Outcome):
            # Its text, updates and deadline are in its session's repr; pages show its session too.
            return ("outcome", value.id, self.session(value.session) if value.session else None)
        if isinstance(value, Platform):
            return ("platform", value.slug)  # content: in the world fingerprint
        if isinstance(value, Department):
            return ("department", value.slug)
        if isinstance(value, Listing):
            # Every feedback page's filter menu holds every listing; templates
            # read only these of one (feedback_*.html: listing.key/name/count/
            # depth/path), so an edited title does not touch 120 list pages.
            return ("listing", value.key, value.name, value.count, value.depth)
        found = self.parts.get(id(value))
        if found is None:
            found = self.parts[id(value)] = (value, _hash(repr(self.composite(value))))
        return found[1]

    def composite(self, value: object) -> Hashable:
        if isinstance(value, (list, tuple)):
            return tuple(self.shape(item) for item in value)
        if isinstance(value, dict):
            return tuple((self.shape(key), self.shape(item)) for key, item in value.items())
        if is_dataclass(value) and not isinstance(value, type):
            return (type(value).__qualname__, *(self.shape(getattr(value, f.name)) for f in fields(value)))
        raise TypeError(f"huiyin: no fingerprint for a {type(value).__qualname__} in a view")

    def digest(self, *parts: object) -> str:
        return _hash(repr(self.composite(parts)))


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def world_digest(plan: SitePlan) -> str:
    """Everything too broad to track page by page: platforms, departments, the day, the settings."""
    corpus = plan.corpus
    # A commit changes the history of the sessions it touched; their pages' views hold it.
    history = plan.history is not None
    return _hash(repr((corpus.registry_digest, corpus.today, history, plan.repo_url)))


# What a session's page shows (views/records.py, SessionView) and where the digest below finds it:
# the session and whether it is published (its digest), its brand's place (the registry: the world
# digest), its printed address (the site and the session), and its revisions (walked); session_view
# gives it no feed of its own.
_SESSION_PAGE_SHOWS = ("feed", "session", "breadcrumb", "published", "history", "code")


def _session_page(walker: _Walker, plan: SitePlan, session: Session) -> str:
    """A session page's digest without building its view: 2,000 views walked were ≈ 0.1 s of a rebuild.

    Its front matter comes from the record (records.page_meta), its view
    from the fields above; a field added to SessionView fails here, loudly,
    until this digest is taught what it shows.
    """
    shown = tuple(field.name for field in fields(SessionView))
    if shown != _SESSION_PAGE_SHOWS:
        raise TypeError(f"huiyin: SessionView shows {shown}; views/changes.py digests only {_SESSION_PAGE_SHOWS}")
    history = plan.history.of(session, plan.repo_url) if plan.history is not None else None
    return walker.digest("session page", walker.session(session), history)


def fingerprint(plan: SitePlan) -> SiteFingerprint:
    """The plan's world digest and a digest of every record page's and generated page's view.

    Staff-written pages (the home page, tags.md) are not here: they are few,
    and the home page's figures move with every outcome, so the adapter always
    renders them.
    """
    walker = _Walker(plan)
    pages: dict[str, str] = {}
    for source, session in plan.corpus.session_by_source.items():  # drafts too: shown under serve
        pages[source] = _session_page(walker, plan, session)
    for source in plan.corpus.platform_by_source:
        pages[source] = walker.digest(plan.page_meta(source, {}, home=False), plan.view(source, home=False))
    for source, page in plan.generated.items():
        pages[source] = walker.digest(page.title, page.template, page.in_nav, page.view)
    return SiteFingerprint(world_digest(plan), pages)
