"""The dashboard's figures through the API: the page's figures for the caller's managed sites,
refused to whoever may not open the page, 404 for a site the caller does not manage."""

import pytest
from django.core.cache import caches
from django.test import Client

from casework.api.services import api_token_create
from casework.registry.models import Site
from casework.reports.dashboard.snapshots import dashboard_from_snapshots

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _throttle_counts_forgotten():
    caches["shared"].clear()


def _api(user) -> Client:
    _row, token = api_token_create(actor=user, name="看板", access="read")
    return Client(headers={"authorization": f"Bearer {token}"})


def test_a_manager_reads_the_dashboards_figures_and_no_household_is_named(world):
    api = _api(world.manager)
    response = api.get("/api/v1/dashboard/")
    assert response.status_code == 200, response.content
    body = response.json()
    expected = dashboard_from_snapshots(sites=Site.objects.filter(pk=world.site_a.pk))
    assert (body["households"], body["labour"]) == (expected.households, expected.labour)
    assert body["households"] == 2  # site A's two households, not site B's
    assert body["employed"] == {
        "part": expected.employed.part, "whole": expected.employed.whole,
        "percent": expected.employed.percent,
    }  # fmt: skip
    assert "zero_employment_rows" not in body and "甲户主" not in response.content.decode()
    assert api.get(f"/api/v1/dashboard/?site={world.site_a.pk}").status_code == 200
    outside = api.get(f"/api/v1/dashboard/?site={world.site_b.pk}")
    assert outside.status_code == 404 and outside.json()["errors"][0]["code"] == "not_found"


def test_whoever_may_not_open_the_dashboard_page_is_refused(world):
    assert _api(world.caseworker1).get("/api/v1/dashboard/").status_code == 403
