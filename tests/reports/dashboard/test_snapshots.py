"""The dashboard's snapshots: the figures read from them equal the figures counted live, a build
replaces its day's rows, and the scheduler and a manager queue builds for a worker."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from casework.audit.models import AuditEvent
from casework.registry.models import Grid, Household, Site
from casework.registry.services import household_update
from casework.reports.dashboard.figures import dashboard_figures
from casework.reports.dashboard.services.build import figures_snapshot_build
from casework.reports.dashboard.services.requests import figures_build_request_if_due
from casework.reports.dashboard.snapshots import dashboard_from_snapshots, monthly_trend
from casework.reports.dashboard.tasks import figures_build_task
from casework.reports.models import FiguresBuild, GridDailyFigures, SiteDailyFigures
from tests import factories
from tests.reports.dashboard.world import actual_figures

pytestmark = pytest.mark.django_db


def _both(sites):
    live = actual_figures(dashboard_figures(sites=sites))
    stored = actual_figures(dashboard_from_snapshots(sites=sites))
    return live, stored


@pytest.mark.parametrize("scope", ["A", "B", "all"])
def test_the_snapshot_figures_equal_the_live_figures(world, varied, scope):
    sites = Site.objects.all() if scope == "all" else Site.objects.filter(code=scope)
    figures_snapshot_build()
    assert GridDailyFigures.objects.count() == 3 and SiteDailyFigures.objects.count() == 2
    live, stored = _both(sites)
    assert stored == live
    assert live["households"] == {"A": 8, "B": 1, "all": 9}[scope]


def test_without_any_snapshot_the_page_counts_now_and_equals_the_live_figures(world, varied):
    sites = Site.objects.filter(code="A")
    live, stored = _both(sites)
    assert stored == live and not GridDailyFigures.objects.exists()


def test_a_grid_created_after_the_build_is_counted_now(world, varied):
    figures_snapshot_build()
    grid = Grid.objects.create(site=world.site_a, code="G9", name="新网格")
    factories.household(world.admin, grid, head=factories.member_data(name="新户主"))
    live, stored = _both(Site.objects.filter(code="A"))
    assert stored == live and stored["households"] == 9


def test_the_snapshot_keeps_the_day_it_was_built_until_the_next_build(world, varied):
    figures_snapshot_build()
    factories.household(world.admin, world.grid_a1, head=factories.member_data(name="后来户"))
    sites = Site.objects.filter(code="A")
    assert dashboard_from_snapshots(sites=sites).households == 8
    figures_snapshot_build()
    assert dashboard_from_snapshots(sites=sites).households == 9


def test_a_build_replaces_its_day_and_is_recorded_once_each_time(world, varied):
    first = figures_snapshot_build()
    rows = list(GridDailyFigures.objects.order_by("grid").values())
    second = figures_snapshot_build()
    again = list(GridDailyFigures.objects.order_by("grid").values())
    assert first == second == 3
    strip = [{k: v for k, v in r.items() if k not in ("id", "built_at")} for r in rows]
    assert strip == [{k: v for k, v in r.items() if k not in ("id", "built_at")} for r in again]
    assert FiguresBuild.objects.get().grids == 3
    events = AuditEvent.objects.filter(action="dashboard.figures_build")
    assert events.count() == 2 and events.first().changes["grids"] == [None, 3]


def test_the_task_builds_a_day_and_running_it_twice_changes_nothing(world, varied):
    day = timezone.localdate().isoformat()
    assert figures_build_task.call(day) == 3
    figures_build_task.call(day)
    assert GridDailyFigures.objects.count() == 3
    assert figures_build_task.call(day, [world.grid_a1.pk]) == 1
    assert GridDailyFigures.objects.count() == 3


def test_the_scheduler_queues_one_build_a_day(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert figures_build_request_if_due() is True
        assert figures_build_request_if_due() is False
    (queued,) = DBTaskResult.objects.all()
    assert queued.task_path.endswith("figures_build_task")
    assert FiguresBuild.objects.get().finished_at is None


def test_the_monthly_trend_reads_the_last_build_of_each_month(world, varied):
    today = timezone.localdate()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    figures_snapshot_build(day=last_month - datetime.timedelta(days=3))
    figures_snapshot_build(day=last_month)
    figures_snapshot_build(day=today)
    trend = monthly_trend(Site.objects.filter(code="A"))
    assert [p.day for p in trend] == [last_month, today]
    assert trend[-1].employed == dashboard_figures(sites=Site.objects.filter(code="A")).employed


def test_a_household_moved_to_another_site_after_the_build_is_not_listed_by_its_old_site(
    world, varied
):
    figures_snapshot_build()
    sites = Site.objects.filter(code="A")
    listed = dashboard_from_snapshots(sites=sites, cap=1000).zero_employment_rows
    assert listed, "the varied world has zero-employment households in site A"
    moving = Household.objects.get(number=listed[0].number)
    household_update(actor=world.admin, household=moving, grid=world.grid_b1)
    after = dashboard_from_snapshots(sites=sites, cap=1000).zero_employment_rows
    assert moving.number not in {row.number for row in after}
    assert len(after) == len(listed) - 1


def test_two_builds_of_one_day_write_over_each_other(world, varied):
    figures_snapshot_build()
    figures_snapshot_build()
    assert GridDailyFigures.objects.count() == 3 and SiteDailyFigures.objects.count() == 2
