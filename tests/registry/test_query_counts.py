"""The registry list runs the same number of queries for 10 and for 100 households."""

import re

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


def _filter_choices(client, name: str) -> set[int]:
    response = client.get(reverse("registry:household:index"))
    assert response.status_code == 200
    return {obj.pk for obj in response.context["view"].filterset.filters[name].queryset}


def test_the_lists_site_and_grid_choices_are_each_users_own(client, world):
    """Read from the request's jurisdiction: a caseworker's grid, a manager's site and its
    grids, a pairing helper's household's grid and site, every one for a superuser."""
    from casework.registry.models import Grid, Site

    expected = {
        world.caseworker1: ({world.site_a.pk}, {world.grid_a1.pk}),
        world.manager: ({world.site_a.pk}, {world.grid_a1.pk, world.grid_a2.pk}),
        world.helper: ({world.site_a.pk}, {world.grid_a1.pk}),
        world.admin: (
            set(Site.objects.values_list("pk", flat=True)),
            set(Grid.objects.values_list("pk", flat=True)),
        ),
    }
    for user, (sites, grids) in expected.items():
        login(client, user)
        assert (_filter_choices(client, "site"), _filter_choices(client, "grid")) == (
            sites,
            grids,
        ), user


def test_the_list_never_matches_guardians_object_keys_against_every_grid(
    client, world, monkeypatch
):
    """The filter choices come from the ids the request already read (``jurisdiction_of``),
    not from guardian's ``get_objects_for_user``, whose text keys are cast and compared with
    every grid and site of the city (``grid.id::varchar IN …``)."""
    from casework.permissions import grants

    def refused(*args, **kwargs):
        raise AssertionError("guardian's object keys read on the household list")

    for user in (world.caseworker1, world.manager, world.helper):
        login(client, user)
        monkeypatch.setattr(grants, "get_objects_for_user", refused)
        assert client.get(reverse("registry:household:index")).status_code == 200
        monkeypatch.undo()


def test_the_choices_do_not_read_the_households_of_the_users_own_grids(client, world):
    """A site or grid is offered for the grids the user works, or for a household they visit:
    the second is asked of the visited households' ids alone, not of every household of the
    worked grids again (a county's 27,000 at a city's size, for grids the first already has)."""
    for user in (world.caseworker1, world.manager, world.helper):
        login(client, user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("registry:household:index")).status_code == 200
        # PostgreSQL reads a form's choices through a server-side cursor (DECLARE … FOR SELECT).
        sql = [re.sub(r"^DECLARE .*? FOR ", "", q["sql"]) for q in queries.captured_queries]
        choices = [
            s for s in sql if s.startswith(('SELECT "registry_site"', 'SELECT "registry_grid"'))
        ]
        assert len(choices) >= 2, (user, choices)  # the sites, the grids (and the jurisdiction)
        household_reads = [
            sql.split('"registry_household"', 1)[1]
            for sql in choices
            if '"registry_household"' in sql
        ]
        # At most the visited households, by their ids; never the worked grids' households.
        assert not any('"grid_id" IN' in read.split("WHERE", 1)[-1] for read in household_reads), (
            user,
            household_reads,
        )
