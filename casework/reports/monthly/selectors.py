"""Reading a unit's month-end figures: from the stored rows, counted now where none is stored.

A page reads a unit's twelve months in one query and its children's month in one more; a
unit-month no build has stored yet (a fresh install, a unit made today) is counted now from its
grids' records, with the same definitions, so the figures are right before the first build.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q

from casework.registry.models import Grid
from casework.reports.models import MonthFigures

from .counts import MonthCounts, total
from .quality import month_figures_count
from .units import CHILD, COUNTY, SITE, Unit, unit_grids, units_and_names, units_of


@dataclass(frozen=True)
class Month:
    """A unit's figures for one month; ``built_at`` is None when counted just now."""

    month: datetime.date
    counts: MonthCounts
    built_at: datetime.datetime | None
    final: bool


def _live(keys: set[str], months: list[datetime.date]) -> dict[tuple[str, datetime.date], Month]:
    """Count the figures of ``keys`` for ``months`` now (``month_figures_count``: seven queries,
    and five a month for the quality figures)."""
    where = reduce(or_, (Q(pk__in=unit_grids(key).values("pk")) for key in keys))
    grids = Grid.objects.filter(where).select_related("site__county")
    grids_of = {key: ids for key, ids in units_of(grids).items() if key in keys}
    grids_of.update({key: [] for key in keys - grids_of.keys()})
    counted = month_figures_count({pk for ids in grids_of.values() for pk in ids}, months)
    return {
        (key, month): Month(
            month,
            total(counted.get((pk, month), MonthCounts()) for pk in grid_ids),
            built_at=None,
            final=False,
        )
        for key, grid_ids in grids_of.items()
        for month in months
    }


def unit_months(
    keys: Iterable[str], months: Iterable[datetime.date]
) -> dict[tuple[str, datetime.date], Month]:
    """The figures of each unit of ``keys`` for each of ``months``, by (key, month)."""
    keys, months = list(keys), list(months)
    stored = {
        (row.unit, row.month): Month(
            row.month, MonthCounts.from_json(row.counts), row.built_at, row.final
        )
        for row in MonthFigures.objects.filter(unit__in=keys, month__in=months)
    }
    missing_keys = {key for key in keys for m in months if (key, m) not in stored}
    missing_months = sorted({m for key in keys for m in months if (key, m) not in stored})
    if missing_keys:
        live = _live(missing_keys, missing_months)
        stored.update({k: v for k, v in live.items() if k not in stored})
    return stored


def children_of(unit: Unit) -> list[Unit]:
    """The units one tier below ``unit`` (a county's townships and its sites outside any
    township; a township's sites; a site's grids), by name. Two queries."""
    if unit.kind not in CHILD:
        return []
    grids = list(unit_grids(unit.key).select_related("site__county"))
    child_kind = CHILD[unit.kind]
    found, named = units_and_names(grids)
    keys = {key for key in found if key.startswith(f"{child_kind}:")}
    if unit.kind == COUNTY:
        in_township = {g.site_id for g in grids if g.site.township}
        keys |= {f"{SITE}:{g.site_id}" for g in grids if g.site_id not in in_township}
    return sorted((named[key] for key in keys), key=lambda u: u.label)
