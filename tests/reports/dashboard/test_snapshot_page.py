"""The dashboard page on snapshots: as many queries for ten sites as for two, the time its
figures were counted, and a manager's refresh queued for a worker."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from casework.audit.models import AuditEvent
from casework.registry.models import Site
from casework.reports.dashboard.services.build import figures_snapshot_build
from casework.reports.dashboard.snapshots import dashboard_from_snapshots
from casework.reports.models import GridDailyFigures
from tests import factories
from tests.reports.bulk import bulk_households
from tests.reports.dashboard.world import URL

pytestmark = pytest.mark.django_db
REFRESH_URL = "/dashboard/refresh/"
# The grids, the last build, the grids' rows, the sites, the sites' rows, the channels, the
# listed households with their heads, and the cap parameter.
SNAPSHOT_QUERIES = 8


def _sites(world, first: int, count: int) -> None:
    for index in range(first, first + count):
        _site, grids = factories.site_with_grids(world.admin, f"S{index}", 3)
        for grid in grids:
            bulk_households(grid, 4, actor=world.admin)


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.bulk
def test_the_page_runs_the_same_queries_for_two_sites_and_for_ten(
    client, world, django_assert_num_queries
):
    _sites(world, 1, 2)
    figures_snapshot_build()
    client.force_login(world.admin)
    client.get(URL)  # warm the caches of content types and permissions
    small = _page_queries(client)
    with django_assert_num_queries(SNAPSHOT_QUERIES):
        few = dashboard_from_snapshots(sites=Site.objects.all())

    _sites(world, 3, 8)
    figures_snapshot_build()
    large = _page_queries(client)
    with django_assert_num_queries(SNAPSHOT_QUERIES):
        many = dashboard_from_snapshots(sites=Site.objects.all())
    assert (few.households, many.households) == (3 + 24, 3 + 120)
    assert large == small, (small, large)


@pytest.mark.bulk
def test_counting_grids_without_a_snapshot_takes_as_many_queries_for_ten_sites(client, world):
    _sites(world, 1, 2)
    client.force_login(world.admin)
    client.get(URL)
    small = _page_queries(client)
    _sites(world, 3, 8)
    assert _page_queries(client) == small


def test_the_page_says_when_its_figures_were_counted(client, world):
    figures_snapshot_build()
    client.force_login(world.manager)
    response = client.get(URL)
    built = GridDailyFigures.objects.values_list("built_at", flat=True).first()
    assert response.context["figures"].generated_at == built
    stamp = timezone.localtime(built).strftime("%Y-%m-%d %H:%M")
    assert f"数据截至 {stamp}" in response.content.decode()
    assert b'data-test="refresh"' in response.content


def test_a_manager_refresh_queues_a_count_of_their_grids_only(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REFRESH_URL)
    assert response.status_code == 302 and response["Location"] == URL
    (queued,) = DBTaskResult.objects.all()
    assert queued.args_kwargs["args"][1] == sorted([world.grid_a1.pk, world.grid_a2.pk])
    (event,) = AuditEvent.objects.filter(action="dashboard.figures_refresh")
    assert event.actor == world.manager


@pytest.mark.parametrize("persona", ["caseworker1", "helper", "outsider"])
def test_only_holders_of_the_dashboard_right_may_refresh(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.post(REFRESH_URL).status_code == 403
    assert not DBTaskResult.objects.exists()


def test_a_manager_may_not_refresh_a_site_of_others(client, world):
    client.force_login(world.manager)
    assert client.post(REFRESH_URL, {"site": world.site_b.pk}).status_code == 404
    assert client.get(REFRESH_URL).status_code == 405


def test_a_second_refresh_within_minutes_is_refused_with_a_word_why(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REFRESH_URL)
        response = client.post(REFRESH_URL, follow=True)
    assert DBTaskResult.objects.count() == 1
    assert AuditEvent.objects.filter(action="dashboard.figures_refresh").count() == 1
    assert "请求重新统计" in response.content.decode()
