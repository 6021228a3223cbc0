"""Building the month-end figures of every unit (a service): counted once, read by every page.

``month_figures_build`` counts every grid's months (``month_figures_count``), adds
them up into every site, township and county, and writes one row per unit and month, over any
row that is not final. A month every site of a unit has closed is written as final and never
again: its records are locked, so its figures are too.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.audit.people import viewer_label
from casework.audit.services import audit_record
from casework.common.pdf import render_pdf
from casework.common.xlsx import write_rows
from casework.monitoring.models import WorkMonthClosure
from casework.monitoring.selectors import month_of
from casework.registry.models import Grid
from casework.reports.models import MonthFigures

from ..dashboard.charts import BarChart
from .counts import MonthCounts, total
from .page import Figure, MonthPage, month_page
from .people import figure_rows
from .quality import QUALITY_FIGURES, month_figures_count
from .selectors import children_of
from .svg import TrendSvg, breakdown_svg, children_svg, trend_svg
from .units import Unit, unit_grids, units_of


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
    # The closures first, then the records: a month closed while the records are counted is
    # not yet taken as final (it is written final by the next build, over the records as
    # they stood when closed), so no row is final with figures from before a last change.
    closed = set(WorkMonthClosure.objects.filter(month__in=months).values_list("site_id", "month"))
    done = {
        (row.unit, row.month): row
        for row in MonthFigures.objects.filter(month__in=months, final=True).only(
            "unit", "month", "counts"
        )
    }
    counted = month_figures_count(list(site_of), months)
    rows = []
    for key, grid_ids in units_of(grids).items():
        for month in months:
            figures = total(counted.get((pk, month), MonthCounts()) for pk in grid_ids)
            if stored := done.get((key, month)):
                # A final row stays as it was; one stored before the quality figures were
                # counted gets them added (they are counted from dated records only).
                if not QUALITY_FIGURES <= stored.counts.keys():
                    quality = {name: getattr(figures, name) for name in QUALITY_FIGURES}
                    stored.counts = {**stored.counts, **quality}
                    stored.built_at = now
                    rows.append(stored)
                continue
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


@dataclass(frozen=True)
class BulletinTier:
    """One page of the 通报: a unit's figures, with its charts drawn as SVG."""

    page: MonthPage
    trend: TrendSvg
    children: BarChart | None
    breakdowns: list[tuple[BarChart, list[Figure]]]


def _tier(unit: Unit, month: datetime.date) -> BulletinTier:
    page = month_page(unit, month)
    return BulletinTier(
        page=page,
        trend=trend_svg(page),
        children=children_svg(page) if page.children else None,
        breakdowns=[
            (breakdown_svg(_("By category"), page.by_category), page.by_category),
            (breakdown_svg(_("In work, by channel"), page.by_channel), page.by_channel),
            (breakdown_svg(_("In work, by work location"), page.by_location), page.by_location),
        ],
    )


def month_bulletin_pdf(*, actor: User, unit: Unit, month: datetime.date) -> bytes:
    """The 通报 of ``unit`` for ``month`` as PDF: a page for the unit, then one for each unit
    one tier down (a county's townships, a township's sites, a site's grids), each with its
    figures, its year's trend, its charts and the figures' definitions. Recorded first: it
    is handed round at meetings."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="dashboard.month_bulletin",
            obj=actor,
            household_id=None,
            changes={"unit": (None, unit.key), "month": (None, month.strftime("%Y-%m"))},
        )
    tiers = [_tier(unit, month)]
    tiers += [_tier(child, month) for child in children_of(unit)]
    context = {"tiers": tiers, "page": tiers[0].page, "viewer": viewer_label(actor)}
    return render_pdf("reports/month_figures_pdf.html", context)


def month_list_workbook(
    *, actor: User, unit: Unit, month: datetime.date, figure: str, code: str = ""
) -> IO[bytes]:
    """The list behind one figure of ``unit``'s ``month`` as Excel, recorded first (people
    are named): members with their household, the grid they were recorded in and the month's
    work; or households with their head, site and grid."""
    grid_ids = list(unit_grids(unit.key).values_list("pk", flat=True))
    rows = figure_rows(grid_ids, month, figure, code)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="dashboard.month_list_export",
            obj=actor,
            household_id=None,
            changes={
                "unit": (None, unit.key),
                "month": (None, month.strftime("%Y-%m")),
                "list": (None, rows.title),
                "rows": (None, rows.queryset.count()),
            },
        )
    if rows.households:
        headers = [_("Household number"), _("Head of household"), _("Grid that month")]
        lines: Iterable[list[object]] = (
            [h.number, h.head or "", f"{h.month_site} {h.month_grid}"]
            for h in rows.queryset.iterator(chunk_size=2000)
        )
    else:
        headers = [_("Name"), _("Household number"), _("Grid that month"), _("Worked that month"),
                   _("Work location"), _("Channel")]  # fmt: skip
        lines = (
            [
                r.member.name,
                r.household.number,
                f"{r.grid.site.name} {r.grid.name}",
                gettext("yes") if r.working else gettext("no"),
                r.get_location_class_display(),
                r.channel_label or r.channel,
            ]  # fmt: skip
            for r in rows.queryset.iterator(chunk_size=2000)
        )
    target, _count = write_rows(rows.title, [str(h) for h in headers], lines)
    return target
