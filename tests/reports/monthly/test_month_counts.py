"""Month-end figures (issue 23, acceptance 1): each figure of a past month equals a count made
again here in plain Python over that month's dated records; it does not move when today's state
does (a household moved, a job ended, a member assessed again, a later month entered); and the
list behind each figure holds exactly as many rows as the figure says."""

import datetime
import itertools
import random

import pytest
from django.utils import timezone

from casework.cases.models import Assessment, Category
from casework.monitoring.models import MonthlyWorkRecord
from casework.placement.models import Placement
from casework.registry.lifecycle import household_split
from casework.registry.models import Household, Member
from casework.reports.monthly.counts import (
    HOUSEHOLD_FIGURES,
    UNASSESSED,
    MonthCounts,
    households_behind,
    month_counts,
    records_behind,
    total,
)
from tests import factories

from . import world as month_world
from .world import AFTER, BEFORE, MONTH

pytestmark = pytest.mark.django_db


def _expected(grid_id: int, month: datetime.date) -> MonthCounts:
    """The figures of one grid-month, counted again row by row."""
    records = [
        r for r in MonthlyWorkRecord.objects.all() if (r.grid_id, r.month) == (grid_id, month)
    ]
    members = {r.member_id: r for r in records}
    # A household counts in the first grid (by id) its members' records of the month were
    # entered in, and works when any of its members worked that month, in whatever grid.
    month_records = [r for r in MonthlyWorkRecord.objects.all() if r.month == month]
    home, worked = {}, set()
    for r in month_records:
        household = r.household_id
        home[household] = min(home.get(household, r.grid_id), r.grid_id)
        if r.working:
            worked.add(household)
    households = {h for h, grid in home.items() if grid == grid_id}
    working_households = households & worked
    counts = MonthCounts(
        recorded=len(records),
        working=sum(r.working for r in records),
        households_recorded=len(households),
        households_working=len(working_households),
    )
    month_end = (month + datetime.timedelta(days=32)).replace(day=1)
    # People, not jobs: two placements starting in the month are one person placed.
    jobs = list(Placement.objects.filter(member_id__in=members))
    counts.placed = len({p.member_id for p in jobs if month <= p.start_date < month_end})
    counts.exited = len(
        {p.member_id for p in jobs if p.end_date and month <= p.end_date < month_end}
    )
    for record in records:
        if record.working:
            for name, code in (("by_location", record.location_class),
                               ("by_channel", record.channel)):  # fmt: skip
                tallies = getattr(counts, name)
                tallies[code] = tallies.get(code, 0) + 1
        made = [
            a for a in Assessment.objects.filter(member_id=record.member_id)
            if timezone.localdate(a.assessed_at) < month_end
        ]  # fmt: skip
        category = max(made, key=lambda a: a.version).category if made else UNASSESSED
        counts.by_category[category] = counts.by_category.get(category, 0) + 1
    return counts


def test_each_figure_of_a_past_month_is_the_count_of_its_dated_records(months):
    grid_ids = [months.grid_a1.pk, months.grid_a2.pk, months.grid_b1.pk]
    counted = month_counts(grid_ids, [BEFORE, MONTH, AFTER])
    for grid_id, month in itertools.product(grid_ids, (BEFORE, MONTH, AFTER)):
        assert counted[(grid_id, month)] == _expected(grid_id, month), (grid_id, month)
    august = counted[(months.grid_a1.pk, MONTH)]
    assert august.recorded and august.by_category and august.placed and august.exited


def test_a_past_month_does_not_move_when_today_does(months):
    grid_ids = [months.grid_a1.pk, months.grid_a2.pk]
    before = month_counts(grid_ids, [MONTH])
    admin = months.admin
    # Today: every household of A1 moves to A2, every open job ends, everyone is assessed
    # again as 三无, and a later month is entered.
    Household.objects.filter(grid=months.grid_a1).update(grid=months.grid_a2)
    # ...and a member of each household with two members recorded in August splits off (分户).
    for index, household in enumerate(Household.objects.filter(number__startswith="M-")):
        recorded = MonthlyWorkRecord.objects.filter(household=household, month=MONTH)
        if recorded.values("member").distinct().count() == 2:
            leaving = household.members.exclude(relationship="head").first()
            household_split(actor=admin, household=household, members=[leaving], head=leaving,
                            number=f"S-{index:04d}")  # fmt: skip
    assert Household.objects.filter(number__startswith="S-").exists()
    Placement.objects.filter(end_date__isnull=True).update(end_date=timezone.localdate())
    rng = random.Random(1)
    for member in Member.objects.filter(household__grid__site=months.site_a):
        month_world.assess(member, Category.THREE_NO, timezone.localdate(), 99, admin)
        month_world.record(member, months.grid_a2, datetime.date(2026, 10, 1), True, rng, admin)
    assert month_counts(grid_ids, [MONTH]) == before
    assert before[(months.grid_a1.pk, MONTH)].recorded


def test_a_household_entered_in_two_grids_counts_once_and_as_working(months):
    """A household moving from A1 to A2 while the month was entered: its head's record in A1
    (not working), its other member's in A2 (working). The site counts one household, in
    work, none zero-employment; its grids add up to that, and so do the lists."""
    household = factories.household(months.admin, months.grid_a1, number="M-SPLIT", members=2)
    head, other, *_rest = household.members.order_by("pk")
    rng = random.Random(5)
    month_world.record(head, months.grid_a1, MONTH, False, rng, months.admin)
    month_world.record(other, months.grid_a2, MONTH, True, rng, months.admin)
    grids = [months.grid_a1.pk, months.grid_a2.pk]
    site = total(month_counts(grids, [MONTH]).values())
    listed = {f: households_behind(grids, MONTH, f) for f in HOUSEHOLD_FIGURES}
    assert household in listed["households_working"]
    assert household not in listed["zero_employment"]
    for figure in HOUSEHOLD_FIGURES:
        assert listed[figure].count() == getattr(site, figure), figure
        by_grid = sum(households_behind([g], MONTH, figure).count() for g in grids)
        assert by_grid == getattr(site, figure), figure


def test_the_list_behind_each_figure_has_as_many_rows_as_the_figure(months):
    grid_ids = [months.grid_a1.pk, months.grid_a2.pk]
    figures = total(month_counts(grid_ids, [MONTH]).values())
    for figure in ("recorded", "working", "placed", "exited"):
        assert records_behind(grid_ids, MONTH, figure).count() == getattr(figures, figure)
    for figure, tallies in (("location", figures.by_location), ("channel", figures.by_channel),
                            ("category", figures.by_category)):  # fmt: skip
        assert tallies
        for code, count in tallies.items():
            assert records_behind(grid_ids, MONTH, figure, code).count() == count, (figure, code)
    for figure in HOUSEHOLD_FIGURES:
        assert households_behind(grid_ids, MONTH, figure).count() == getattr(figures, figure)
    assert figures.zero_employment > 0


def test_any_number_of_grids_and_months_costs_the_same_queries(months, django_assert_num_queries):
    one = [months.grid_a1.pk]
    every = [months.grid_a1.pk, months.grid_a2.pk, months.grid_b1.pk]
    year = [datetime.date(2025, m, 1) for m in range(10, 13)]
    year += [datetime.date(2026, m, 1) for m in range(1, 10)]
    with django_assert_num_queries(7):
        month_counts(one, [MONTH])
    with django_assert_num_queries(7):
        assert len(month_counts(every, year)) == 9  # three grids × three months with a roster
