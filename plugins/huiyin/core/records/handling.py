"""Handling (督办) as the contract's *Handling* section defines it: who leads, the
deadline that counts, extensions, supervision, follow-up — read and checked.

A deadline is worked out once, when the record is read, because every page,
figure, feed and data file asks for it and the rules of extension need it:
``extend_to`` must be later than the deadline it replaces. The period counts
from the first update (交办), on the working-day calendar of base/workdays.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ..base.workdays import Deadline, WorkCalendar
from .entities import Department, Supervision, Update
from .fields import Fields, excerpt, join_hints, suggest
from .periods import ALLOWED_FORMS, Period, parse_period
from .vocab import CONCLUDED_STATUSES, Satisfaction, Status, SupervisionKind


def read_period(fields: Fields, key: str) -> Period | None:
    value = fields.raw(key)
    if value is None:
        return None
    period = parse_period(value)
    if period is None:
        fields.problem(key, f"「{fields.name(key)}」的期限写法无法识别：「{excerpt(value)}」", ALLOWED_FORMS)
    return period


def read_due_in(fields: Fields) -> Period | None:
    period = read_period(fields, "due_in")
    if period is not None and fields.mapping.get("due") is not None:
        fields.problem("due_in", "「due」和「due_in」只能写一个", "写具体日期用 due，写期限（如 15个工作日）用 due_in，删去其中一个")
    return period


def read_lead(fields: Fields, departments: tuple[Department, ...], resolve: Callable[[str], Department | None],
              names: Callable[[], list[str]]) -> Department | None:
    written = fields.text("lead")
    if written is None:
        return None
    lead = resolve(written)
    if lead is None:
        fields.problem("lead", f"未知的主办单位「{excerpt(written)}」",
                       join_hints(suggest(written, names()), "写 departments.yml 中的名称或别名"))
        return None
    if lead not in departments:
        fields.problem("lead", f"主办单位「{excerpt(written)}」不在本条建议的承办单位（departments）中",
                       "主办单位必须是承办单位之一：把它加进 departments，或改写 lead")
        return None
    return lead


def read_supervision(fields: Fields) -> Supervision | None:
    nested = fields.nested("supervision")
    if nested is None:
        return None
    nested.check_keys()
    kind = nested.vocabulary("kind", SupervisionKind)
    by, since = nested.text("by"), nested.day("since")
    return Supervision(kind, by, since) if kind is not None else None


def check_update(item: Fields, previous: Update | None, status: Status | None, note: str,
                 satisfaction: Satisfaction | None) -> None:
    """The rules of one update that need only it and the one before."""
    if satisfaction is Satisfaction.DISSATISFIED and status in CONCLUDED_STATUSES:
        item.problem("satisfaction", f"回访不满意时，状态不能是办结状态「{status.label if status else ''}」",
                     "回访不满意即重新办理：把 status 改为 in_progress（办理中）等未办结状态")
    if previous is not None and previous.status in CONCLUDED_STATUSES and status is not None \
            and status not in CONCLUDED_STATUSES and not note:
        item.problem("status", f"状态从办结（{previous.status.label}）改回「{status.label}」时必须写明原因",
                     "在这一条加 note: 说明为什么重新办理")
    if item.mapping.get("extend_to") is not None and not note:
        item.problem("extend_to", "延期（extend_to）必须写明原因", "在这一条加 note: 写明延期的理由和批准情况")


def deadlines(calendar: WorkCalendar, due: date | None, period: Period | None,
              updates: tuple[Update, ...], items: list[Fields]) -> tuple[Deadline | None, Deadline | None]:
    """(the deadline before any extension, the one that counts); extensions are checked on the way."""
    if due is not None:
        original: Deadline | None = Deadline(due, False)
    elif period is not None and updates:
        original = calendar.deadline(period, updates[0].date)
    else:
        original = None
    current = original
    for update, item in zip(updates, items):
        if update.extend_to is None:
            continue
        if current is not None and update.extend_to <= current.day:
            item.problem("extend_to", f"延期至 {update.extend_to} 不晚于它取代的答复期限 {current.day}",
                         "延期后的日期必须晚于原答复期限；请核对日期")
        current = Deadline(update.extend_to, False)
    return original, current
