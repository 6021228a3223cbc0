"""Reads of a post's month: who held it, their attendance and score, and the subsidy roll by
the rules in force that month (``posts.full_month_days``, ``posts.score_full``,
``posts.score_pass``), or as approved (``SubsidyRoll``).

The subsidy of a holder for a month:
- the post's monthly subsidy, in proportion to the days of the month they held the post
  (a term that starts or ends in the month): the subsidy due;
- times the share of the full month's days they worked, those days asked in the same
  proportion as the days held (at most 1);
- times the score's share where the month is scored: 1 from ``score_full``, the score's
  percentage from ``score_pass``, nothing below it.
What it falls short of the subsidy due is the deduction.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet

from casework.policy.params import param

from .models import PostAssignment, PostAttendance, WelfarePost
from .roll_models import SubsidyRoll

CENT = Decimal("0.01")


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def holders_in_month(post: WelfarePost, month: datetime.date) -> QuerySet[PostAssignment]:
    """The post's holders at any time in ``month`` (those who left in it too), by name."""
    return (
        post.assignments.filter(
            status__in=(PostAssignment.Status.ON_POST, PostAssignment.Status.ENDED),
            start_date__lte=month_end(month),
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=month))
        .select_related("member__household__grid")
        .order_by("member__name", "pk")
    )


@dataclass(frozen=True)
class RollLine:
    assignment: PostAssignment
    days_worked: int | None  # None: the month's attendance is not entered yet
    score: int | None
    due: Decimal
    deduction: Decimal
    amount: Decimal


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def days_held(assignment: PostAssignment, month: datetime.date) -> int:
    """The days of ``month`` the holder held the post."""
    last = month_end(month)
    start = max(assignment.start_date or month, month)
    end = min(assignment.end_date or last, last)
    return max((end - start).days + 1, 0)


def subsidy_due(post: WelfarePost, assignment: PostAssignment, month: datetime.date) -> Decimal:
    """The subsidy for the days of ``month`` the holder held the post."""
    return _cents(post.monthly_subsidy * days_held(assignment, month) / month_end(month).day)


def subsidy_amount(
    due: Decimal, days_worked: int, score: int | None, month: datetime.date, held: int
) -> Decimal:
    """What is paid of ``due`` for the days worked and the score, by the rules in force at the
    end of ``month``: the full month's days are asked in proportion to the ``held`` days."""
    last = month_end(month)
    if held <= 0:
        return Decimal(0)
    full_days = int(param("posts.full_month_days", on=last))
    asked = Decimal(full_days) * held / last.day
    share = min(Decimal(days_worked) / asked, Decimal(1))
    if score is not None:
        if score < int(param("posts.score_pass", on=last)):
            share = Decimal(0)
        elif score < int(param("posts.score_full", on=last)):
            share *= Decimal(score) / Decimal(100)
    return _cents(due * share)


def roll_lines(post: WelfarePost, month: datetime.date) -> list[RollLine]:
    """The month's roll as the attendance entered so far gives it (before approval)."""
    holders = list(holders_in_month(post, month))
    attendance = {
        a.assignment_id: a
        for a in PostAttendance.objects.filter(assignment__in=holders, month=month)
    }
    lines = []
    for assignment in holders:
        due = subsidy_due(post, assignment, month)
        record = attendance.get(assignment.pk)
        if record is None:
            lines.append(RollLine(assignment, None, None, due, Decimal(0), Decimal(0)))
            continue
        held = days_held(assignment, month)
        amount = subsidy_amount(due, record.days_worked, record.score, month, held)
        lines.append(
            RollLine(assignment, record.days_worked, record.score, due, due - amount, amount)
        )
    return lines


def approved_roll(post: WelfarePost, month: datetime.date) -> SubsidyRoll | None:
    return (
        SubsidyRoll.objects.filter(post=post, month=month)
        .select_related("approved_by")
        .prefetch_related("lines__assignment__member__household__grid")
        .first()
    )
