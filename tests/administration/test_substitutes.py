"""Substitutes: while caseworker1 is away, caseworker2 covers grid A1 — sees its households,
finds and takes its tasks, and new tasks of the grid reach their queue; not before, not after."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from casework import permissions
from casework.accounts.models import Substitution
from casework.audit.models import AuditEvent
from casework.staff.services import substitution_create, substitution_end
from tests import factories
from tests.workflows import helpers as h
from workflows.claims import tasks_claim
from workflows.flows import HouseholdFlow
from workflows.selectors import queue_tasks

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def away(world):
    today = timezone.localdate()
    return substitution_create(
        actor=world.manager, absent=world.caseworker1, substitute=world.caseworker2,
        start_date=today, end_date=today + datetime.timedelta(days=7), reason="休假",
    )  # fmt: skip


def test_before_the_substitution_the_colleague_sees_nothing_of_the_grid(world):
    assert not permissions.households_visible_to(world.caseworker2).filter(pk=world.h_a1.pk)
    task = h.open_task(h.household_process(world.h_a1), HouseholdFlow.assess)
    assert not queue_tasks(world.caseworker2).filter(pk=task.pk).exists()


def test_the_substitute_sees_the_households_and_takes_the_tasks_of_the_grid(client, world, away):
    substitute = _fresh(world.caseworker2)
    assert permissions.households_visible_to(substitute).filter(pk=world.h_a1.pk).exists()
    assert permissions.can(substitute, "change", world.h_a1)
    task = h.open_task(h.household_process(world.h_a1), HouseholdFlow.assess)
    assert queue_tasks(substitute).filter(pk=task.pk).exists()
    client.force_login(substitute)
    assert "A1-0001" in client.get(reverse("workflow:queue")).content.decode()
    assert tasks_claim(actor=substitute, task_pks=[task.pk]).done == [task.pk]
    # A household registered now: its first task reaches the substitute's queue.
    later = factories.household(world.admin, world.grid_a1, number="A1-0050")
    new_task = h.open_task(h.household_process(later), HouseholdFlow.assess)
    assert queue_tasks(_fresh(world.caseworker2)).filter(pk=new_task.pk).exists()


def test_ending_the_substitution_ends_the_cover(world, away):
    since = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    substitution_end(actor=world.manager, substitution=away)
    events = AuditEvent.objects.filter(seq__gt=since).values_list("action", "actor_id")
    assert list(events) == [("substitution.end", world.manager.pk)]
    substitute = _fresh(world.caseworker2)
    assert not permissions.households_visible_to(substitute).filter(pk=world.h_a1.pk).exists()
    task = h.open_task(h.household_process(world.h_a1), HouseholdFlow.assess)
    assert not queue_tasks(substitute).filter(pk=task.pk).exists()


def test_a_future_substitution_covers_nothing_yet(world):
    start = timezone.localdate() + datetime.timedelta(days=3)
    substitution_create(
        actor=world.manager, absent=world.caseworker1, substitute=world.caseworker2,
        start_date=start, end_date=start + datetime.timedelta(days=2),
    )  # fmt: skip
    assert not permissions.households_visible_to(world.caseworker2).filter(pk=world.h_a1.pk)
    assert (
        permissions.grids_covered_by(world.caseworker2, on=start)
        .filter(pk=world.grid_a1.pk)
        .exists()
    )


def test_arranging_is_checked_and_recorded_once(world):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        substitution_create(
            actor=world.manager, absent=world.caseworker1, substitute=world.trainer,
            start_date=today, end_date=today,
        )  # fmt: skip
    with pytest.raises(ValidationError):
        substitution_create(
            actor=world.manager, absent=world.caseworker1, substitute=world.caseworker2,
            start_date=today, end_date=today - datetime.timedelta(days=1),
        )  # fmt: skip
    since = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    substitution_create(
        actor=world.manager, absent=world.caseworker1, substitute=world.caseworker2,
        start_date=today, end_date=today,
    )  # fmt: skip
    events = AuditEvent.objects.filter(seq__gt=since).values_list("action", "actor_id")
    assert list(events) == [("substitution.create", world.manager.pk)]
    with pytest.raises(ValidationError):  # the same dates twice
        substitution_create(
            actor=world.manager, absent=world.caseworker1, substitute=world.caseworker2,
            start_date=today, end_date=today,
        )  # fmt: skip


def test_the_page_arranges_and_ends_a_substitution(client, world):
    today = timezone.localdate()
    client.force_login(world.manager)
    assert client.get(reverse("manage:staff:index")).status_code == 200
    response = client.post(
        reverse("manage:staff:index"),
        {
            "absent": world.caseworker1.pk, "substitute": world.caseworker2.pk,
            "start_date": today.isoformat(), "end_date": today.isoformat(), "reason": "培训",
        },
    )  # fmt: skip
    assert response.status_code == 302
    substitution = Substitution.objects.get()
    assert (substitution.absent, substitution.substitute) == (world.caseworker1, world.caseworker2)
    client.post(reverse("manage:staff:substitution_end", args=[substitution.pk]))
    substitution.refresh_from_db()
    assert substitution.ended_at is not None
    client.force_login(world.caseworker1)
    assert client.get(reverse("manage:staff:index")).status_code == 403
