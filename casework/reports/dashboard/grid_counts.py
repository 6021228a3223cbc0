"""The dashboard's counts per grid and per site, for the whole city at once (selectors).

Each count is one set-based query grouped by grid (or site, or household for the member flags),
whatever the number of grids: ``grid_counts`` runs eight queries for one grid or for every grid
of the city. The definitions are those of ``figures`` (the live path), whose ``with_member_flags``
gives every member's flags; a test holds both paths equal.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum
from viewflow.workflow.models import Task

from casework.pairing.selectors import overdue_for_visit
from casework.policy.models import Code
from casework.posts.models import PostAssignment, WelfarePost
from casework.registry.models import Grid, Household, Member, Site
from casework.training.models import Enrolment
from workflows.services import OPEN_STATUSES

from .figures import FLAGS, LABOUR_CATEGORIES, REVIEWED, UNASSESSED, with_member_flags

HOUSEHOLD_FIGURES = ("labour", "assessed", "employed")


@dataclass
class GridCounts:
    """The additive counts of one grid (or of many, added up)."""

    households: int = 0
    labour: int = 0
    assessed: int = 0
    employed: int = 0
    households_with_labour: int = 0
    households_employed: int = 0
    training_passed: int = 0
    training_failed: int = 0
    overdue_tasks: int = 0
    overdue_visits: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    zero_employment: list[list[int]] = field(default_factory=list)  # [household id, labour]


@dataclass
class SiteCounts:
    post_quota: int = 0
    on_post: int = 0


@dataclass(frozen=True)
class _HouseholdRow:
    household_id: int
    grid_id: int
    number: str
    labour: int
    assessed: int
    employed: int
    categories: dict[str, int]
    channels: dict[str, int]


def _household_rows(
    households: QuerySet[Household], channels: list[str]
) -> Iterator[_HouseholdRow]:
    """Each household's member counts (labour, assessed, employed, by category and channel),
    in one query grouped by household over every member's flags, read in chunks."""
    members = with_member_flags(Member.objects.filter(household__in=households))
    # DISTINCT (over rows unique by pk) keeps the database from merging the flags into the
    # sums below, which would work out each member's flags again for every sum.
    flags = (
        members.annotate(grid=F("household__grid_id"), number=F("household__number"))
        .values("pk", "household_id", "grid", "number", *FLAGS)
        .order_by()
        .distinct()
    )
    inner, inner_params = flags.query.sql_with_params()
    q = connection.ops.quote_name
    labour = f"f.{q('is_labour')}"
    sums = [
        f"{labour}",
        f"{labour} AND f.{q('review')} IN (%s, %s)",
        f"{labour} AND f.{q('is_employed')}",
        f"{labour} AND f.{q('category')} IS NULL",
        *[f"{labour} AND f.{q('category')} = %s" for _c in LABOUR_CATEGORIES],
        *[f"{labour} AND f.{q('work_channel')} = %s" for _c in channels],
    ]
    params = [
        *[str(r) for r in REVIEWED],
        *[str(c) for c in LABOUR_CATEGORIES],
        *channels,
    ]
    columns = ", ".join(f"SUM(CASE WHEN {s} THEN 1 ELSE 0 END)" for s in sums)
    # Identifiers quoted by the backend, the inner query compiled by Django, every value a
    # parameter: nothing of the user's reaches the text.
    group = f"f.{q('household_id')}, f.{q('grid')}, f.{q('number')}"
    categories = [str(c) for c in LABOUR_CATEGORIES]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {group}, {columns} FROM ({inner}) f GROUP BY {group}",  # noqa: S608
            [*params, *inner_params],  # the SELECT list's, then the FROM's
        )
        while chunk := cursor.fetchmany(2000):
            for row in chunk:
                household_id, grid_id, number, labour_n, assessed, employed, unassessed, *rest = row
                by_category = dict(zip(categories, rest[: len(categories)], strict=True))
                by_category[UNASSESSED] = unassessed
                yield _HouseholdRow(
                    household_id=household_id,
                    grid_id=grid_id,
                    number=number,
                    labour=labour_n or 0,
                    assessed=assessed or 0,
                    employed=employed or 0,
                    categories=by_category,
                    channels=dict(zip(channels, rest[len(categories) :], strict=True)),
                )


