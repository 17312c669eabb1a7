"""The results feedback list (结果反馈清单) and the department pages.

「意见条条有回音，建议件件有落实」 made checkable: every published outcome, who
holds it, what they answered and whether it is late. The list works without
JavaScript: each way of narrowing it is a set of plain pages of its own, each
at most ``feedback_page_size`` rows so that no page grows past ~1 MB.

Paths (stable — linked from outside, documented in the staff guide):

    feedback/                              figures, chart, filters, open data, first page of the list
    feedback/all/ · feedback/all/<n>/      every outcome, newest session first
    feedback/status/<status>/[<n>/]        by current status (the English value, e.g. in_progress)
    feedback/overdue/[<n>/]                overdue outcomes, longest overdue first
    feedback/years/<year>/[<n>/]           by the year of the session
    feedback/platforms/<slug>/[<n>/]       by platform, sub-brands included
    feedback/departments/                  departments ranked by overdue count and by 办结率
    feedback/departments/<slug>/[<n>/]     one department: figures, outcomes grouped by status

Every list is built once per build from the corpus indexes; a page is a slice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING, Any, ClassVar

from ..model.figures import Figures, median_days_to_answer, median_days_to_conclusion
from ..records.entities import Department, Outcome, Platform, Role
from ..records.vocab import Status
from ..site.pager import Pager
from ..site.pages import SiteInfo, SitePage, View
from ..site.paths import DATA_PAGE, data_path, department_path
from .open_data import FILE_DESCRIPTIONS

if TYPE_CHECKING:
    from ..model.corpus import Corpus

DEFAULT_PAGE_SIZE = 200
TITLE = "结果反馈"
FEED = "feedback/feed.xml"  # every update of every outcome; a department page has a feed of its own
STATUS_ORDER = {status: index for index, status in enumerate(Status)}


# -- the pieces templates are given -------------------------------------------


@dataclass(frozen=True)
class Listing:
    """One way of narrowing the list: every outcome, one status, one year…"""

    key: str  # its place under feedback/, e.g. "status/implemented"
    name: str  # what it is called on the page, e.g. "已落实"
    outcomes: list[Outcome]
    depth: int = 0  # nesting of platforms in the filter menu

    @property
    def path(self) -> str:
        return f"feedback/{self.key}/"

    @property
    def count(self) -> int:
        return len(self.outcomes)


@dataclass(frozen=True)
class FilterMenu:
    """The links that narrow the list; the same on every list page."""

    all: Listing
    statuses: list[Listing]
    overdue: Listing
    years: list[Listing]
    # 督办 and 重新办理: shown, and built, only when some outcome is so.
    handling: list[Listing]
    platforms: list[Listing]
    departments_path: str
    department_count: int
    overview_path: str = "feedback/"

    def platform(self, key: str) -> Listing | None:
        return next((listing for listing in self.platforms if listing.key == key), None)


@dataclass(frozen=True)
class StatusGroup:
    """A run of one department's outcomes of one status on one page."""

    status: Status
    outcomes: list[Outcome]
    total: int  # of this status in the department, across pages
    continued: bool  # began on an earlier page


@dataclass(frozen=True)
class GroupLink:
    """Table of contents of a department page: where each status group starts."""

    status: Status
    count: int
    path: str  # page path with the group's anchor


@dataclass(frozen=True)
class RankedDepartment:
    rank: int  # ties share a rank (1, 2, 2, 4)
    department: Department
    figures: Figures
    path: str


@dataclass(frozen=True)
class OpenDataLink:
    path: str
    name: str
    description: str


OPEN_DATA = tuple(
    OpenDataLink(data_path(name), name, FILE_DESCRIPTIONS[name])
    for name in ("outcomes.json", "outcomes.csv", "sessions.json", "platforms.json", "departments.json")
)


# -- what each kind of page is given -------------------------------------------


@dataclass(frozen=True, kw_only=True)
class FeedbackListView(View):
    """One page of one list (all, a status, overdue, a year, a brand)."""

    template: ClassVar[str] = "huiyin/feedback_list.html"
    feed: str | None = FEED
    menu: FilterMenu
    listing: Listing
    rows: list[Outcome]  # this page's slice of the listing
    pager: Pager


@dataclass(frozen=True, kw_only=True)
class FeedbackOverview(FeedbackListView):
    """/feedback/: the site's figures and the open data, above the first page of every outcome."""

    template: ClassVar[str] = "huiyin/feedback.html"
    figures: Figures
    open_data: tuple[OpenDataLink, ...]
    data_license: str
    data_page: str  # the page that lists and explains every open-data file


@dataclass(frozen=True, kw_only=True)
class DepartmentsView(View):
    """The departments ranked: by overdue outcomes, and by 办结率."""

    template: ClassVar[str] = "huiyin/departments.html"
    feed: str | None = FEED
    menu: FilterMenu
    by_overdue: list[RankedDepartment]
    by_conclusion: list[RankedDepartment]
    by_on_time: list[RankedDepartment]  # 按期办结率, of departments with a deadline due or met; may be empty


