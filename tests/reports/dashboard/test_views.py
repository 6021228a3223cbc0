"""The dashboard page: who gets in, which sites they see, and no caching."""

import pytest
from guardian.shortcuts import assign_perm

from casework import permissions
from casework.audit.models import AuditEvent
from casework.registry import services as registry
from tests import factories
from tests.reports.dashboard.world import PDF_URL, URL, XLSX_URL

pytestmark = pytest.mark.django_db


# Permissions and the site filter.


@pytest.mark.parametrize("persona", ["caseworker1", "helper", "trainer", "outsider"])
def test_only_holders_of_the_dashboard_right_get_in(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(URL).status_code == 403
    assert client.post(PDF_URL).status_code == 403
    assert client.get(XLSX_URL).status_code == 403
    assert not AuditEvent.objects.filter(action__startswith="dashboard.").exists()


def test_a_manager_of_several_sites_may_pick_one_but_not_a_site_of_others(client, world):
    client.force_login(world.manager)
    page = client.get(URL)
    assert (
        page.context["figures"].households == 2 and b'data-test="site-filter"' not in page.content
    )
    site_c, (grid_c,) = factories.site_with_grids(world.admin, "C", 1)
    factories.household(world.admin, grid_c, head=factories.member_data(name="癸户主"))
    registry.jurisdiction_grant_site(actor=world.admin, user=world.manager, site=site_c)
    page = client.get(URL)
    assert page.context["figures"].households == 3 and b'data-test="site-filter"' in page.content
    assert client.get(URL, {"site": site_c.pk}).context["figures"].households == 1
    assert client.get(URL, {"site": world.site_b.pk}).status_code == 404
    assert client.get(URL, {"site": "x"}).status_code == 404
    assert client.post(PDF_URL, {"site": world.site_b.pk}).status_code == 404


def test_visiting_a_household_of_another_site_does_not_bring_its_site_in(client, world):
    assign_perm(permissions.VISIT_HOUSEHOLD, world.manager, world.h_b1)
    client.force_login(world.manager)
    assert client.get(URL).context["scope"] == [world.site_a]


def test_the_page_is_not_cached_and_links_to_the_full_list(client, world):
    client.force_login(world.manager)
    response = client.get(URL)
    assert response["Cache-Control"] == "no-store"
    assert b'data-test="zero-employment-xlsx"' in response.content
    assert "乙户主" in response.content.decode()