def _add(into: dict[str, int], counts: dict[str, int]) -> None:
    for key, value in counts.items():
        into[key] = into.get(key, 0) + (value or 0)


def _member_counts(
    result: dict[int, GridCounts], households: QuerySet[Household], channels: list[str]
) -> None:
    zero: dict[int, list[tuple[str, int, int]]] = {}
    for row in _household_rows(households, channels):
        counts = result.setdefault(row.grid_id, GridCounts())
        counts.labour += row.labour
        counts.assessed += row.assessed
        counts.employed += row.employed
        _add(counts.by_category, row.categories)
        _add(counts.by_channel, row.channels)
        if row.labour:
            counts.households_with_labour += 1
            if row.employed:
                counts.households_employed += 1
            else:
                zero.setdefault(row.grid_id, []).append((row.number, row.household_id, row.labour))
    for grid_id, rows in zero.items():
        result[grid_id].zero_employment = [[pk, labour] for _n, pk, labour in sorted(rows)]


def _overdue_tasks_by_grid(grids: QuerySet[Grid], now: datetime.datetime) -> QuerySet:
    """Open tasks past their deadline in ``grids``, by the grid their process is keyed to."""
    return (
        Task.objects.filter(
            status__in=OPEN_STATUSES,
            deadline__due_at__lt=now,
            process__scope__grid_id__in=grids.values("pk"),
        )
        .values(grid=F("process__scope__grid_id"))
        .annotate(n=Count("pk"))
        .order_by()
    )


def grid_counts(
    grids: QuerySet[Grid], now: datetime.datetime, day: datetime.date, channels: list[Code]
) -> dict[int, GridCounts]:
    """The counts of every grid of ``grids`` at ``now`` (visits as due on ``day``); a grid
    without households gets zeros."""
    result = {pk: GridCounts() for pk in grids.values_list("pk", flat=True)}
    households = Household.objects.filter(grid__in=grids.values("pk"))
    for grid_id, n in households.values_list("grid_id").annotate(n=Count("pk")).order_by():
        result[grid_id].households = n
    _member_counts(result, households, [c.code for c in channels])
    training = (
        Enrolment.objects.filter(member__household__in=households)
        .values_list("member__household__grid_id")
        .annotate(
            passed=Count("pk", filter=Q(status=Enrolment.Status.PASSED)),
            failed=Count("pk", filter=Q(status=Enrolment.Status.FAILED)),
        )
        .order_by()
    )
    for grid_id, passed, failed in training:
        result[grid_id].training_passed, result[grid_id].training_failed = passed, failed
    for row in _overdue_tasks_by_grid(grids, now):
        if row["grid"] in result:
            result[row["grid"]].overdue_tasks = row["n"]
    overdue = Household.objects.filter(pk__in=overdue_for_visit(households, day).values("pk"))
    for grid_id, n in overdue.values_list("grid_id").annotate(n=Count("pk")).order_by():
        result[grid_id].overdue_visits = n
    return result


def site_counts(sites: QuerySet[Site]) -> dict[int, SiteCounts]:
    """The public-welfare posts of every site of ``sites``: the sum of quotas, people on post."""
    result = {pk: SiteCounts() for pk in sites.values_list("pk", flat=True)}
    posts = WelfarePost.objects.filter(site__in=sites.values("pk"))
    for site_id, quota in posts.values_list("site_id").annotate(q=Sum("quota")).order_by():
        result[site_id].post_quota = quota or 0
    holders = PostAssignment.objects.filter(
        post__in=posts.values("pk"), status=PostAssignment.Status.ON_POST
    )
    for site_id, n in holders.values_list("post__site_id").annotate(n=Count("pk")).order_by():
        result[site_id].on_post = n
    return result
