"""The dashboard read from the snapshots (selectors): each grid's latest daily figures, added up.

A page costs a handful of queries whatever the number of grids or sites: the grids in scope,
the last complete build, the grids' and the sites' latest rows, and the first zero-employment
households with their heads. A grid or site no snapshot holds yet (a fresh install, a grid
created today) is counted now by the same set-based queries that build the snapshot, so the
figures are right before the first nightly build too. The page says when the figures were
counted (the oldest row read).
"""

import datetime
import sys
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.functional import Promise

from casework.policy.models import Code
from casework.policy.params import param
from casework.policy.selectors import code_list
from casework.registry.models import Grid, Household, Member, Site
from casework.reports.models import FiguresBuild, GridDailyFigures, SiteDailyFigures

from .figures import (
    LABOUR_CATEGORIES,
    UNASSESSED,
    Dashboard,
    Share,
    Tally,
    ZeroEmploymentHousehold,
    category_tallies,
    group_tallies,
)
from .grid_counts import GridCounts, SiteCounts, grid_counts, site_counts

ADDITIVE = [f.name for f in fields(GridCounts) if f.type in (int, "int")]
TREND_MONTHS = 12
CHUNK = 1000  # households fetched by id at once


def _latest_build_day() -> datetime.date | None:
    return (
        FiguresBuild.objects.filter(finished_at__isnull=False)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )


def _latest_rows(rows: QuerySet[Any], key: str) -> dict[int, dict[str, Any]]:
    """The latest row of each grid (or site) among ``rows``, as dictionaries (no model
    instances: a city's page reads a thousand rows)."""
    return {row[key]: row for row in rows.order_by("day").values()}


def _as_counts(row: dict[str, Any]) -> GridCounts:
    counts = GridCounts(by_category=row["by_category"], by_channel=row["by_channel"])
    for name in ADDITIVE:
        setattr(counts, name, row[name])
    counts.zero_employment = row["zero_employment"]
    return counts


def _total(parts: Iterable[GridCounts]) -> GridCounts:
    total = GridCounts()
    for part in parts:
        for name in ADDITIVE:
            setattr(total, name, getattr(total, name) + getattr(part, name))
        for mine, theirs in ((total.by_category, part.by_category),
                             (total.by_channel, part.by_channel)):  # fmt: skip
            for code, count in theirs.items():
                mine[code] = mine.get(code, 0) + count
    return total


def _zero_rows(
    ordered: list[GridCounts], cap: int, grid_ids: list[int]
) -> list[ZeroEmploymentHousehold]:
    """The first ``cap`` zero-employment households, grid by grid in the order given, with
    their site, grid and head as they are now (one query per thousand). A household that has
    moved out of ``grid_ids`` since the snapshot is left out: it is not the reader's to see."""
    pairs = [pair for counts in ordered for pair in counts.zero_employment][:cap]
    head = Member.objects.filter(household=OuterRef("pk"), relationship=Member.Relationship.HEAD)
    rows = (
        Household.objects.filter(grid_id__in=grid_ids)
        .select_related("grid__site")
        .annotate(head=Subquery(head.values("name")[:1]))
    )
    households = {}
    for start in range(0, len(pairs), CHUNK):  # one query for the page's list (cap ≤ CHUNK)
        ids = [pk for pk, _labour in pairs[start : start + CHUNK]]
        households.update({h.pk: h for h in rows.filter(pk__in=ids)})
    return [
        ZeroEmploymentHousehold(
            number=h.number,
            site=h.grid.site.name,
            grid=h.grid.name,
            head=h.head or "",
            labour=labour,
        )  # fmt: skip
        for pk, labour in pairs
        if (h := households.get(pk)) is not None
    ]


