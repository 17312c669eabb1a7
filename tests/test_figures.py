"""Every derived figure and rate of the content model, on the hand-made corpus.

The right answers are worked out by hand in tests/feedback_corpus.py and
written here; the corpus is loaded by the real loader (no build needed).
"""

from __future__ import annotations

from datetime import date

import pytest
from feedback_corpus import write_corpus
from huiyin.core.base.clock import build_time
from huiyin.core.model.corpus import Corpus
from huiyin.core.model.figures import format_days, format_rate, median_days_to_answer, median_days_to_conclusion
from huiyin.core.model.loading import load_corpus
from huiyin.core.records.vocab import Status
from huiyin.core.views.chart import status_chart
from huiyin.core.views.feedback_pages import FeedbackPages, Pager
from sitebuilder import FIXED_EPOCH, SiteFolder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    site = SiteFolder(tmp_path_factory.mktemp("figures"))
    write_corpus(site)
    return load_corpus(site.content, build_time({"SOURCE_DATE_EPOCH": FIXED_EPOCH}))


def by_id(corpus: Corpus) -> dict[str, object]:
    return {o.global_id: o for o in corpus.published_outcomes}


def test_now_is_source_date_epoch(corpus: Corpus) -> None:
    assert corpus.today == date(2025, 11, 21)


def test_drafts_and_embargoed_outcomes_count_nowhere(corpus: Corpus) -> None:
    assert len(corpus.published_outcomes) == 7
    assert all("yincang" not in o.global_id for o in corpus.published_outcomes)
    assert all(len(held) == 3 for held in corpus.department_outcomes.values())


@pytest.mark.parametrize(
    "global_id, status, claimed, answered, adopted, concluded, overdue",
    [
        ("2025/yanglao#zhucan", Status.SUBMITTED, False, False, False, False, False),  # due 2026: not yet
        ("2025/yanglao#rijian", Status.ADOPTED, True, True, True, False, True),  # adopted ≠ concluded
        ("2025/yanglao#yiyang", Status.IMPLEMENTED, True, True, True, True, False),
        ("2025/lajifenlei#fenlei", Status.CLAIMED, True, False, False, False, False),  # no due date
        ("2024/tingche#cuoshi", Status.IMPLEMENTED, True, True, True, True, False),  # 已落實
        ("2024/tingche#tingchelou", Status.IN_PROGRESS, True, False, False, False, True),
        ("2024/tingche#mianfei", Status.DECLINED, True, True, False, True, False),
    ],
)
def test_each_outcome(corpus, global_id, status, claimed, answered, adopted, concluded, overdue) -> None:
    o = by_id(corpus)[global_id]
    assert (o.status, o.claimed, o.answered, o.adopted, o.concluded, o.overdue(corpus.today)) == (
        status, claimed, answered, adopted, concluded, overdue,
    )


def test_overdue_is_strictly_before_today(corpus: Corpus) -> None:
    rijian = by_id(corpus)["2025/yanglao#rijian"]  # due 2025-09-30, not concluded
    assert not rijian.overdue(date(2025, 9, 30))  # due today: not late yet
    assert rijian.overdue(date(2025, 10, 1))


def test_site_figures(corpus: Corpus) -> None:
    f = corpus.site_figures
    assert f.total == 7
    assert f.by_status == {
        Status.SUBMITTED: 1, Status.CLAIMED: 1, Status.IN_PROGRESS: 1,
        Status.ADOPTED: 1, Status.IMPLEMENTED: 2, Status.DECLINED: 1,
    }
    assert (f.claimed, f.concluded, f.answered, f.adopted, f.overdue) == (6, 3, 4, 3, 2)
    assert [(key, name, format_rate(rate)) for key, name, rate in f.rates()] == [
        ("claim", "认领率", "85.7%"),
        ("conclusion", "办结率", "42.9%"),
        ("answer", "反馈率", "57.1%"),
        ("adoption", "采纳率", "42.9%"),
        # cuoshi and mianfei concluded by their due dates; tingchelou and rijian are past theirs and
        # open; zhucan is not due yet and yiyang, fenlei have no deadline: 2 of 4.
        ("on_time", "按期办结率", "50.0%"),
    ]


@pytest.mark.parametrize(
    "slug, total, claimed, concluded, answered, adopted, overdue, rates",
    [
        # The last rate is 按期办结率: zhujian met 1 of 3 deadlines (cuoshi; tingchelou and rijian are late),
        # gongan 2 of 2 (cuoshi, mianfei), weijian 0 of 1 (rijian; zhucan is not due yet).
        ("qd-zhujian", 3, 3, 1, 2, 2, 2, ["100.0%", "33.3%", "66.7%", "66.7%", "33.3%"]),
        ("qd-gongan", 3, 3, 2, 2, 1, 0, ["100.0%", "66.7%", "66.7%", "33.3%", "100.0%"]),
        ("qd-weijian", 3, 2, 1, 2, 2, 1, ["66.7%", "33.3%", "66.7%", "66.7%", "0.0%"]),
    ],
)
def test_department_figures(corpus, slug, total, claimed, concluded, answered, adopted, overdue, rates) -> None:
    f = corpus.figures(corpus.department_outcomes[slug])
    assert (f.total, f.claimed, f.concluded, f.answered, f.adopted, f.overdue) == (
        total, claimed, concluded, answered, adopted, overdue,
    )
    assert [format_rate(rate) for _, _, rate in f.rates()] == rates


