"""Undoing a completed step: the assessment, by its assessor, while the review is untaken."""

from contextlib import contextmanager

import pytest
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from casework.audit.models import AuditEvent
from casework.cases.models import Assessment, Category
from casework.permissions import may_undo_step
from casework.registry import services as registry_services
from casework.registry.lifecycle import member_leave
from tests import factories
from tests.workflows import helpers as h
from workflows import claims, undo
from workflows.flows import HouseholdFlow, MemberAssessmentFlow
from workflows.models import MemberAssessmentProcess, TaskDeadline

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessed_task(client, world):
    """caseworker1 assessed A1-0001 (label red, from green); the review waits in the queue."""
    assert world.h_a1.colour == "green"
    process = h.household_process(world.h_a1)
    task = h.open_task(process, HouseholdFlow.assess)
    response = h.do(
        client, world.caseworker1, task, h.assessment_data(world.h_a1, {}, colour="red")
    )
    assert response.status_code == 302
    task.refresh_from_db()
    return task


def _open(process):
    return sorted(
        t.flow_task.name
        for t in Task.objects.filter(process=process, status__in=[STATUS.NEW, STATUS.ASSIGNED])
    )


def _undo_url(task):
    return f"/workflow/undo/{task.process_id}/{task.pk}/"


def test_the_assessor_undoes_the_assessment_and_gets_the_form_back(client, world, assessed_task):
    world.h_a1.refresh_from_db()
    assert world.h_a1.colour == "red"
    assert Assessment.objects.filter(household_case__household=world.h_a1).count() == 3
    client.force_login(world.caseworker1)
    page = client.get(f"/workflow/flows/household/{assessed_task.process_id}/").content.decode()
    assert 'data-test="undo"' in page and "撤销" in page

    response = client.post(_undo_url(assessed_task))

    new_task = h.open_task(assessed_task.process, HouseholdFlow.assess)
    assert response["Location"] == h.url(new_task, "execute")
    assert new_task.owner == world.caseworker1 and new_task.status == STATUS.ASSIGNED
    assert TaskDeadline.objects.get(task=new_task).due_at == assessed_task.deadline.due_at
    assert _open(assessed_task.process) == ["assess"]  # the review is cancelled
    assessed_task.refresh_from_db()
    assert assessed_task.status == STATUS.REVIVED
    # The business data is as before the step.
    assert not Assessment.objects.filter(household_case__household=world.h_a1).exists()
    world.h_a1.refresh_from_db()
    assert world.h_a1.colour == "green"
    event = AuditEvent.objects.get(action="step.undo")
    assert event.household_id == world.h_a1.pk and event.actor == world.caseworker1
    # And it can be done again.
    response = client.post(h.url(new_task, "execute"), h.assessment_data(world.h_a1, {}))
    assert response.status_code == 302
    assert _open(assessed_task.process) == ["review"]


def test_only_the_assessor_may_undo(client, world, assessed_task):
    assert not undo.may_undo(world.caseworker2, assessed_task)
    assert not undo.may_undo(world.manager, assessed_task)
    client.force_login(world.manager)
    page = client.get(f"/workflow/flows/household/{assessed_task.process_id}/").content.decode()
    assert 'data-test="undo"' not in page
    client.post(_undo_url(assessed_task))
    assessed_task.refresh_from_db()
    assert assessed_task.status == STATUS.DONE
    assert not AuditEvent.objects.filter(action="step.undo").exists()


def test_no_undo_once_the_review_is_taken(client, world, assessed_task):
    review = h.open_task(assessed_task.process, HouseholdFlow.review)
    claims.tasks_claim(actor=world.manager, task_pks=[review.pk])
    assert not undo.may_undo(world.caseworker1, assessed_task)
    client.force_login(world.caseworker1)
    response = client.post(_undo_url(assessed_task), follow=True)
    assert "下一步已有人认领" in response.content.decode()
    assert Task.objects.get(pk=review.pk).status == STATUS.ASSIGNED
    assert Assessment.objects.filter(household_case__household=world.h_a1).count() == 3


def test_other_steps_are_not_undoable(client, world, assessed_task):
    review = h.open_task(assessed_task.process, HouseholdFlow.review)
    h.do(client, world.manager, review, {"decision": "approve"})
    review.refresh_from_db()
    assert review.status == STATUS.DONE
    assert not undo.may_undo(world.manager, review)


