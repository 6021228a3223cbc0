"""Building the dashboard's snapshot: every grid's (and site's) figures of a day, written at once.

``figures_snapshot_build`` counts every grid in a few set-based queries (``grid_counts``) and
replaces that day's rows of those grids in one transaction with one audit event, so running it
again for the same day replaces rather than adds.
"""

import datetime
from dataclasses import asdict
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from casework.audit.services import audit_record
from casework.policy.models import Code
from casework.policy.selectors import code_list
from casework.registry.models import Grid, Site
from casework.reports.models import FiguresBuild, GridDailyFigures, SiteDailyFigures
from casework.reports.monthly.dates import months_to_build
from casework.reports.monthly.services import month_figures_build

from ..grid_counts import grid_counts, site_counts


def _upsert(model: type[Model], key: str) -> dict[str, Any]:
    """``bulk_create`` arguments that write over the day's row of the same grid or site (not a
    delete and an insert): two builds of one day running at once both succeed, the later
    one's figures kept."""
    fields = [
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in (key, "day")
    ]
    return {
        "batch_size": 500,
        "update_conflicts": True,
        "unique_fields": [key, "day"],
        "update_fields": fields,
    }


def figures_snapshot_build(
    *,
    day: datetime.date | None = None,
    grids: QuerySet[Grid] | None = None,
    actor: User | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """Count the figures of ``grids`` (all by default) as they stand at ``now`` and store them
    as the snapshot of ``day`` (today by default), replacing any rows of that day for those
    grids and their sites. A build of every grid marks the day built (the trends' points).
    Returns the number of grids written."""
    now = now or timezone.now()
    day = day or timezone.localdate(now)
    whole = grids is None
    grids = Grid.objects.all() if grids is None else grids
    sites = Site.objects.filter(pk__in=grids.values("site_id"))
    counts = grid_counts(grids, now, day, code_list(Code.List.CHANNEL))
    posts = site_counts(sites)
    grid_rows = [
        GridDailyFigures(grid_id=pk, day=day, built_at=now, **asdict(c)) for pk, c in counts.items()
    ]
    site_rows = [
        SiteDailyFigures(site_id=pk, day=day, built_at=now, **asdict(c)) for pk, c in posts.items()
    ]
    with transaction.atomic():
        # Written over any row of the day (an upsert, not a delete and an insert), so that two
        # builds of one day running at once both succeed, the later one's figures kept.
        GridDailyFigures.objects.bulk_create(grid_rows, **_upsert(GridDailyFigures, "grid"))
        SiteDailyFigures.objects.bulk_create(site_rows, **_upsert(SiteDailyFigures, "site"))
        if whole:
            FiguresBuild.objects.update_or_create(
                day=day,
                defaults={"finished_at": now, "grids": len(grid_rows)},
                create_defaults={"requested_at": now, "finished_at": now, "grids": len(grid_rows)},
            )
        audit_record(
            actor=actor,
            action="dashboard.figures_build",
            obj=None,
            household_id=None,
            changes={
                "day": (None, day.isoformat()),
                "grids": (None, len(grid_rows)),
                "sites": (None, len(site_rows)),
            },
        )
    return len(grid_rows)


def figures_build_run(day: str, grid_ids: list[int] | None = None) -> int:
    """The worker's part: build the figures of ``day`` (ISO) for every grid, or for the grids
    ``grid_ids`` (a manager's refresh). The nightly build of every grid also counts the
    month-end figures of this month and the twelve before it (the rows not yet final)."""
    grids = None if grid_ids is None else Grid.objects.filter(pk__in=grid_ids)
    built = figures_snapshot_build(day=datetime.date.fromisoformat(day), grids=grids)
    if grid_ids is None:
        month_figures_build(months=months_to_build(datetime.date.fromisoformat(day)))
    return built