@pytest.mark.parametrize(
    "platform, total, overdue",
    [("shandong", 6, 2), ("qingdao", 6, 2), ("shibei", 3, 1), ("zhejiang", 1, 0)],
)
def test_platform_roll_up_includes_sub_brands(corpus, platform, total, overdue) -> None:
    f = corpus.figures(corpus.platform_outcomes(corpus.platforms[platform]))
    assert (f.total, f.overdue) == (total, overdue)


@pytest.mark.parametrize(
    "slug, to_answer, to_conclusion",
    [
        ("qd-zhujian", 7.5, 90),  # answers after 5 (cuoshi) and 10 days (rijian); cuoshi concluded after 90
        ("qd-gongan", 17.5, 60),  # 5 and 30 days; concluded after 90 and 30
        ("qd-weijian", 7, 69),  # 10 and 4 days; yiyang concluded for good on its second 已落实, day 69
    ],
)
def test_median_days(corpus, slug, to_answer, to_conclusion) -> None:
    outcomes = corpus.department_outcomes[slug]
    assert median_days_to_answer(outcomes) == to_answer
    assert median_days_to_conclusion(outcomes) == to_conclusion


def test_median_days_with_nothing_to_measure(corpus: Corpus) -> None:
    unanswered = [by_id(corpus)["2024/tingche#tingchelou"]]
    assert median_days_to_answer(unanswered) is None
    assert median_days_to_conclusion(unanswered) is None
    assert format_days(None) == "—" and format_days(7.5) == "7.5 天" and format_days(90) == "90 天"


def test_empty_set_has_no_rates(corpus: Corpus) -> None:
    f = corpus.figures([])
    assert f.total == 0 and all(rate is None for _, _, rate in f.rates())
    assert format_rate(None) == "—"


def test_chart_bars_follow_the_counts(corpus: Corpus) -> None:
    chart = status_chart(corpus.site_figures)
    assert [(bar.status, bar.count, bar.share) for bar in chart.bars] == [
        (Status.SUBMITTED, 1, "14.3%"), (Status.CLAIMED, 1, "14.3%"), (Status.IN_PROGRESS, 1, "14.3%"),
        (Status.ADOPTED, 1, "14.3%"), (Status.IMPLEMENTED, 2, "28.6%"), (Status.DECLINED, 1, "14.3%"),
    ]
    longest = max(bar.length for bar in chart.bars)
    assert chart.bar_x + longest + 100 <= chart.width  # room left for the value text
    assert all(bar.length == pytest.approx(longest / 2, abs=0.1) for bar in chart.bars if bar.count == 1)
    tops = [bar.y for bar in chart.bars]
    assert tops == sorted(tops) and tops[-1] + chart.bar_height <= chart.height
    assert chart.description.startswith("共 7 条问题及建议：已交办 1 条")


def test_chart_of_nothing_has_no_bars_drawn(corpus: Corpus) -> None:
    chart = status_chart(corpus.figures([]))
    assert chart.total == 0 and all(bar.length == 0 for bar in chart.bars)


def test_department_rankings(corpus: Corpus) -> None:
    pages = FeedbackPages(corpus, page_size=200, data_license="")
    by_overdue = [(r.rank, r.department.slug, r.figures.overdue) for r in pages.ranked(lambda f: -f.overdue)]
    assert by_overdue == [(1, "qd-zhujian", 2), (2, "qd-weijian", 1), (3, "qd-gongan", 0)]
    by_conclusion = [(r.rank, r.department.slug) for r in pages.ranked(lambda f: -(f.conclusion_rate or 0))]
    assert by_conclusion == [(1, "qd-gongan"), (2, "qd-weijian"), (2, "qd-zhujian")]  # 33.3% each: a tie


def test_pager_window() -> None:
    paths = tuple(f"p{n}" for n in range(1, 11))
    pager = Pager(5, paths, 801)
    assert (pager.previous, pager.next, pager.count) == ("p4", "p6", 10)
    assert pager.window() == [(1, "p1"), None, (3, "p3"), (4, "p4"), (5, "p5"), (6, "p6"), (7, "p7"), None, (10, "p10")]
    assert Pager(1, paths[:1], 1).window() == [(1, "p1")]
