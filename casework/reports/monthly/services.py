"""Building the month-end figures of every unit (a service): counted once, read by every page.

``month_figures_build`` counts every grid's months in the six queries of ``month_counts``, adds
them up into every site, township and county, and writes one row per unit and month, over any
row that is not final. A month every site of a unit has closed is written as final and never
again: its records are locked, so its figures are too.
"""

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from casework.audit.services import audit_record
from casework.monitoring.models import WorkMonthClosure
from casework.monitoring.selectors import month_of
from casework.registry.models import Grid
from casework.reports.models import MonthFigures

from .counts import MonthCounts, month_counts, total
from .units import units_of


def month_figures_build(
    *,
    months: Iterable[datetime.date],
    actor: User | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """Count and store the figures of every unit for ``months`` (first days); rows already
    final are left as they are. Returns the number of rows written."""
    now = now or timezone.now()
    months = sorted(set(months))
    this_month = month_of(timezone.localdate(now))
    grids = list(Grid.objects.select_related("site__county"))
    site_of = {grid.pk: grid.site_id for grid in grids}
    counted = month_counts(list(site_of), months)
    closed = set(WorkMonthClosure.objects.filter(month__in=months).values_list("site_id", "month"))
    done = set(
        MonthFigures.objects.filter(month__in=months, final=True).values_list("unit", "month")
    )
    rows = []
    for key, grid_ids in units_of(grids).items():
        for month in months:
            if (key, month) in done:
                continue
            figures = total(counted.get((pk, month), MonthCounts()) for pk in grid_ids)
            final = month < this_month and all((site_of[pk], month) in closed for pk in grid_ids)
            rows.append(
                MonthFigures(
                    unit=key, month=month, counts=figures.as_json(), built_at=now, final=final
                )
            )
    with transaction.atomic():
        MonthFigures.objects.bulk_create(
            rows,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["unit", "month"],
            update_fields=["counts", "built_at", "final"],
        )
        audit_record(
            actor=actor,
            action="dashboard.month_figures_build",
            obj=None,
            household_id=None,
            changes={
                "months": (None, [m.strftime("%Y-%m") for m in months]),
                "rows": (None, len(rows)),
            },
        )
    return len(rows)
