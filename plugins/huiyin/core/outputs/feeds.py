"""RSS 2.0 feeds (and the same as JSON Feed 1.1) that newsrooms and apps wire into their systems.

Four kinds of feed, built with feedgen and returned as {site path: bytes}:

- ``feed.xml``: the newest held sessions, site-wide;
- ``platforms/<slug>/feed.xml``: a brand's sessions, its sub-brands' included;
- ``feedback/feed.xml``: one item per outcome update (交办、认领、答复、落实…);
- ``feedback/departments/<slug>/feed.xml``: the same, for one department.

Beside each is a ``feed.json`` (json_feed.py) rendered from the very same
``FeedItem`` objects: same items, order, ids and sanitised bodies.

What a subscriber relies on, and how it is kept:

- Stable identity: GUIDs come from record ids (``huiyin:session:<id>``,
  ``huiyin:update:<session id>#<outcome id>:<position>``), never from URLs,
  so pinning a session's ``id`` lets its file move without readers seeing a
  "new" item.
- Reproducible bytes: every date in a feed comes from a record (midnight,
  Asia/Shanghai, of the record's date). ``lastBuildDate`` is the newest item's
  date; a feed with no items has no ``lastBuildDate`` at all (the element is
  optional in RSS 2.0, and any date we could invent — the build time — would
  change with every build when SOURCE_DATE_EPOCH is unset). feedgen's other
  channel fields (``generator``, ``docs``) are constants.
- Planned sessions (stage: planned) are left out of the session feeds: their
  date lies ahead, and their GUID must first reach readers once the session
  has been held and has something to report.
- Safe markup: ``content:encoded`` is rendered from Markdown (narrative.py), with links
  made absolute (readers resolve relative links inconsistently), then passed
  through the shared nh3 sanitiser, because readers embed it as it is.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from functools import partial
from html import escape
from urllib.parse import urljoin, urlsplit, urlunsplit

from feedgen.feed import FeedGenerator
from lxml import etree
from lxml import html as lxml_html
from markupsafe import Markup

from ..base.clock import SHANGHAI, zh_date
from ..base.sanitize import sanitize_html
from ..model.corpus import Corpus
from ..records.entities import Department, Outcome, Platform, Session, Update
from ..records.vocab import Stage
from ..site.pages import SiteInfo
from ..site.paths import (
    department_path,
    outcome_path,
    platform_path,
    session_path,
)
from .feed_items import Category, Channel, FeedItem
from .json_feed import render_json_feed
from .narrative import Narratives
from .templates import render

LANGUAGE = "zh-CN"
GENERATOR = "回音 huiyin"
SUMMARY_CHARS = 200  # plain <description>: enough for a teaser in a news app
TITLE_TEXT_CHARS = 40  # outcome text inside an update item's title


# -- the feeds ---------------------------------------------------------------


def feed_files(corpus: Corpus, site: SiteInfo, narratives: Narratives | None = None) -> dict[str, bytes]:
    """Every feed of the site, by site path (``narratives``: bodies already converted for other outputs)."""
    items = ItemFactory(site, narratives or Narratives())
    length = site.feed_length
    files: dict[str, bytes] = {}

    def add(channel: Channel, chosen: list[FeedItem]) -> None:
        # One item model, two renderers: the same items in the same order in both files.
        files[channel.path] = render_feed(channel, chosen, site)
        files[channel.json_path] = render_json_feed(channel, chosen, site)

    # The corpus lists sessions newest first (same-day ties by id), so a slice is "the newest".
    add(site_channel(site), items.sessions(corpus.held_sessions[:length]))
    for platform in corpus.platforms.values():
        held = [s for s in corpus.platform_sessions(platform) if s.stage is Stage.HELD]
        add(platform_channel(platform, site), items.sessions(held[:length]))
    add(feedback_channel(site), items.updates(newest_updates(corpus.published_outcomes)[:length]))
    for department in corpus.active_departments:
        theirs = newest_updates(corpus.department_outcomes[department.slug])
        add(department_channel(department, site), items.updates(theirs[:length]))
    return files


def newest_updates(outcomes: Iterable[Outcome]) -> list[tuple[Outcome, Update]]:
    """Every update of the given outcomes, newest first; same-day ties by global id, then position."""
    pairs = [(outcome, update) for outcome in outcomes for update in outcome.updates]
    return sorted(pairs, key=lambda pair: (pair[1].date, pair[0].global_id, pair[1].position), reverse=True)


def site_channel(site: SiteInfo) -> Channel:
    return Channel("", f"{site.name} · 协商活动", f"{site.name}发布的最新协商活动。{site.description}".strip())


def platform_channel(platform: Platform, site: SiteInfo) -> Channel:
    page = platform_path(platform)
    scope = "（含下级平台）" if platform.children else ""
    return Channel(
        page,
        f"{platform.name} · 协商活动 · {site.name}",
        f"{platform.region}「{platform.name}」{scope}的最新协商活动。",
    )


def feedback_channel(site: SiteInfo) -> Channel:
    return Channel(
        "feedback/",
        f"{site.name} · 结果反馈",
        "问题及建议的办理进展：交办、认领、部门答复与落实情况，每条进展一项，最新在前。",
    )


def department_channel(department: Department, site: SiteInfo) -> Channel:
    page = department_path(department)
    return Channel(
        page,
        f"{department.name} · 办理答复 · {site.name}",
        f"{department.name}承办的问题及建议的办理进展与答复，最新在前。",
    )


# -- XML ---------------------------------------------------------------------


def as_text(value: str) -> str:
    """Record text for an element readers may render as HTML (title, category,
    description): escaped once more, so "<script>" in a record shows as text."""
    return escape(value, quote=False)


def render_feed(channel: Channel, items: list[FeedItem], site: SiteInfo) -> bytes:
    generator = FeedGenerator()
    generator.title(as_text(channel.title))
    # feedgen takes the channel <link> from the last link given: self first, then the page.
    generator.link(href=site.absolute(channel.path), rel="self", type="application/rss+xml")
    generator.link(href=site.absolute(channel.page), rel="alternate")
    generator.description(as_text(channel.description or channel.title))
    generator.language(LANGUAGE)
    generator.generator(GENERATOR)
    for item in items:
        add_entry(generator, item)
    if items:
        # feedgen defaults lastBuildDate to now(): pin it to the content.
        generator.lastBuildDate(max(item.published for item in items))
        rss: bytes = generator.rss_str(pretty=True)
        return rss
    return without_last_build_date(generator.rss_str(pretty=True))


def add_entry(generator: FeedGenerator, item: FeedItem) -> None:
    entry = generator.add_entry(order="append")
    entry.guid(item.guid, permalink=False)
    entry.title(as_text(item.title))
    entry.link(href=item.link)
    entry.pubDate(item.published)
    if item.categories:
        entry.category([{"term": as_text(c.term), **({"scheme": c.domain} if c.domain else {})} for c in item.categories])
    entry.description(as_text(item.summary or item.title))
    entry.content(item.content_html)  # no type: escaped text, which survives any "]]>" in a record


def without_last_build_date(xml: bytes) -> bytes:
    """An empty feed has no content date; drop feedgen's build-time default."""
    root = etree.fromstring(xml, etree.XMLParser(remove_blank_text=True))
    for element in root.iter("lastBuildDate"):
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    return etree.tostring(root, pretty_print=True, encoding="UTF-8", xml_declaration=True)


