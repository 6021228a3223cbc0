"""Every task transition is an audit event naming the user who caused it (acceptance of §6)."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task

from casework.audit.context import acting
from casework.audit.models import AuditEvent
from casework.cases.models import Category
from tests.workflows import helpers as h
from workflows.flows import EmploymentFlow, HouseholdFlow
from workflows.services import scheduler_tick

pytestmark = pytest.mark.django_db


def _events_of(task: Task) -> list[tuple[str, str]]:
    return list(
        AuditEvent.objects.filter(object_type="viewflow.task", object_id=str(task.pk))
        .order_by("seq")
        .values_list("action", "actor_username")
    )


def test_registration_records_the_start_of_the_household_flow(world):
    process = h.household_process(world.h_a1)
    start = Task.objects.get(process=process, flow_task=HouseholdFlow.start)
    assert _events_of(start) == [("process.start", "admin")]
    event = AuditEvent.objects.get(object_id=str(start.pk), object_type="viewflow.task")
    assert event.household_id == world.h_a1.pk


def test_assign_unassign_and_execute_through_the_pages_name_the_user(client, world):
    process = h.household_process(world.h_a1)
    task = h.open_task(process, HouseholdFlow.assess)
    client.force_login(world.caseworker1)
    assert client.post(h.url(task, "assign")).status_code == 302
    assert client.post(h.url(task, "unassign")).status_code == 302
    client.force_login(world.caseworker2)  # another grid: may not take it, and nothing is logged
    assert client.post(h.url(task, "assign")).status_code == 404
    response = h.do(client, world.caseworker1, task, h.assessment_data(world.h_a1, {}))
    assert response.status_code == 302

    assert _events_of(task) == [
        ("task.assign", "caseworker1"),
        ("task.unassign", "caseworker1"),
        ("task.assign", "caseworker1"),
        ("task.execute", "caseworker1"),
    ]
    assign = AuditEvent.objects.filter(object_id=str(task.pk), action="task.assign").first()
    assert assign.changes == {"status": ["NEW", "ASSIGNED"], "owner": [None, "caseworker1"]}
    assert assign.household_id == world.h_a1.pk


def test_cancel_undo_and_revive_by_a_manager_are_recorded(client, world):
    process = h.household_process(world.h_a1)
    assess = h.open_task(process, HouseholdFlow.assess)
    h.do(client, world.caseworker1, assess, h.assessment_data(world.h_a1, {}))
    review = h.open_task(process, HouseholdFlow.review)
    with acting(world.manager):
        with review.activation() as activation:
            activation.cancel()
        assess.refresh_from_db()
        with assess.activation() as activation:
            activation.undo()
        assess.refresh_from_db()
        with assess.activation() as activation:
            revived = activation.revive()
    assert _events_of(review) == [("task.cancel", "manager")]
    assert _events_of(assess)[-3:] == [
        ("task.execute", "caseworker1"),
        ("task.undo", "manager"),
        ("task.revive", "manager"),
    ]
    assert revived.pk != assess.pk and revived.flow_task == HouseholdFlow.assess


def test_a_timer_fired_by_the_scheduler_is_recorded_as_the_system(client, world, assessed):
    process = h.employment_process(assessed(Category.CAPABLE))
    start = timezone.localdate() - datetime.timedelta(days=40)
    h.do(
        client,
        world.caseworker1,
        h.open_task(process, EmploymentFlow.placement),
        h.placement_data(start_date=start.isoformat()),
    )
    timer = Task.objects.get(process=process, flow_task=EmploymentFlow.wait_followup)
    assert scheduler_tick()[0] == 1
    assert _events_of(timer) == [("task.timer_fired", "")]
    event = AuditEvent.objects.get(object_id=str(timer.pk), action="task.timer_fired")
    assert event.actor_id is None
    assert event.household_id == world.h_a1.pk


def test_escalation_is_recorded(client, world):
    process = h.household_process(world.h_a1)
    task = h.open_task(process, HouseholdFlow.assess)
    later = task.deadline.due_at + datetime.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        scheduler_tick()
    assert ("task.escalate", "") in _events_of(task)


def test_a_failed_execution_leaves_no_transition_event(client, world):
    process = h.household_process(world.h_a1)
    task = h.open_task(process, HouseholdFlow.assess)
    client.force_login(world.caseworker1)
    client.post(h.url(task, "assign"))
    before = AuditEvent.objects.count()
    response = client.post(h.url(task, "execute"), {"colour": "purple"})  # invalid form
    assert response.status_code == 200
    assert AuditEvent.objects.count() == before
