"""The pairing forms take a household by its number (户编号), resolved within the actor's
scope, instead of listing every household: a city holds hundreds of thousands."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.pairing import services
from casework.pairing.models import Pairing
from tests import factories

pytestmark = pytest.mark.django_db

OUT_OF_REACH = "没有这个户编号，或该户不在您的管理范围内。"


def test_the_pairings_page_lists_no_households_however_many_there_are(
    client, world, django_assert_num_queries
):
    client.force_login(world.admin)
    url = reverse("manage:pairings:index")
    client.get(url)  # warm the caches
    with CaptureQueriesContext(connection) as small:
        before = client.get(url).content.decode()
    for n in range(12):
        factories.household(world.admin, world.grid_a1, number=f"A1-M{n:03d}")
    with django_assert_num_queries(len(small.captured_queries)):
        after = client.get(url).content.decode()
    assert "A1-M000" not in after and "B1-0001" not in after
    assert after.count("<option") == before.count("<option")
    assert 'name="household"' in after and 'name="helper_household"' in after


def test_pairing_by_number_within_scope(client, world):
    household = factories.household(world.admin, world.grid_a1, number="A1-0100")
    client.force_login(world.manager)
    response = client.post(
        reverse("manage:pairings:index"),
        {"household": " A1-0100 ", "kind": "party", "helper": world.helper.pk},
    )
    assert response.status_code == 302
    assert Pairing.objects.filter(household=household, helper=world.helper).exists()


@pytest.mark.parametrize("number", ["A9-9999", "B1-0001"], ids=["unknown", "other-site"])
def test_an_unknown_or_out_of_scope_number_is_refused_in_chinese(client, world, number):
    client.force_login(world.manager)  # manages site A only
    response = client.post(
        reverse("manage:pairings:index"),
        {"household": number, "kind": "party", "helper": world.helper.pk},
    )
    assert response.status_code == 200
    assert OUT_OF_REACH in response.content.decode()
    assert not Pairing.objects.filter(household__number=number).exists()


def test_a_link_with_the_household_number_fills_it_in(client, world):
    client.force_login(world.manager)
    page = client.get(reverse("manage:pairings:index") + "?household=A2-0001").content.decode()
    assert 'value="A2-0001"' in page


def test_the_household_page_pairs_a_helper_household_of_the_same_site_by_number(client, world):
    leader = factories.household(world.admin, world.grid_a2, number="A2-LEAD")
    client.force_login(world.manager)
    url = reverse("pairing:pairing:household", args=[world.h_a2.pk])
    page = client.get(url).content.decode()
    assert 'name="household"' not in page and "A2-LEAD" not in page
    refused = client.post(url, {"kind": "capable_household", "helper_household": "B1-0001"})
    assert OUT_OF_REACH in refused.content.decode()
    itself = client.post(url, {"kind": "capable_household", "helper_household": "A2-0001"})
    assert OUT_OF_REACH in itself.content.decode()
    response = client.post(url, {"kind": "capable_household", "helper_household": "A2-LEAD"})
    assert response.status_code == 302
    assert Pairing.objects.get(household=world.h_a2, end_date__isnull=True).helper_household == (
        leader
    )


def test_handing_over_to_a_helper_household_by_number(client, world):
    first = factories.household(world.admin, world.grid_a1, number="A1-LEAD")
    second = factories.household(world.admin, world.grid_a2, number="A2-LEAD")
    pairing = services.pairing_create(
        actor=world.manager, household=world.h_a2, kind="capable_household",
        helper_household=second,
    )  # fmt: skip
    client.force_login(world.manager)
    page = client.get(reverse("manage:pairings:helper_household", args=[second.pk]))
    assert page.status_code == 200 and "<option" not in page.content.decode()
    url = reverse("manage:pairings:handover", args=[pairing.pk])
    client.post(url, {"helper_household": "B1-0001"})
    pairing.refresh_from_db()
    assert pairing.end_date is None
    assert client.post(url, {"helper_household": "A1-LEAD"}).status_code == 302
    pairing.refresh_from_db()
    assert pairing.handed_over_to.helper_household == first
