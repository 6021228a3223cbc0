"""The registry list runs the same number of queries for 10 and for 100 households."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.conftest import login


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("registry:household:index"), {"page": 1})
    assert response.status_code == 200
    return len(queries)


def _fill_grid_to(world, count: int) -> None:
    existing = world.grid_a1.households.count()
    for _ in range(count - existing):
        factories.household(world.admin, world.grid_a1, members=1)


def test_registry_list_queries_do_not_grow_with_households(client, world):
    login(client, world.caseworker1)
    _fill_grid_to(world, 10)
    _list_queries(client)  # warm process-wide caches (content types) so both counts compare alike
    at_10 = _list_queries(client)
    _fill_grid_to(world, 100)
    at_100 = _list_queries(client)
    assert at_10 == at_100, (at_10, at_100)
    assert at_100 <= 12  # the page's budget: session, user, permissions, count, rows, filters


def test_registry_list_query_budget(client, world, django_assert_max_num_queries):
    login(client, world.manager)
    _fill_grid_to(world, 30)
    with django_assert_max_num_queries(20):
        client.get(reverse("registry:household:index"))
