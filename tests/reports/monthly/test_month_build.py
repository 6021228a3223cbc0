"""The stored month-end figures (issue 23): every unit's row is the sum of its grids' counts; a
month every site has closed is stored as final and stays as it was, whatever is written or
rebuilt later; a page reads a unit's year in one query; each tier is read up from its grids."""

import datetime

import pytest
from django.utils import timezone

from casework.monitoring.models import MonthlyWorkRecord, WorkMonthClosure
from casework.registry.models import Region, Site
from casework.reports.models import MonthFigures
from casework.reports.monthly.counts import total
from casework.reports.monthly.dates import months_ending
from casework.reports.monthly.quality import QUALITY_FIGURES, month_figures_count
from casework.reports.monthly.selectors import children_of, unit_months
from casework.reports.monthly.services import month_figures_build
from casework.reports.monthly.units import unit_named, units_within

from .world import AFTER, BEFORE, MONTH

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(months):
    """Sites A (城关镇) and B (石桥镇) in one county."""
    region = Region.objects.create(code="621226000000", name="礼县", level=Region.Level.COUNTY)
    Site.objects.filter(pk=months.site_a.pk).update(county=region, township="城关镇")
    Site.objects.filter(pk=months.site_b.pk).update(county=region, township="石桥镇")
    months.county = region
    return months


def test_every_unit_is_the_sum_of_its_grids(county):
    month_figures_build(months=[BEFORE, MONTH, AFTER])
    a1, a2, b1 = county.grid_a1.pk, county.grid_a2.pk, county.grid_b1.pk
    counted = month_figures_count([a1, a2, b1], [MONTH])
    expected = {
        f"grid:{a1}": [a1],
        f"site:{county.site_a.pk}": [a1, a2],
        f"township:{county.county.pk}:城关镇": [a1, a2],
        f"township:{county.county.pk}:石桥镇": [b1],
        f"county:{county.county.pk}": [a1, a2, b1],
    }
    read = unit_months(expected, [MONTH])
    for key, grid_ids in expected.items():
        assert read[(key, MONTH)].counts == total(counted.get((g, MONTH)) for g in grid_ids), key
        assert read[(key, MONTH)].built_at is not None  # read from the stored row
    assert read[(f"county:{county.county.pk}", MONTH)].counts.recorded > 0


def test_a_closed_month_is_final_and_stays_as_it_was(county):
    for site in (county.site_a, county.site_b):
        WorkMonthClosure.objects.create(
            site=site, month=MONTH, closed_by=county.admin, closed_at=timezone.now()
        )
    month_figures_build(months=[MONTH, AFTER])
    key = f"county:{county.county.pk}"
    stored = unit_months([key], [MONTH, AFTER])
    assert stored[(key, MONTH)].final and not stored[(key, AFTER)].final
    # Written behind the lock's back (an import gone wrong, a hand edit in the database):
    for month in (MONTH, AFTER):
        MonthlyWorkRecord.objects.filter(month=month, working=False).update(
            working=True, not_working_reason="", monthly_income=1000, days_worked=20
        )
    month_figures_build(months=[MONTH, AFTER])
    again = unit_months([key], [MONTH, AFTER])
    assert again[(key, MONTH)] == stored[(key, MONTH)]
    assert again[(key, AFTER)].counts.working > stored[(key, AFTER)].counts.working


def test_a_final_row_stored_before_the_quality_figures_gets_them_and_keeps_the_rest(county):
    WorkMonthClosure.objects.create(
        site=county.site_a, month=MONTH, closed_by=county.admin, closed_at=timezone.now()
    )
    month_figures_build(months=[MONTH])
    key = f"site:{county.site_a.pk}"
    row = MonthFigures.objects.get(unit=key, month=MONTH, final=True)
    old = {name: value for name, value in row.counts.items() if name not in QUALITY_FIGURES}
    old["working"] += 1  # as stored then (a final figure is never counted again)
    MonthFigures.objects.filter(pk=row.pk).update(counts=old)
    month_figures_build(months=[MONTH])
    again = MonthFigures.objects.get(pk=row.pk)
    assert again.final and again.counts["working"] == old["working"]
    grids = [county.grid_a1.pk, county.grid_a2.pk]
    counted = total(month_figures_count(grids, [MONTH]).get((g, MONTH)) for g in grids)
    assert QUALITY_FIGURES <= again.counts.keys()
    assert {n: again.counts[n] for n in QUALITY_FIGURES} == {
        n: getattr(counted, n) for n in QUALITY_FIGURES
    }


def test_a_month_no_build_has_stored_is_counted_now(county):
    key = f"site:{county.site_a.pk}"
    read = unit_months([key], [MONTH])[(key, MONTH)]
    assert read.built_at is None
    counted = month_figures_count([county.grid_a1.pk, county.grid_a2.pk], [MONTH])
    assert read.counts == total(counted.values())
    assert not MonthFigures.objects.exists()


def test_a_units_year_is_one_query_once_built(county, django_assert_num_queries):
    year = months_ending(AFTER)
    month_figures_build(months=year)
    key = f"county:{county.county.pk}"
    with django_assert_num_queries(1):
        assert len(unit_months([key], year)) == 12


def test_each_reader_has_the_units_wholly_theirs(county):
    from casework import permissions

    def keys(user):
        return [u.key for u in units_within(permissions.grids_worked_by(user))]

    a = county.site_a.pk
    assert keys(county.caseworker1) == [f"grid:{county.grid_a1.pk}"]
    # The manager of A has site A and 城关镇 (A is its only site), not the county (B is not his).
    assert set(keys(county.manager)) == {
        f"township:{county.county.pk}:城关镇", f"site:{a}",
        f"grid:{county.grid_a1.pk}", f"grid:{county.grid_a2.pk}",
    }  # fmt: skip
    assert keys(county.admin)[0] == f"county:{county.county.pk}"


def test_children_one_tier_down(county):
    county_unit = unit_named(f"county:{county.county.pk}")
    assert [u.label for u in children_of(county_unit)] == ["礼县 城关镇", "礼县 石桥镇"]
    site = unit_named(f"site:{county.site_a.pk}")
    assert [u.kind for u in children_of(site)] == ["grid", "grid"]
    assert children_of(unit_named(f"grid:{county.grid_a1.pk}")) == []


def test_months_ending():
    assert months_ending(datetime.date(2026, 2, 1), 3) == [
        datetime.date(2025, 12, 1), datetime.date(2026, 1, 1), datetime.date(2026, 2, 1),
    ]  # fmt: skip