# -- items -------------------------------------------------------------------


def record_time(day: date) -> datetime:
    """Midnight of a record's date in Asia/Shanghai: the only clock feeds use."""
    return datetime.combine(day, time(0), tzinfo=SHANGHAI)


def session_guid(session: Session) -> str:
    return f"huiyin:session:{session.id}"


def update_guid(outcome: Outcome, update: Update) -> str:
    return f"huiyin:update:{outcome.global_id}:{update.position}"


class ItemFactory:
    """Builds feed items once each: a session sits in the site feed and in every ancestor brand's feed."""

    def __init__(self, site: SiteInfo, narratives: Narratives):
        self.site = site
        self.narratives = narratives
        self._sessions: dict[str, FeedItem] = {}
        self._updates: dict[str, FeedItem] = {}

    def sessions(self, sessions: list[Session]) -> list[FeedItem]:
        return [self._cached(self._sessions, session_guid(s), partial(self.session_item, s)) for s in sessions]

    def updates(self, pairs: list[tuple[Outcome, Update]]) -> list[FeedItem]:
        return [
            self._cached(self._updates, update_guid(o, u), partial(self.update_item, o, u)) for o, u in pairs
        ]

    @staticmethod
    def _cached(cache: dict[str, FeedItem], key: str, build: Callable[[], FeedItem]) -> FeedItem:
        if key not in cache:
            cache[key] = build()
        return cache[key]

    # sessions

    def session_item(self, session: Session) -> FeedItem:
        body = self.body_html(session)
        summary = plain_text(body) or "；".join(o.text for o in session.outcomes) or session.title
        return FeedItem(
            guid=session_guid(session),
            title=session.title,
            link=self.site.absolute(session_path(session)),
            published=record_time(session.date),
            categories=self.session_categories(session),
            content_html=sanitize_html(self.session_html(session, body)),
            summary=shorten(summary, SUMMARY_CHARS),
        )

    def session_categories(self, session: Session) -> tuple[Category, ...]:
        platform = Category(session.platform.name, self.site.absolute(platform_path(session.platform)))
        return (platform, *(Category(tag) for tag in session.tags))

    def body_html(self, session: Session) -> str:
        """The session's narrative as HTML, links absolute, like its page shows it."""
        resolve = LinkResolver(self.site, session)
        return rewrite_links(self.narratives.html(session), resolve)

    def session_html(self, session: Session, body: str) -> str:
        """The item body (templates/feeds/session.html), before sanitising."""
        return render("feeds/session.html", s=session, body=Markup(body), meta=session_meta_line(session),
                      root=self.site.url, site_name=self.site.name, latest_answer=latest_answer)

    # updates

    def update_item(self, outcome: Outcome, update: Update) -> FeedItem:
        assert outcome.session is not None
        session = outcome.session
        categories = (
            *self.session_categories(session),
            Category(update.status.label),
            *(Category(d.name, self.site.absolute(department_path(d))) for d in outcome.departments),
        )
        summary = f"{update.status.label}：{update.note.strip() or outcome.text}"
        return FeedItem(
            guid=update_guid(outcome, update),
            title=update_title(outcome, update),
            link=self.site.absolute(outcome_path(outcome)),
            published=record_time(update.date),
            categories=categories,
            content_html=sanitize_html(self.update_html(outcome, update)),
            summary=shorten(summary, SUMMARY_CHARS),
        )

    def update_html(self, outcome: Outcome, update: Update) -> str:
        """The item body (templates/feeds/update.html), before sanitising: the update, then the
        outcome and its history up to this update (so the item never changes later)."""
        assert outcome.session is not None
        return render("feeds/update.html", o=outcome, u=update, meta=session_meta_line(outcome.session),
                      root=self.site.url)


