"""Pairings administration (manage/pairings/): types as data with their caps, helper
households, handing over one or all households, one audit event each."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casework import permissions
from casework.audit.models import AuditEvent
from casework.pairing import services
from casework.pairing.loads import helper_load
from casework.pairing.models import Pairing
from casework.pairing.types import pairing_type, pairing_types
from casework.policy.models import Parameter
from tests import factories
from workflows.routing import paired_helper

pytestmark = pytest.mark.django_db


def _new_events(since: int) -> list[tuple[str, int | None]]:
    return list(
        AuditEvent.objects.filter(seq__gt=since)
        .exclude(action__startswith="login.")
        .order_by("seq")
        .values_list("action", "actor_id")
    )


def _seq() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_the_types_come_from_one_selector_with_their_caps():
    kinds = {kind.code: kind for kind in pairing_types()}
    assert {"party", "cadre", "capable", "party_centre", "capable_household"} <= set(kinds)
    centre = kinds["party_centre"]
    assert (centre.minimum, centre.maximum, centre.household_helper) == (10, 15, True)
    assert kinds["capable_household"].household_helper and not kinds["party"].household_helper


def test_a_party_centre_household_takes_at_most_15_and_shows_below_the_minimum(world):
    centre = factories.household(world.admin, world.grid_a1, number="A1-CENTRE")
    households = [
        factories.household(world.admin, world.grid_a2, number=f"A2-C{n:02d}") for n in range(16)
    ]
    for household in households[:9]:
        services.pairing_create(
            actor=world.manager, household=household, kind="party_centre", helper_household=centre
        )
    (load,) = helper_load(centre)
    assert (load.taken, load.below_minimum, load.full) == (9, True, False)
    for household in households[9:15]:
        services.pairing_create(
            actor=world.manager, household=household, kind="party_centre", helper_household=centre
        )
    (load,) = helper_load(centre)
    assert (load.taken, load.below_minimum, load.full) == (15, False, True)
    with pytest.raises(ValidationError) as refused:
        services.pairing_create(
            actor=world.manager, household=households[15], kind="party_centre",
            helper_household=centre,
        )  # fmt: skip
    assert "上限为 15 户" in str(refused.value)


def test_the_caps_are_parameters(world):
    Parameter.objects.create(
        key="pairing.caps_min", value={"party_centre": 12}, valid_from="2020-01-01"
    )
    assert pairing_type("party_centre").minimum == 12


def test_a_household_helper_pairing_reaches_nobodys_inbox_and_shows_on_the_page(client, world):
    helper_household = factories.household(world.admin, world.grid_a2, number="A2-LEAD")
    pairing = services.pairing_create(
        actor=world.manager, household=world.h_a2, kind="capable_household",
        helper_household=helper_household,
    )  # fmt: skip
    assert pairing.helper is None and pairing.helper_name == "A2-LEAD"
    # Follow-up visits of A2-0001 stay with the grid's caseworkers (no staff helper).
    assert not Pairing.objects.filter(household=world.h_a2, helper__isnull=False).exists()
    client.force_login(world.caseworker2)
    page = client.get(reverse("pairing:pairing:household", args=[world.h_a2.pk])).content.decode()
    assert "A2-LEAD" in page
    led = client.get(reverse("pairing:pairing:household", args=[helper_household.pk]))
    assert "A2-0001" in led.content.decode()
    # The household types need a household, the others a staff helper.
    with pytest.raises(ValidationError):
        services.pairing_create(
            actor=world.manager, household=world.h_a1, kind="party_centre", helper=world.helper
        )
    with pytest.raises(ValidationError):
        services.pairing_create(
            actor=world.manager, household=world.h_a1, kind="cadre",
            helper_household=helper_household,
        )  # fmt: skip
    # A helper household lives on the same site.
    with pytest.raises(ValidationError):
        services.pairing_create(
            actor=world.admin, household=world.h_b1, kind="capable_household",
            helper_household=helper_household,
        )  # fmt: skip


def test_paired_helper_ignores_helper_households(world):
    assert paired_helper is not None  # the routing reads only staff helpers (helper__isnull)


def test_pairing_through_the_page_shows_the_cap_and_records_one_event(client, world):
    household = factories.household(world.admin, world.grid_a1, number="A1-0100")
    client.force_login(world.manager)
    since = _seq()
    response = client.post(
        reverse("manage:pairings:index"),
        {"household": household.number, "kind": "party", "helper": world.helper.pk},
    )
    assert response.status_code == 302
    assert _new_events(since) == [("pairing.create", world.manager.pk)]
    page = client.get(reverse("manage:pairings:index")).content.decode()
    assert "已结对 2 / 上限 3" in page


def test_hand_over_one_and_all_households_one_event_each(client, world):
    other = factories.household(world.admin, world.grid_a1, number="A1-0200")
    services.pairing_create(actor=world.manager, household=other, kind="cadre", helper=world.helper)
    client.force_login(world.manager)
    one = Pairing.objects.get(helper=world.helper, household=world.h_a1)
    since = _seq()
    response = client.post(
        reverse("manage:pairings:handover", args=[one.pk]), {"helper": world.unpaired_helper.pk}
    )
    assert response.status_code == 302
    assert _new_events(since) == [("pairing.handover", world.manager.pk)]
    one.refresh_from_db()
    assert one.handed_over_to.helper == world.unpaired_helper
    since = _seq()
    response = client.post(
        reverse("manage:pairings:handover_all", args=[world.unpaired_helper.pk]),
        {"helper": world.helper.pk},
    )
    assert response.status_code == 302
    assert _new_events(since) == [("pairing.handover_all", world.manager.pk)]
    assert set(
        Pairing.objects.filter(helper=world.helper, end_date__isnull=True).values_list(
            "household__number", flat=True
        )
    ) == {"A1-0001", "A1-0200"}
    fresh = type(world.helper).objects.get(pk=world.helper.pk)
    assert fresh.has_perm(permissions.VISIT_HOUSEHOLD, world.h_a1)


def test_end_a_pairing_on_the_helper_page(client, world):
    pairing = Pairing.objects.get(helper=world.helper)
    client.force_login(world.manager)
    page = client.get(reverse("manage:pairings:helper", args=[world.helper.pk]))
    assert page.status_code == 200 and "A1-0001" in page.content.decode()
    client.post(reverse("manage:pairings:end", args=[pairing.pk]), {"reason": "帮扶人调岗"})
    pairing.refresh_from_db()
    assert pairing.end_date is not None and pairing.end_reason == "帮扶人调岗"


def test_outsiders_cannot_reach_the_pairings_administration(client, world):
    for user in (world.trainer, world.helper):
        client.force_login(user)
        assert client.get(reverse("manage:pairings:index")).status_code == 403
    client.force_login(world.caseworker2)  # a pairing outside their grid is not theirs
    pairing = Pairing.objects.get(helper=world.helper)
    client.post(reverse("manage:pairings:end", args=[pairing.pk]), {"reason": "x"})
    pairing.refresh_from_db()
    assert pairing.end_date is None