def dashboard_from_snapshots(
    *, sites: QuerySet[Site], now: datetime.datetime | None = None, cap: int | None = None
) -> Dashboard:
    """The dashboard of the households of ``sites`` from each grid's latest snapshot (grids and
    sites no snapshot holds are counted now); ``generated_at`` is when the oldest figures read
    were counted."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if cap is None:
        cap = int(param("dashboard.zero_employment_listed", on=today))
    channels = code_list(Code.List.CHANNEL)
    grids = list(
        Grid.objects.filter(site__in=sites.values("pk")).order_by("site__code", "code", "pk")
    )
    since = _latest_build_day()
    recent = {"day__gte": since} if since else {}
    grid_rows = _latest_rows(
        GridDailyFigures.objects.filter(grid__site__in=sites.values("pk"), **recent), "grid_id"
    )
    site_rows = _latest_rows(
        SiteDailyFigures.objects.filter(site__in=sites.values("pk"), **recent), "site_id"
    )
    counted = {pk: _as_counts(row) for pk, row in grid_rows.items()}
    posts = {pk: SiteCounts(row["post_quota"], row["on_post"]) for pk, row in site_rows.items()}
    missing = [g.pk for g in grids if g.pk not in counted]
    if missing:
        counted.update(grid_counts(Grid.objects.filter(pk__in=missing), now, today, channels))
    missing_sites = [pk for pk in sites.values_list("pk", flat=True) if pk not in posts]
    if missing_sites:
        posts.update(site_counts(Site.objects.filter(pk__in=missing_sites)))
    stamps = [row["built_at"] for row in [*grid_rows.values(), *site_rows.values()]]
    as_of = now if missing or missing_sites or not stamps else min(stamps)
    return _dashboard(
        total=_total(counted[g.pk] for g in grids),
        posts=posts.values(),
        zero=_zero_rows([counted[g.pk] for g in grids], cap, [g.pk for g in grids]),
        channels=channels,
        as_of=as_of,
        cap=cap,
    )


def _dashboard(
    *,
    total: GridCounts,
    posts: Iterable[SiteCounts],
    zero: list[ZeroEmploymentHousehold],
    channels: list[Code],
    as_of: datetime.datetime,
    cap: int,
) -> Dashboard:
    posts = list(posts)
    categories = {f"category_{c}": total.by_category.get(str(c), 0) for c in LABOUR_CATEGORIES}
    categories[f"category_{UNASSESSED}"] = total.by_category.get(UNASSESSED, 0)
    by_channel = [Tally(c.code, c.label, total.by_channel.get(c.code, 0)) for c in channels]
    households_employed = Share(total.households_employed, total.households_with_labour)
    return Dashboard(
        generated_at=as_of,
        households=total.households,
        labour=total.labour,
        assessed=Share(total.assessed, total.labour),
        employed=Share(total.employed, total.labour),
        households_with_labour=total.households_with_labour,
        households_employed=households_employed,
        zero_employment=households_employed.whole - households_employed.part,
        zero_employment_rows=zero,
        by_category=category_tallies(categories),
        by_channel=by_channel,
        by_group=group_tallies(by_channel, channels),
        training=Share(total.training_passed, total.training_passed + total.training_failed),
        posts=Share(sum(p.on_post for p in posts), sum(p.post_quota for p in posts)),
        overdue_tasks=total.overdue_tasks,
        overdue_visits=total.overdue_visits,
        cap=cap,
    )


def zero_employment_from_snapshots(sites: QuerySet[Site]) -> list[ZeroEmploymentHousehold]:
    """Every zero-employment household of ``sites`` as the dashboard counts them (the Excel
    list: the same households as the page's count)."""
    return dashboard_from_snapshots(sites=sites, cap=sys.maxsize).zero_employment_rows


@dataclass(frozen=True)
class TrendPoint:
    month: str  # YYYY-MM
    day: datetime.date  # the month's last snapshot
    label: str | Promise
    employed: Share
    households_employed: Share


def monthly_trend(sites: QuerySet[Site], months: int = TREND_MONTHS) -> list[TrendPoint]:
    """The employment shares of ``sites`` at the last complete build of each of the last
    ``months`` months (two queries)."""
    start = timezone.localdate().replace(day=1)
    for _month in range(months - 1):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    days: dict[str, datetime.date] = {}
    built = FiguresBuild.objects.filter(finished_at__isnull=False, day__gte=start)
    for day in built.order_by("day").values_list("day", flat=True):
        days[day.strftime("%Y-%m")] = day
    if not days:
        return []
    sums = (
        GridDailyFigures.objects.filter(grid__site__in=sites.values("pk"), day__in=days.values())
        .values("day")
        .annotate(
            labour=Sum("labour"),
            employed=Sum("employed"),
            with_labour=Sum("households_with_labour"),
            households_employed=Sum("households_employed"),
        )
        .order_by("day")
    )
    return [
        TrendPoint(
            month=row["day"].strftime("%Y-%m"),
            day=row["day"],
            label=row["day"].strftime("%Y-%m"),
            employed=Share(row["employed"] or 0, row["labour"] or 0),
            households_employed=Share(row["households_employed"] or 0, row["with_labour"] or 0),
        )
        for row in sums
    ]
