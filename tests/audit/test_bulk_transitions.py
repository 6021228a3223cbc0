"""Task transitions of a bulk action (``workflows.records.transitions_collected``): written
together when the action ends, in order, each with its household; none for a step rolled back
inside it; refused outside a transaction. A released step names who held it, and the history
says who took it back from whom."""

import pytest
from django.db import transaction
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework.audit.context import acting
from casework.audit.history import history_entries
from casework.audit.models import AuditEvent
from casework.registry.services import household_update
from casework.staff.services import TaskTarget, staff_tasks_reassign
from tests.workflows import helpers as h
from workflows.claims import tasks_claim
from workflows.flows import HouseholdFlow
from workflows.records import transitions_collected

pytestmark = pytest.mark.django_db


def _assess(world) -> Task:
    return h.open_task(h.household_process(world.h_a1), HouseholdFlow.assess)


def _events(task: Task) -> list[tuple[str, object]]:
    return [
        (e.action, e.changes.get("owner"))
        for e in AuditEvent.objects.filter(
            object_type="viewflow.task", object_id=str(task.pk)
        ).order_by("seq")
    ]


def test_a_step_rolled_back_inside_the_action_leaves_no_event(world):
    task = _assess(world)
    with transaction.atomic(), acting(world.admin), transitions_collected():
        try:
            with transaction.atomic(), task.activation() as activation:
                activation.assign(world.caseworker1)
                raise RuntimeError("this step is given up")
        except RuntimeError:
            pass
        task.refresh_from_db()
        with task.activation() as activation:
            activation.assign(world.caseworker1)
    task.refresh_from_db()
    assert (task.status, task.owner) == (STATUS.ASSIGNED, world.caseworker1)
    assert _events(task) == [("task.assign", [None, "caseworker1"])]


def test_a_block_inside_another_keeps_the_events_in_order(world):
    task = _assess(world)
    with transaction.atomic(), acting(world.admin), transitions_collected():
        with task.activation() as activation:
            activation.assign(world.caseworker1)
        with transitions_collected(), task.activation() as activation:
            activation.reassign(world.manager)
    assert _events(task) == [
        ("task.assign", [None, "caseworker1"]),
        ("task.reassign", [None, "manager"]),
    ]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_action_is_refused_before_anything_moves(world):
    task = _assess(world)
    with pytest.raises(RuntimeError, match="inside a transaction"), transitions_collected():
        with task.activation() as activation:
            activation.assign(world.caseworker1)
    task.refresh_from_db()
    assert task.status == STATUS.NEW and _events(task) == []


def test_a_refused_handover_writes_nothing(world):
    task = _assess(world)
    assert tasks_claim(actor=world.caseworker1, task_pks=[task.pk]).done
    before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    # caseworker2 works another grid: nobody may take the step, so nothing is handed on.
    with pytest.raises(Exception, match="tasks_to"):
        staff_tasks_reassign(
            actor=world.admin, user=world.caseworker1,
            target=TaskTarget(person=world.caseworker2),
        )  # fmt: skip
    assert not AuditEvent.objects.filter(seq__gt=before).exists()
    task.refresh_from_db()
    assert task.owner == world.caseworker1


def test_a_step_released_by_someone_else_names_who_held_it(client, world):
    task = _assess(world)
    client.force_login(world.caseworker1)
    assert client.post(h.url(task, "assign")).status_code == 302
    assert client.post(h.url(task, "unassign")).status_code == 302  # released by its holder
    assert client.post(h.url(task, "assign")).status_code == 302
    # The household moves to grid A2: caseworker1 no longer sees it, the step is released.
    household_update(actor=world.admin, household=world.h_a1, grid=world.grid_a2)
    assert _events(task) == [
        ("task.assign", [None, "caseworker1"]),
        ("task.unassign", ["caseworker1", None]),
        ("task.assign", [None, "caseworker1"]),
        ("task.unassign", ["caseworker1", None]),
    ]
    events = AuditEvent.objects.filter(
        object_type="viewflow.task", object_id=str(task.pk), action="task.unassign"
    ).order_by("seq")
    released, taken_back = (entry.sentence for entry in history_entries(list(events)))
    caseworker = world.caseworker1.get_full_name() or "caseworker1"
    admin = world.admin.get_full_name() or "admin"
    assert released == f"{caseworker} 放弃认领 入户评估"
    assert taken_back == f"{admin} 收回了 {caseworker} 认领的 入户评估"


def test_releasing_a_step_that_names_no_holder_records_none(world):
    """A step left assigned without an owner (data from elsewhere) is released as viewflow
    releases it, its event naming no holder."""
    task = _assess(world)
    Task.objects.filter(pk=task.pk).update(status=STATUS.ASSIGNED, owner=None)
    task.refresh_from_db()
    with transaction.atomic(), acting(world.admin), task.activation() as activation:
        activation.unassign()
    task.refresh_from_db()
    assert task.status == STATUS.NEW
    assert _events(task) == [("task.unassign", None)]
