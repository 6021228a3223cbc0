"""Acceptance B: the page, its PDF and the selector run a constant number of queries from 100 to
10,000 households."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.registry.models import Site
from casework.reports.dashboard.figures import dashboard_figures
from tests.reports.bulk import bulk_households
from tests.reports.dashboard.world import PDF_URL, URL

pytestmark = pytest.mark.django_db


# Acceptance B: a constant number of queries.


def _count(run) -> int:
    with CaptureQueriesContext(connection) as queries:
        run()
    return len(queries.captured_queries)


def _measure(client, world) -> dict[str, int]:
    sites = Site.objects.filter(pk=world.site_a.pk)
    page = {}

    def get():
        page["response"] = client.get(URL)

    counts = {
        "page": _count(get),
        "pdf": _count(lambda: client.post(PDF_URL)),
        "selector": _count(lambda: dashboard_figures(sites=sites)),
    }
    assert page["response"].status_code == 200
    return counts


@pytest.mark.bulk
def test_the_dashboard_runs_the_same_queries_for_100_and_10000_households(client, world):
    bulk_households(world.grid_b1, 50, actor=world.admin)  # another site's, never counted
    bulk_households(world.grid_a1, 98, actor=world.admin)
    client.force_login(world.manager)
    client.get(URL)  # warm the caches of content types and permissions
    small = _measure(client, world)
    assert client.get(URL).context["figures"].households == 100

    bulk_households(world.grid_a1, 4950, actor=world.admin)
    bulk_households(world.grid_a2, 4950, actor=world.admin)
    large = _measure(client, world)
    response = client.get(URL)
    figures = response.context["figures"]
    assert figures.households == 10_000
    assert len(figures.zero_employment_rows) == 200 and figures.zero_employment > 200
    assert b'data-test="unlisted"' in response.content
    assert large == small, (small, large)
