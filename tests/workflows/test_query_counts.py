"""Inbox and queue cost the same number of queries for 10 and 200 open tasks (acceptance 6)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework.registry.services import jurisdiction_grant_grid
from tests import factories
from workflows.flows import HouseholdFlow
from workflows.middleware import ObjectPermissionCacheMiddleware

pytestmark = pytest.mark.django_db


def _households(world, grids, count, start):
    for n in range(start, start + count):
        factories.household(world.admin, grids[n % len(grids)], number=f"Q-{n:04d}")


def _count(client, url):
    client.get(url)  # warm per-process caches (content types, URL resolvers)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("page", ["/workflow/queue/", "/workflow/inbox/"])
def test_task_lists_run_constant_queries(client, world, page):
    extra = [factories.site_with_grids(world.admin, f"Q{n}", 2)[1] for n in range(2)]
    grids = [world.grid_a1, *extra[0], *extra[1]]
    worker = world.caseworker1
    for grid in grids[1:]:
        jurisdiction_grant_grid(actor=world.admin, user=worker, grid=grid)
    client.force_login(worker)

    def open_tasks():
        tasks = Task.objects.filter(flow_task=HouseholdFlow.assess, status=STATUS.NEW)
        if page.endswith("inbox/"):
            tasks.update(owner=worker, status=STATUS.ASSIGNED)

    _households(world, grids, 9, 0)  # with A1-0001: 10 open assessments in the user's grids
    open_tasks()
    small, text = _count(client, page)
    assert text.count("Q-0") == 9
    _households(world, grids, 190, 9)
    open_tasks()
    large, text = _count(client, page)
    assert text.count("Q-0") + text.count("Q-01") >= 24  # a full first page
    assert small == large, (small, large)
    assert large <= 25


def test_object_permission_cache_attribute_is_what_viewflow_reads():
    import inspect

    from viewflow.workflow import managers

    source = inspect.getsource(managers.TaskQuerySet.user_queue)
    assert ObjectPermissionCacheMiddleware.CACHE_ATTRIBUTE in source