def latest_answer(outcome: Outcome) -> Update | None:
    """The newest update that says something (a department's answer), for a session item's summary."""
    return next((u for u in reversed(outcome.updates) if u.note.strip()), None)


def update_title(outcome: Outcome, update: Update) -> str:
    """「青岛市公安局」答复：推动机关事业单位停车场错时… — 已落实"""
    departments = "、".join(d.name for d in outcome.departments)
    verb = "答复" if update.note.strip() else "办理进展"
    return f"「{departments}」{verb}：{shorten(outcome.text, TITLE_TEXT_CHARS)} — {update.status.label}"


def session_meta_line(session: Session) -> str:
    parts = [session.platform.name, zh_date(session.date)]
    if session.number:
        parts.append(f"第{session.number}期")
    if session.location:
        parts.append(f"地点：{session.location}")
    return " · ".join(parts)



def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plain_text(html: str) -> str:
    if not html.strip():
        return ""
    return " ".join(lxml_html.fragment_fromstring(html, create_parent="div").text_content().split())


# -- links -------------------------------------------------------------------

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class LinkResolver:
    """Turns a link written in a session's Markdown into an absolute URL.

    Relative links are relative to the source file, as MkDocs reads them:
    ``../2020/other.md`` from sessions/2021/x.md is the page sessions/2020/other/,
    ``images/a.png`` is the file sessions/2021/images/a.png.
    """

    def __init__(self, site: SiteInfo, session: Session):
        self.site = site
        self.page_url = site.absolute(session_path(session))
        self.source_dir = posixpath.dirname(session.source_path)

    def __call__(self, link: str) -> str:
        link = link.strip()
        if not link or _SCHEME.match(link) or link.startswith("//"):
            return link  # absolute already (unsafe schemes are the sanitiser's business)
        if link.startswith(("#", "/", "?")):
            return urljoin(self.page_url, link)
        parts = urlsplit(link)
        target = posixpath.normpath(posixpath.join(self.source_dir, parts.path))
        if target.startswith("../") or target == "..":
            return urljoin(self.page_url, link)  # outside the site: do what a browser would
        absolute = self.site.absolute(page_path(target) if target.endswith(".md") else target)
        return urlunsplit((*urlsplit(absolute)[:3], parts.query, parts.fragment))


def page_path(source: str) -> str:
    """Site path of a Markdown source with directory URLs: a/b.md → a/b/, a/index.md → a/."""
    stem = source.removesuffix(".md")
    name = posixpath.basename(stem)
    if name in ("index", "README"):
        directory = posixpath.dirname(stem)
        return f"{directory}/" if directory else ""
    return f"{stem}/"


def rewrite_links(html: str, resolve: Callable[[str], str]) -> str:
    """Every href/src in a fragment passed through resolve (raw HTML in the body included)."""
    if not html.strip():
        return ""
    container = lxml_html.fragment_fromstring(html, create_parent="div")
    container.rewrite_links(resolve, resolve_base_href=False)
    inner = (container.text or "") and escape(container.text or "", quote=False)
    return inner + "".join(lxml_html.tostring(child, encoding="unicode") for child in container)