@dataclass(frozen=True)
class RoleCount:
    role: Role
    figures: Figures


@dataclass(frozen=True, kw_only=True)
class DepartmentView(View):
    """One page of one department: its figures, and its outcomes grouped by status."""

    template: ClassVar[str] = "huiyin/department.html"
    department: Department
    figures: Figures
    median_days_to_answer: float | None
    median_days_to_conclusion: float | None
    roles: list[RoleCount]  # 主办 / 协办 / 承办, when some outcome names its lead
    groups: list[StatusGroup]  # on this page
    contents: list[GroupLink]  # across the department's pages
    pager: Pager
    menu: FilterMenu


# -- building the lists --------------------------------------------------------


class FeedbackPages:
    """Builds every page of the feedback section from one corpus, each list once."""

    def __init__(self, corpus: Corpus, page_size: int, data_license: str):
        self.corpus = corpus
        self.page_size = max(1, page_size)
        self.data_license = data_license
        self.today = corpus.today
        self.department_figures = {
            slug: corpus.figures(outcomes) for slug, outcomes in corpus.department_outcomes.items()
        }
        self.menu = self.filter_menu()

    def is_overdue(self, outcome: Outcome) -> bool:
        return outcome.overdue(self.today)

    # -- the lists -------------------------------------------------------

    def filter_menu(self) -> FilterMenu:
        outcomes = self.corpus.published_outcomes
        by_status = {status: [o for o in outcomes if o.status is status] for status in Status}
        overdue = sorted((o for o in outcomes if self.is_overdue(o)), key=lambda o: o.deadline.day if o.deadline else self.today)
        by_year: dict[int, list[Outcome]] = {}
        for outcome in outcomes:
            assert outcome.session is not None
            by_year.setdefault(outcome.session.date.year, []).append(outcome)
        return FilterMenu(
            all=Listing("all", "全部", outcomes),
            statuses=[Listing(f"status/{s.value}", s.label, by_status[s]) for s in Status],
            overdue=Listing("overdue", "逾期未办结", overdue),
            years=[Listing(f"years/{year}", f"{year}年", found) for year, found in sorted(by_year.items(), reverse=True)],
            handling=self.handling_listings(outcomes),
            platforms=list(self.platform_listings()),
            departments_path="feedback/departments/",
            department_count=len(self.corpus.department_outcomes),
        )

    @staticmethod
    def handling_listings(outcomes: list[Outcome]) -> list[Listing]:
        """督办 and 重新办理 lists, each only when it has outcomes (a platform without 督办 shows neither)."""
        listings = [
            Listing("supervised", "督办", [o for o in outcomes if o.supervision is not None]),
            Listing("reopened", "重新办理", [o for o in outcomes if o.reopened]),
        ]
        return [listing for listing in listings if listing.outcomes]

    def platform_listings(self) -> Iterator[Listing]:
        """Brands in tree order (a brand, then its sub-brands), those with outcomes only."""

        def walk(platform: Platform, depth: int) -> Iterator[Listing]:
            outcomes = self.corpus.platform_outcomes(platform)
            if not outcomes:
                return
            name = f"{platform.name}（含下级平台）" if platform.children else platform.name
            yield Listing(f"platforms/{platform.slug}", name, outcomes, depth)
            for child in sorted(platform.children, key=lambda p: p.slug):
                yield from walk(child, depth + 1)

        for root in self.corpus.root_platforms:
            yield from walk(root, 0)

    # -- pages -------------------------------------------------------------

    def pages(self) -> list[SitePage]:
        menu = self.menu
        pages = [self.overview_page()]
        for listing in (menu.all, *menu.statuses, menu.overdue, *menu.handling, *menu.years, *menu.platforms):
            pages.extend(self.list_pages(listing))
        pages.append(self.departments_index_page())
        for department in self.department_pages_for():
            pages.extend(self.department_pages(department))
        return pages

    def paginate(self, rows: list[Outcome], base: str) -> Iterator[tuple[Pager, list[Outcome]]]:
        for pager in Pager.pages(len(rows), self.page_size, base):
            yield pager, rows[pager.start - 1 : pager.start - 1 + self.page_size]

    def overview_page(self) -> SitePage:
        pager, rows = next(self.paginate(self.menu.all.outcomes, self.menu.all.path))
        view = FeedbackOverview(
            figures=self.corpus.site_figures,
            menu=self.menu,
            listing=self.menu.all,
            rows=rows,
            pager=pager,
            open_data=OPEN_DATA,
            data_license=self.data_license,
            data_page=DATA_PAGE,
        )
        return SitePage("feedback/index.md", TITLE, view)

    def list_pages(self, listing: Listing) -> Iterator[SitePage]:
        for pager, rows in self.paginate(listing.outcomes, listing.path):
            title = f"{TITLE} · {listing.name}" + (f"（第{pager.number}页）" if pager.number > 1 else "")
            view = FeedbackListView(menu=self.menu, listing=listing, rows=rows, pager=pager)
            yield SitePage(f"{pager.paths[pager.number - 1]}index.md", title, view, in_nav=False)

    # -- departments ---------------------------------------------------------

    def department_pages_for(self) -> list[Department]:
        """Departments holding a published outcome, and those named as attending
        officials on a published session page (which links to them)."""
        named = {d.slug for s in self.corpus.published_sessions for d in s.participants.officials}
        return [
            d for d in self.corpus.departments if d.slug in self.corpus.department_outcomes or d.slug in named
        ]

    def ranked(self, key: Callable[[Figures], Any]) -> list[RankedDepartment]:
        """Departments holding outcomes, best first by ``key``; equal keys share a rank."""
        entries = [
            (department, self.department_figures[department.slug])
            for department in self.corpus.departments
            if department.slug in self.department_figures
        ]
        entries.sort(key=lambda entry: (key(entry[1]), -entry[1].total, entry[0].slug))
        ranked: list[RankedDepartment] = []
        for place, (department, figures) in enumerate(entries, start=1):
            tied = ranked and key(ranked[-1].figures) == key(figures)
            rank = ranked[-1].rank if tied else place
            ranked.append(RankedDepartment(rank, department, figures, department_path(department)))
        return ranked

    def departments_index_page(self) -> SitePage:
        view = DepartmentsView(
            menu=self.menu,
            by_overdue=self.ranked(lambda f: -f.overdue),
            by_conclusion=self.ranked(lambda f: -(f.conclusion_rate or 0.0)),
            by_on_time=[r for r in self.ranked(lambda f: (f.on_time_rate is None, -(f.on_time_rate or 0.0)))
                        if r.figures.on_time_base],
        )
        return SitePage("feedback/departments/index.md", f"{TITLE} · 承办单位", view, in_nav=False)

    def department_pages(self, department: Department) -> Iterator[SitePage]:
        outcomes = self.corpus.department_outcomes.get(department.slug, [])
        figures = self.department_figures.get(department.slug) or self.corpus.figures([])
        # Grouped by status in the vocabulary's order; overdue first within a group.
        ordered = sorted(outcomes, key=lambda o: (STATUS_ORDER[o.status], not self.is_overdue(o)))
        base = department_path(department)
        pages = list(self.paginate(ordered, base))
        contents = self.group_contents(pages, figures)
        feed = f"{base}feed.xml"
        for pager, rows in pages:
            title = department.name + (f"（第{pager.number}页）" if pager.number > 1 else "")
            view = DepartmentView(
                department=department,
                figures=figures,
                median_days_to_answer=median_days_to_answer(outcomes),
                median_days_to_conclusion=median_days_to_conclusion(outcomes),
                roles=self.role_counts(department, outcomes),
                groups=self.status_groups(rows, figures, pager),
                contents=contents,
                pager=pager,
                menu=self.menu,
                feed=feed,
            )
            yield SitePage(f"{pager.paths[pager.number - 1]}index.md", title, view, in_nav=False)

    def role_counts(self, department: Department, outcomes: list[Outcome]) -> list[RoleCount]:
        """The outcomes it leads and those it assists in, with their figures.

        Only where some outcome writes its lead: with none written, a
        single-department outcome is led by its department and the split
        would only repeat the totals.
        """
        if not any(o.lead is not None for o in outcomes):
            return []
        by_role: dict[Role, list[Outcome]] = {}
        for outcome in outcomes:
            by_role.setdefault(outcome.role(department), []).append(outcome)
        return [RoleCount(role, self.corpus.figures(by_role[role])) for role in Role if role in by_role]

    @staticmethod
    def status_groups(rows: list[Outcome], figures: Figures, pager: Pager) -> list[StatusGroup]:
        groups = []
        for index, (status, run) in enumerate(groupby(rows, key=lambda o: o.status)):
            continued = index == 0 and _starts_before(status, pager, figures)
            groups.append(StatusGroup(status, list(run), figures.by_status[status], continued))
        return groups

    @staticmethod
    def group_contents(pages: list[tuple[Pager, list[Outcome]]], figures: Figures) -> list[GroupLink]:
        """For each status the department holds, the page where its group begins."""
        starts: dict[Status, str] = {}
        for pager, rows in pages:
            for outcome in rows:
                starts.setdefault(outcome.status, f"{pager.paths[pager.number - 1]}#{outcome.status.value}")
        return [GroupLink(status, figures.by_status[status], starts[status]) for status in Status if status in starts]


def _starts_before(status: Status, pager: Pager, figures: Figures) -> bool:
    """Whether the group of ``status`` has rows before this page's first row."""
    before = sum(figures.by_status[s] for s in Status if STATUS_ORDER[s] < STATUS_ORDER[status])
    return pager.start - 1 > before


def feedback_pages(corpus: Corpus, site: SiteInfo | None = None) -> list[SitePage]:
    """Every page of the feedback section: overview, lists, department pages."""
    page_size = site.feedback_page_size if site is not None else DEFAULT_PAGE_SIZE
    data_license = site.data_license if site is not None else ""
    return FeedbackPages(corpus, page_size, data_license).pages()
