"""Reads of the monthly work records: a grid's roster for a month (each labour member's record,
or what it would say, pre-filled from their current work) and whether a month is closed."""

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from casework.cases.models import Assessment
from casework.cases.selectors import is_labour_member
from casework.placement.models import Channel, Placement
from casework.policy.codes import LocationClass
from casework.policy.params import param
from casework.posts.models import PostAssignment, WelfarePost
from casework.registry.models import Grid, Member, Site

from .models import MonthlyWorkRecord, WorkMonthClosure

# Where a row's values come from, most reliable first.
RECORDED, PLACEMENT, POST, PREVIOUS, NOTHING = "recorded", "placement", "post", "previous", ""
FIELDS = (
    "working",
    "location_class",
    "channel",
    "employer_name",
    "industry",
    "organised_transport",
    "monthly_income",
    "days_worked",
    "not_working_reason",
)


def month_of(day: datetime.date) -> datetime.date:
    """The month ``day`` falls in, as its first day."""
    return day.replace(day=1)


def month_last_day(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def month_before(month: datetime.date) -> datetime.date:
    return month_of(month - datetime.timedelta(days=1))


def months_open() -> list[datetime.date]:
    """The months that may still be entered, newest first: this one and the
    ``work_month.months_open`` months before it."""
    months = [month_of(timezone.localdate())]
    for _n in range(int(param("work_month.months_open"))):
        months.append(month_before(months[-1]))
    return months


@dataclass
class RosterRow:
    """One labour member's line of a grid's month: the stored record, or the values it is
    pre-filled with and where they come from."""

    member: Member
    source: str
    values: dict[str, Any] = field(default_factory=dict)
    stamp: str = ""  # when the stored record was last written ("" when there is none)

    @property
    def recorded(self) -> bool:
        return self.source == RECORDED


def roster_members(grid: Grid, month: datetime.date) -> QuerySet[Member]:
    """The members of ``grid``'s households in ``month`` (not gone before it began), by
    household number, the head first."""
    head_first = Case(When(relationship="head", then=Value(0)), default=Value(1))
    return (
        Member.objects.filter(household__grid=grid)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=month))
        .select_related("household")
        .order_by("household__number", head_first, "pk")
    )


def _latest_assessments(members: list[Member]) -> dict[int, Assessment]:
    latest: dict[int, Assessment] = {}
    assessments = Assessment.objects.filter(member__in=members).order_by("member_id", "version")
    for assessment in assessments:  # the highest version last, so it stays
        latest[assessment.member_id] = assessment
    return latest


def _days_in(month: datetime.date, start: datetime.date, end: datetime.date | None) -> int:
    last = month_last_day(month)
    first_day = max(start, month)
    last_day = min(end or last, last)
    return max((last_day - first_day).days + 1, 0)


def _from_placement(month: datetime.date, placement: Placement) -> dict[str, Any]:
    return {
        "working": True,
        "location_class": placement.location_class,
        "channel": placement.channel,
        "employer_name": placement.employer_name,
        "industry": placement.industry,
        "organised_transport": placement.organised_transport,
        "monthly_income": placement.monthly_income,
        "days_worked": _days_in(month, placement.start_date, placement.end_date),
        "not_working_reason": "",
    }


def _from_post(
    month: datetime.date, assignment: PostAssignment, post: WelfarePost
) -> dict[str, Any]:
    return {
        "working": True,
        "location_class": LocationClass.COUNTY,
        "channel": Channel.PUBLIC_WELFARE,
        "employer_name": post.name,
        "industry": "",
        "organised_transport": False,
        "monthly_income": post.monthly_subsidy,
        "days_worked": _days_in(month, assignment.start_date or month, assignment.end_date),
        "not_working_reason": "",
    }


def _values(record: MonthlyWorkRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in FIELDS}