def test_undo_permission_needs_the_actor_working_the_household(world):
    assert may_undo_step(world.caseworker1, owner_id=world.caseworker1.pk, household=world.h_a1)
    assert not may_undo_step(world.caseworker1, owner_id=world.caseworker2.pk, household=world.h_a1)
    assert not may_undo_step(world.caseworker2, owner_id=world.caseworker2.pk, household=world.h_a1)
    assert not may_undo_step(world.caseworker1, owner_id=None, household=world.h_a1)


def test_undo_is_post_only_and_scoped(client, world, assessed_task):
    client.force_login(world.caseworker1)
    assert client.get(_undo_url(assessed_task)).status_code == 405
    client.force_login(world.caseworker2)  # A2 only: the process is not in their jurisdiction
    assert client.post(_undo_url(assessed_task)).status_code == 404


def _member_joins_and_is_assessed(client, world):
    """While the household's review waits, a member joins (her own flow starts) and the same
    caseworker assesses her there; her review waits too."""
    member = registry_services.member_add(
        actor=world.admin,
        household=world.h_a1,
        **factories.member_data(name="新媳妇", document_number=factories.resident_id()),
    )
    process = MemberAssessmentProcess.objects.get(member=member, status=PROCESS.NEW)
    data = h.assessment_entry(Category.NOT_LABOUR, member, prefix=f"m{member.pk}-")
    response = h.do(
        client, world.caseworker1, h.open_task(process, MemberAssessmentFlow.assess), data
    )
    assert response.status_code == 302
    return member, process


def test_no_undo_while_a_member_who_joined_is_assessed_in_her_own_flow(
    client, world, assessed_task
):
    member, member_process = _member_joins_and_is_assessed(client, world)
    assert not undo.may_undo(world.caseworker1, assessed_task)
    client.force_login(world.caseworker1)
    page = client.get(f"/workflow/flows/household/{assessed_task.process_id}/").content.decode()
    assert 'data-test="undo"' not in page

    response = client.post(_undo_url(assessed_task), follow=True)

    assert "本户有成员正在单独评估" in response.content.decode()
    assessed_task.refresh_from_db()
    assert assessed_task.status == STATUS.DONE
    # Her assessment is untouched, and so is the household's, with both reviews waiting.
    assert Assessment.objects.filter(member=member, review="pending").count() == 1
    assert Assessment.objects.filter(household_case__household=world.h_a1).count() == 4
    assert h.open_task(member_process, MemberAssessmentFlow.review).status == STATUS.NEW
    assert h.open_task(assessed_task.process, HouseholdFlow.review).status == STATUS.NEW
    assert not AuditEvent.objects.filter(action__in=["step.undo", "assessment.withdraw"]).exists()


def test_the_undo_withdraws_exactly_the_assessments_the_step_recorded(client, world, assessed_task):
    # A pending assessment by the same caseworker, written since the step began but not by it:
    # a member who joined was assessed in her own flow, then left (her flow ended with her).
    member, _process = _member_joins_and_is_assessed(client, world)
    member_leave(actor=world.admin, member=member, reason="moved_out")
    assert not MemberAssessmentProcess.objects.filter(status=PROCESS.NEW).exists()
    step_assessments = set(
        Assessment.objects.filter(household_case__household=world.h_a1)
        .exclude(member=member)
        .values_list("pk", flat=True)
    )
    assert len(step_assessments) == 3

    undo.step_undo(actor=world.caseworker1, task=assessed_task)

    remaining = Assessment.objects.filter(household_case__household=world.h_a1)
    assert list(remaining.values_list("member_id", flat=True)) == [member.pk]
    assert not remaining.filter(pk__in=step_assessments).exists()


def test_a_locked_process_asks_to_try_again(client, world, assessed_task, monkeypatch):
    """Someone else holds the process's lock (a colleague's step, the scheduler)."""

    @contextmanager
    def held(flow_class, process_pk):
        raise FlowLockFailed(f"Lock failed for process {process_pk}")
        yield

    monkeypatch.setattr(HouseholdFlow, "lock_impl", held)
    client.force_login(world.caseworker1)

    response = client.post(_undo_url(assessed_task), follow=True)

    assert response.status_code == 200
    assert (
        response.redirect_chain[-1][0] == f"/workflow/flows/household/{assessed_task.process_id}/"
    )
    assert "其他人正在办理此案件，请稍后再试" in response.content.decode()
    monkeypatch.undo()
    assessed_task.refresh_from_db()
    assert assessed_task.status == STATUS.DONE
    assert not AuditEvent.objects.filter(action="step.undo").exists()
