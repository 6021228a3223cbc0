"""A sent-back assessment goes back to the caseworker who assessed the household, with a notice
that says why; a caseworker who no longer works the grid leaves it to the queue."""

import datetime

import pytest
from guardian.shortcuts import remove_perm
from viewflow.workflow.status import STATUS

from casework.audit.models import AuditEvent
from casework.cases.models import Category
from casework.permissions import WORK_GRID, roles
from casework.registry.services import jurisdiction_grant_grid
from tests import factories
from tests.workflows import helpers as h
from workflows.flows import HouseholdFlow as HF
from workflows.models import Notification
from workflows.services import deadlines_escalate

pytestmark = pytest.mark.django_db

REASON = "户主持有厨师证，请核实类别"


def _assess(client, world, household):
    process = h.household_process(household)
    head = household.members.get(relationship="head")
    data = h.assessment_data(household, {head.name: Category.THREE_NO})
    response = h.do(client, world.caseworker1, h.open_task(process, HF.assess), data)
    assert response.status_code == 302
    return process


def _send_back(client, world, process, reason=REASON):
    review = h.open_task(process, HF.review)
    response = h.do(client, world.manager, review, {"decision": "return", "reason": reason})
    assert response.status_code == 302
    return h.open_task(process, HF.assess)


def test_the_first_assessment_waits_in_the_queue_without_a_notice(world):
    task = h.open_task(h.household_process(world.h_a1), HF.assess)
    assert (task.owner, task.status) == (None, STATUS.NEW)
    assert not Notification.objects.exists()


def test_a_sent_back_assessment_goes_to_its_assessor_with_the_reason(client, world):
    process = _assess(client, world, world.h_a1)
    task = _send_back(client, world, process)

    assert (task.owner, task.status) == (world.caseworker1, STATUS.ASSIGNED)
    notice = Notification.objects.get(kind=Notification.Kind.SENT_BACK)
    assert (notice.recipient, notice.task_id, notice.read_at) == (world.caseworker1, task.pk, None)
    assert "A1-0001" in notice.text and REASON in notice.text and "退回" in notice.text
    event = AuditEvent.objects.get(action="task.return")
    assert (event.actor_username, event.object_id) == ("manager", str(task.pk))
    assert event.changes["owner"] == [None, "caseworker1"]
    assert event.household_id == world.h_a1.pk and event.reason == REASON


def test_the_assessor_finds_it_in_their_inbox_not_the_queue(client, world):
    process = _assess(client, world, world.h_a1)
    task = _send_back(client, world, process)
    client.force_login(world.caseworker1)
    inbox = client.get("/workflow/inbox/").content.decode()
    assert h.url(task, "index") in inbox and "A1-0001" in inbox
    queue = client.get("/workflow/queue/").content.decode()
    assert "A1-0001" not in queue
    # The notice's task opens the form straight away: the step is already theirs.
    assert client.get(h.url(task, "execute")).status_code == 200


def test_a_caseworker_who_lost_the_grid_leaves_the_step_to_the_queue(client, world):
    process = _assess(client, world, world.h_a1)
    remove_perm(WORK_GRID, world.caseworker1, world.grid_a1)
    successor = factories.user("successor", roles.CASEWORKER)
    jurisdiction_grant_grid(actor=world.admin, user=successor, grid=world.grid_a1)

    task = _send_back(client, world, process)

    assert (task.owner, task.status) == (None, STATUS.NEW)
    assert not Notification.objects.filter(kind=Notification.Kind.SENT_BACK).exists()
    client.force_login(successor)
    assert h.url(task, "index") in client.get("/workflow/queue/").content.decode()


def test_a_deactivated_caseworker_leaves_the_step_to_the_queue(client, world):
    process = _assess(client, world, world.h_a1)
    world.caseworker1.is_active = False
    world.caseworker1.save(update_fields=["is_active"])
    task = _send_back(client, world, process)
    assert (task.owner, task.status) == (None, STATUS.NEW)


def test_a_sent_back_step_that_runs_late_is_still_escalated_to_its_owner(client, world):
    process = _assess(client, world, world.h_a1)
    task = _send_back(client, world, process)
    deadlines_escalate(now=task.deadline.due_at + datetime.timedelta(minutes=1))
    kinds = set(
        Notification.objects.filter(recipient=world.caseworker1, task=task).values_list(
            "kind", flat=True
        )
    )
    assert kinds == {Notification.Kind.SENT_BACK, Notification.Kind.OVERDUE}


def test_the_second_assessment_after_a_send_back_reaches_review_again(client, world):
    process = _assess(client, world, world.h_a1)
    task = _send_back(client, world, process)
    head = world.h_a1.members.get(relationship="head")
    data = h.assessment_data(world.h_a1, {head.name: Category.CAPABLE})
    client.force_login(world.caseworker1)
    assert client.post(h.url(task, "execute"), data).status_code == 302
    assert h.open_nodes(process) == ["review"]
