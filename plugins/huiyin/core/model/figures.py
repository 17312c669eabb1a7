"""Derived figures over a set of published outcomes, as the content model defines them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from statistics import median

from ..records.entities import Outcome
from ..records.vocab import SATISFIED_VERDICTS, Status


@dataclass(frozen=True)
class Figures:
    total: int
    by_status: dict[Status, int]
    claimed: int
    concluded: int
    answered: int
    adopted: int
    overdue: int
    on_time: int = 0  # 按期办结
    on_time_base: int = 0  # outcomes with a deadline that are concluded or past it
    satisfied: int = 0  # latest follow-up 满意 or 基本满意
    followed_up: int = 0  # outcomes with any follow-up verdict

    @staticmethod
    def _rate(part: int, total: int) -> float | None:
        return part / total if total else None

    @property
    def claim_rate(self) -> float | None:  # 认领率
        return self._rate(self.claimed, self.total)

    @property
    def conclusion_rate(self) -> float | None:  # 办结率
        return self._rate(self.concluded, self.total)

    @property
    def answer_rate(self) -> float | None:  # 反馈率
        return self._rate(self.answered, self.total)

    @property
    def adoption_rate(self) -> float | None:  # 采纳率
        return self._rate(self.adopted, self.total)

    @property
    def on_time_rate(self) -> float | None:  # 按期办结率
        return self._rate(self.on_time, self.on_time_base)

    @property
    def satisfaction_rate(self) -> float | None:  # 满意率
        return self._rate(self.satisfied, self.followed_up)

    def rates(self) -> list[tuple[str, str, float | None]]:
        """(key, Chinese name, rate) in the order pages show them.

        按期办结率 and 满意率 only where they can be told: some outcome has a
        deadline that is due or met, some outcome had a follow-up visit. A
        platform that sets no deadlines shows the four rates it always did,
        instead of a "—" that would read as a failing.
        """
        rates = [
            ("claim", "认领率", self.claim_rate),
            ("conclusion", "办结率", self.conclusion_rate),
            ("answer", "反馈率", self.answer_rate),
            ("adoption", "采纳率", self.adoption_rate),
        ]
        if self.on_time_base:
            rates.append(("on_time", "按期办结率", self.on_time_rate))
        if self.followed_up:
            rates.append(("satisfaction", "满意率", self.satisfaction_rate))
        return rates


# What one outcome adds to each count of ``Figures`` after ``total`` and ``by_status``, in field order.
Tally = tuple[int, int, int, int, int, int, int, int, int]


def tally(outcome: Outcome, today: date) -> Tally:
    """One outcome's share of the counts: worked out once per outcome (``Corpus.figures``), then summed."""
    on_time = outcome.on_time(today)
    satisfaction = outcome.satisfaction
    return (outcome.claimed, outcome.concluded, outcome.answered, outcome.adopted, outcome.overdue(today),
            on_time is True, on_time is not None, satisfaction in SATISFIED_VERDICTS, satisfaction is not None)


def figures(outcomes: Iterable[Outcome], today: date, tallies: Callable[[Outcome], Tally] | None = None) -> Figures:
    """The figures of these outcomes; ``tallies`` gives each one's share, if they are kept (``tally``).

    A site shows ≈ 190 sets of figures (every brand, department and feedback
    list), ≈ 27,000 outcomes counted at 2,000 sessions; each outcome's
    properties worked out once instead of each time made them ≈ 4× cheaper.
    """
    outcomes = list(outcomes)
    share = tallies or (lambda outcome: tally(outcome, today))
    counts = Counter(outcome.status for outcome in outcomes)
    sums = [sum(column) for column in zip(*map(share, outcomes))] or [0] * 9
    claimed, concluded, answered, adopted, overdue, on_time, on_time_base, satisfied, followed_up = sums
    return Figures(
        total=len(outcomes),
        by_status={status: counts.get(status, 0) for status in Status},
        claimed=claimed, concluded=concluded, answered=answered, adopted=adopted, overdue=overdue,
        on_time=on_time, on_time_base=on_time_base, satisfied=satisfied, followed_up=followed_up,
    )


def median_days_to_answer(outcomes: Iterable[Outcome]) -> float | None:
    """Median days from the first update (submission) to the first answer."""
    spans = [
        (outcome.first_answer.date - outcome.updates[0].date).days
        for outcome in outcomes
        if outcome.first_answer is not None
    ]
    return median(spans) if spans else None


def median_days_to_conclusion(outcomes: Iterable[Outcome]) -> float | None:
    """Median days from the first update (submission) to the conclusion that stands."""
    spans = [
        (outcome.conclusion.date - outcome.updates[0].date).days
        for outcome in outcomes
        if outcome.conclusion is not None
    ]
    return median(spans) if spans else None


def format_rate(rate: float | None) -> str:
    """'87.5%' or '—' where there is nothing to divide."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


def format_days(days: float | None) -> str:
    """'12 天', '3.5 天' (a median of an even count), or '—' where nothing was measured."""
    return "—" if days is None else f"{days:g} 天"
