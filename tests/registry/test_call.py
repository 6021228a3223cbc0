"""Tap-to-call: a POST records the call and sends the phone to its dialler (``tel:``); the full
number is never on one of our pages or in one of our URLs."""

import datetime

import pytest
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework.audit.models import AuditEvent
from casework.policy.models import Parameter
from casework.registry.models import Member
from tests.conftest import login
from workflows.flows import HouseholdFlow

pytestmark = pytest.mark.django_db

HEAD_PHONE = "13912340001"


def _call_url(household):
    return f"/registry/household/{household.pk}/call/"


def _head_phone(household, number):
    Member.objects.filter(household=household, relationship=Member.Relationship.HEAD).update(
        phone=number
    )


def _calls(household):
    return AuditEvent.objects.filter(action="personal_data.call", household_id=household.pk)


@pytest.mark.parametrize("persona", ["caseworker1", "manager", "helper"])
def test_who_sees_the_household_may_call_its_head_and_the_call_is_recorded(client, world, persona):
    _head_phone(world.h_a1, HEAD_PHONE)
    login(client, getattr(world, persona))
    response = client.post(_call_url(world.h_a1))
    assert response.status_code == 302
    assert response["Location"] == f"tel:{HEAD_PHONE}"
    assert response["Cache-Control"] == "no-store"
    event = _calls(world.h_a1).get()
    assert event.actor == getattr(world, persona)


def test_without_a_head_phone_the_household_phone_is_dialled(client, world):
    _head_phone(world.h_a1, "")
    world.h_a1.phone = "0931-8123456"
    world.h_a1.save(update_fields=["phone"])
    response = login(client, world.caseworker1).post(_call_url(world.h_a1))
    assert response["Location"] == "tel:09318123456"


def test_a_household_without_any_phone_cannot_be_called(client, world):
    _head_phone(world.h_a1, "")
    response = login(client, world.caseworker1).post(_call_url(world.h_a1))
    assert response.status_code == 404
    assert not _calls(world.h_a1).exists()


@pytest.mark.parametrize("persona", ["caseworker2", "unpaired_helper", "trainer"])
def test_outside_the_jurisdiction_the_household_cannot_be_called(client, world, persona):
    response = login(client, getattr(world, persona)).post(_call_url(world.h_a1))
    assert response.status_code in (403, 404)  # the trainer may not open the registry at all
    assert not _calls(world.h_a1).exists()


def test_a_get_does_not_dial(client, world):
    response = login(client, world.caseworker1).get(_call_url(world.h_a1))
    assert response.status_code == 405
    assert not _calls(world.h_a1).exists()


@pytest.mark.parametrize("page", ["/workflow/queue/", "/workflow/inbox/"])
def test_task_lists_show_the_head_masked_with_a_call_button(client, world, page):
    _head_phone(world.h_a1, HEAD_PHONE)
    if page.endswith("inbox/"):
        Task.objects.filter(flow_task=HouseholdFlow.assess, status=STATUS.NEW).update(
            owner=world.caseworker1, status=STATUS.ASSIGNED
        )
    html = login(client, world.caseworker1).get(page).content.decode()
    assert "甲户主" in html
    assert "139****0001" in html
    assert HEAD_PHONE not in html
    assert f'action="{_call_url(world.h_a1)}"' in html


def test_calls_are_capped_per_person_and_day_and_the_refusal_says_why(client, world, settings):
    """Each call hands a full number to the caller's dialler: past the day's cap
    (``privacy.calls_per_day``) the call is refused, in Chinese, and nothing is recorded;
    calling a household already called today again does not count twice."""
    Parameter.objects.create(
        key="privacy.calls_per_day", value=1, valid_from=datetime.date(2000, 1, 1)
    )
    _head_phone(world.h_a1, HEAD_PHONE)
    _head_phone(world.h_a2, "13912340002")
    login(client, world.manager)
    assert client.post(_call_url(world.h_a1))["Location"] == f"tel:{HEAD_PHONE}"
    assert client.post(_call_url(world.h_a1))["Location"] == f"tel:{HEAD_PHONE}"
    detail = f"/registry/household/{world.h_a2.pk}/"
    refused = client.post(_call_url(world.h_a2), HTTP_REFERER=f"http://testserver{detail}")
    assert refused.status_code == 302
    assert refused["Location"] == f"http://testserver{detail}"
    assert not _calls(world.h_a2).exists()
    page = client.get(detail).content.decode()
    assert "今天已拨打 1 户" in page
    # Someone else's calls are their own.
    login(client, world.caseworker2)
    assert client.post(_call_url(world.h_a2))["Location"] == "tel:13912340002"