def work_month_roster(grid: Grid, month: datetime.date) -> list[RosterRow]:
    """Every labour member of ``grid`` in ``month``, each with their record of the month or,
    when there is none yet, the values it is pre-filled with: their job in that month (the
    placement running in it, the latest started), else the public-welfare post they held in
    it, else last month's record when it said not working (with its reason; a month worked
    without a recorded job is not assumed to go on), else nothing (not working, no reason:
    the caseworker says why). Six queries whatever the grid's size."""
    last = month_last_day(month)
    members = list(roster_members(grid, month))
    latest = _latest_assessments(members)
    labour = [m for m in members if is_labour_member(m, latest.get(m.pk))]
    recorded = {
        r.member_id: r for r in MonthlyWorkRecord.objects.filter(member__in=labour, month=month)
    }
    previous = {
        r.member_id: r
        for r in MonthlyWorkRecord.objects.filter(member__in=labour, month=month_before(month))
    }
    jobs: dict[int, Placement] = {}
    running = Placement.objects.filter(member__in=labour, start_date__lte=last).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=month)
    )
    for placement in running.order_by("start_date", "pk"):
        jobs[placement.member_id] = placement
    # A post held during the month: on it still, or ended within or after it.
    held = PostAssignment.objects.filter(
        member__in=labour,
        status__in=(PostAssignment.Status.ON_POST, PostAssignment.Status.ENDED),
        post__isnull=False,
    ).filter(
        Q(start_date__isnull=True) | Q(start_date__lte=last),
        Q(end_date__isnull=True) | Q(end_date__gte=month),
    )
    posts = {
        a.member_id: (a, a.post)
        for a in held.select_related("post").order_by("start_date", "pk")
        if a.post is not None
    }
    rows = []
    for member in labour:
        if member.pk in recorded:
            record = recorded[member.pk]
            stamp = record.recorded_at.isoformat()
            rows.append(RosterRow(member, RECORDED, _values(record), stamp))
        elif member.pk in jobs:
            rows.append(RosterRow(member, PLACEMENT, _from_placement(month, jobs[member.pk])))
        elif member.pk in posts:
            rows.append(RosterRow(member, POST, _from_post(month, *posts[member.pk])))
        elif member.pk in previous and not previous[member.pk].working:
            rows.append(RosterRow(member, PREVIOUS, _values(previous[member.pk])))
        else:
            rows.append(RosterRow(member, NOTHING, {"working": False, "not_working_reason": ""}))
    return rows


def work_month_grids(grids: QuerySet[Grid], month: datetime.date) -> QuerySet[Grid]:
    """``grids`` with their site and ``recorded``: how many records of ``month`` each holds."""
    recorded = (
        MonthlyWorkRecord.objects.filter(grid=OuterRef("pk"), month=month)
        .order_by()
        .values("grid")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        grids.select_related("site")
        .annotate(recorded=Coalesce(Subquery(recorded), 0))
        .order_by("site__name", "name")
    )


def work_month_site_summary(site: Site, month: datetime.date) -> list[tuple[Grid, int, int]]:
    """Each grid of ``site`` with its labour members in ``month`` and how many of them have
    a record of it (the closing page: the roster's queries for each grid)."""
    summary = []
    for grid in Grid.objects.filter(site=site).order_by("name"):
        rows = work_month_roster(grid, month)
        summary.append((grid, len(rows), sum(row.recorded for row in rows)))
    return summary


def work_months_closed(site_ids: Iterable[int], month: datetime.date) -> set[int]:
    """Those of ``site_ids`` whose ``month`` is closed."""
    closed = WorkMonthClosure.objects.filter(site_id__in=list(site_ids), month=month)
    return set(closed.values_list("site_id", flat=True))


def work_month_closed(site: Site, month: datetime.date) -> bool:
    return WorkMonthClosure.objects.filter(site=site, month=month).exists()


def work_month_closures(sites: QuerySet[Site]) -> QuerySet[WorkMonthClosure]:
    return WorkMonthClosure.objects.filter(site__in=sites).select_related("site", "closed_by")


@dataclass(frozen=True)
class MonthShare:
    """A month's records in a scope: how many say working, of how many recorded."""

    month: datetime.date
    working: int
    recorded: int

    @property
    def percent(self) -> float | None:
        return None if not self.recorded else 100 * self.working / self.recorded


def work_month_shares(sites: QuerySet[Site], months: list[datetime.date]) -> list[MonthShare]:
    """For each of ``months``: how many records of the members of ``sites``' households say
    working, of how many recorded (one query for all the months)."""
    rows = {
        row["month"]: row
        for row in MonthlyWorkRecord.objects.filter(
            month__in=months, grid__site__in=sites.values("pk")
        )
        .values("month")
        .annotate(recorded=Count("pk"), working=Count("pk", filter=Q(working=True)))
        .order_by()
    }
    return [
        MonthShare(m, rows[m]["working"], rows[m]["recorded"]) if m in rows else MonthShare(m, 0, 0)
        for m in months
    ]


def work_month_share(sites: QuerySet[Site], month: datetime.date) -> MonthShare:
    """``work_month_shares`` for one month."""
    return work_month_shares(sites, [month])[0]


__all__ = [
    "FIELDS",
    "MonthShare",
    "RosterRow",
    "month_before",
    "month_last_day",
    "month_of",
    "months_open",
    "work_month_closed",
    "work_month_closures",
    "work_month_grids",
    "work_month_site_summary",
    "work_months_closed",
    "work_month_roster",
    "work_month_share",
    "work_month_shares",
]
