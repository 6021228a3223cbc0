"""Pairing: what a helper sees, the cap, handover, visits, service requests and the overdue
list (acceptance 1, 2 and 4 of the pairing issue)."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from casework import permissions
from casework.pairing import services
from casework.pairing.models import Pairing, ServiceRequest, Visit
from casework.pairing.selectors import households_overdue_for_visit
from tests import factories
from tests.workflows import helpers as h
from workflows.flows import ServiceRequestFlow

pytestmark = pytest.mark.django_db


def _visit(**overrides):
    data = {
        "date": timezone.localdate(), "mode": "home", "thinking_stable": "yes",
        "policy_understood": "yes", "life_happy": "no", "industry_developing": "yes",
        "problems_solved": "no", "raised": "孩子上学路远", "done": "联系社区",
        "next_step": "两周后回访",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_a_helper_sees_exactly_their_paired_households_until_the_pairing_ends(client, world):
    client.force_login(world.helper)
    listing = client.get(reverse("registry:household:index")).content.decode()
    assert "A1-0001" in listing and "A2-0001" not in listing and "B1-0001" not in listing
    mine = client.get(reverse("pairing:pairing:index")).content.decode()
    assert "A1-0001" in mine and "A2-0001" not in mine
    detail = reverse("registry:household:detail", args=[world.h_a1.pk])
    assert client.get(detail).status_code == 200
    assert client.get(reverse("registry:household:detail", args=[world.h_a2.pk])).status_code == 404

    pairing = Pairing.objects.get(helper=world.helper)
    services.pairing_end(actor=world.caseworker1, pairing=pairing, reason="帮扶人调岗")
    client.force_login(world.helper)  # a fresh request: jurisdiction is read again
    assert "A1-0001" not in client.get(reverse("registry:household:index")).content.decode()
    assert client.get(detail).status_code == 404
    assert client.get(reverse("pairing:pairing:visit", args=[world.h_a1.pk])).status_code == 404
    assert "A1-0001" not in client.get(reverse("pairing:pairing:index")).content.decode()


def test_the_cap_per_helper_is_enforced_with_a_clear_message(world):
    households = [
        factories.household(world.admin, world.grid_a1, number=f"A1-CAP{n}") for n in range(3)
    ]
    for household in households[:2]:  # the helper already has A1-0001 as a party pairing
        services.pairing_create(
            actor=world.caseworker1, helper=world.helper, household=household, kind="party"
        )
    with pytest.raises(ValidationError) as refused:
        services.pairing_create(
            actor=world.caseworker1, helper=world.helper, household=households[2], kind="party"
        )
    assert "已以“党员结对”方式结对 3 户，上限为 3 户" in str(refused.value)
    # Another kind has its own cap.
    services.pairing_create(
        actor=world.caseworker1, helper=world.helper, household=households[2], kind="cadre"
    )


def test_a_handover_moves_the_permission_and_keeps_both_pairings(client, world):
    old = Pairing.objects.get(helper=world.helper)
    new = services.pairing_handover(
        actor=world.caseworker1, pairing=old, helper=world.unpaired_helper
    )
    old.refresh_from_db()
    assert old.end_date is not None and old.handed_over_to == new
    assert Pairing.objects.filter(household=world.h_a1).count() == 2
    assert not world.helper.has_perm(permissions.VISIT_HOUSEHOLD, world.h_a1)
    fresh = type(world.unpaired_helper).objects.get(pk=world.unpaired_helper.pk)
    assert fresh.has_perm(permissions.VISIT_HOUSEHOLD, world.h_a1)
    client.force_login(world.caseworker1)
    page = client.get(reverse("pairing:pairing:household", args=[world.h_a1.pk])).content.decode()
    assert "helper" in page and "unpaired_helper" in page and "交接给" in page


def test_a_helper_records_a_visit_and_a_concern_becomes_a_service_request(client, world):
    client.force_login(world.helper)
    url = reverse("pairing:pairing:visit", args=[world.h_a1.pk])
    response = client.post(
        url, _visit(concern="on", concern_kind="handle", matter="申请公租房维修")
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert (visit.visitor, visit.life_happy, visit.thinking_stable) == (world.helper, False, True)
    request = ServiceRequest.objects.get()
    assert (request.first_contact, request.visit) == (world.helper, visit)
    task = h.open_task(request.process, ServiceRequestFlow.handle)
    assert task.deadline.due_at.date() == request.promised_date
    response = h.do(client, world.caseworker1, task, {"resolution": "已联系物业修好"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.resolved_by == world.caseworker1
    client.force_login(world.caseworker2)
    assert client.get(h.url(task, "detail")).status_code == 404


def test_a_visit_form_with_a_missing_point_is_refused_in_chinese(client, world):
    client.force_login(world.helper)
    data = _visit()
    del data["life_happy"]
    response = client.post(reverse("pairing:pairing:visit", args=[world.h_a1.pk]), data)
    assert response.status_code == 200
    assert not Visit.objects.exists()


def test_overdue_for_its_label_until_a_visit_is_recorded(world):
    registered = timezone.localtime(world.h_a1.created_at).date()
    green_due = registered + datetime.timedelta(days=30)
    day_after = green_due + datetime.timedelta(days=1)
    numbers = lambda on: {h.number for h in households_overdue_for_visit(world.manager, on)}  # noqa: E731
    assert "A1-0001" not in numbers(green_due)
    assert "A1-0001" in numbers(day_after)
    later = timezone.make_aware(datetime.datetime.combine(day_after, datetime.time(10)))
    with mock.patch("django.utils.timezone.now", return_value=later):  # the frozen clock
        services.visit_record(
            actor=world.helper, household=world.h_a1, date=day_after, mode="phone",
            **{k: v == "yes" for k, v in _visit().items() if k in services.FIVE_POINTS},
        )  # fmt: skip
        assert "A1-0001" not in numbers(day_after)
        assert "A1-0001" not in {h.number for h in households_overdue_for_visit(world.manager)}
    # A red household is due after a week.
    from casework.registry.services import household_update

    household_update(actor=world.caseworker2, household=world.h_a2, colour="red")
    red_due = timezone.localtime(world.h_a2.created_at).date() + datetime.timedelta(days=7)
    assert "A2-0001" in numbers(red_due + datetime.timedelta(days=1))
    assert "A2-0001" not in numbers(red_due)


def test_the_managers_overdue_page_names_who_is_responsible(client, world):
    from casework.registry.models import Household

    # Registered 40 days ago and never visited: a green household is overdue.
    long_ago = timezone.now() - datetime.timedelta(days=40)
    Household.objects.filter(pk=world.h_a1.pk).update(created_at=long_ago)
    client.force_login(world.manager)
    page = client.get(reverse("pairing:pairing:overdue"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "A1-0001" in text and "党员" in text and "B1-0001" not in text
