"""Undo a completed step (viewflow's undo), by whoever completed it, while the next step has
not been taken.

Which steps are undoable, and why only these:
- 入户评估 and 评估成员 (the household's and a member's own assessment): the step only writes
  pending assessments (and the label), and the next step is the manager's review. While nobody
  has taken the review, withdrawing the assessments and putting the label back leaves the
  household exactly as before the step. The step's task keeps which assessments it recorded
  (``records.step_assessments_note``): exactly those are withdrawn. The household's step is
  held back while a member who joined meanwhile is assessed in a flow of their own (reopened,
  it would assess her a second time).
- Not the others. A review's approval opens employment cases and starts their flows at once
  (and a send-back notifies the assessor); the employment steps change the case's state, and
  the flow routes on at once to a timer or the next step (placements, enrolments and post
  applications feed the ledgers and rosters); a household follow-up's visit may have raised a
  service request, a flow of its own, and its next node is a timer already running.

The review task is cancelled, the step undone and revived (a new task, given back to its
actor with the old deadline), all under the process's lock, with an audit event ``step.undo``
on the household besides viewflow's own transitions (cancel, undo, revive, assign).
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from casework import permissions
from casework.audit.context import acting
from casework.audit.services import audit_record
from casework.cases import services as case_services
from casework.registry.models import Household

from .flows import HouseholdFlow, MemberAssessmentFlow
from .models import MemberAssessmentProcess, TaskDeadline
from .records import STEP_ASSESSMENTS, step_assessments, task_deadline_set
from .subjects import process_household_id


def _assessments_revert(actor: User, process: Any, task: Task, *, colour: bool) -> None:
    """Withdraw exactly the assessments the step recorded (and with ``colour`` put back the
    three-colour label it set)."""
    case_services.assessments_withdraw(
        actor=actor,
        household_case=process.household_case,
        assessment_pks=step_assessments(task) or [],
        colour_since=(task.started or task.created) if colour else None,
    )


def _household_assessment_revert(actor: User, process: Any, task: Task) -> None:
    _assessments_revert(actor, process, task, colour=True)


def _member_assessment_revert(actor: User, process: Any, task: Task) -> None:
    _assessments_revert(actor, process, task, colour=False)


def _member_flow_refusal(task: Task) -> str | None:
    """The household's step reopened would assess every current member again, beside a member's
    own flow: refused while any member of the household is assessed in a flow of their own."""
    running = MemberAssessmentProcess.objects.filter(
        household_case__processes=task.process_id, status=PROCESS.NEW
    )
    if running.exists():
        return _(
            "A member of this household is being assessed in a flow of their own, so the "
            "household's assessment can no longer be undone."
        )
    return None


# The undoable steps and how each puts its business data back.
UNDOABLE: dict[Any, Callable[[User, Any, Task], None]] = {
    HouseholdFlow.assess: _household_assessment_revert,
    MemberAssessmentFlow.assess: _member_assessment_revert,
}
# Undoable steps held back while something else runs, and why.
HELD_BACK: dict[Any, Callable[[Task], str | None]] = {
    HouseholdFlow.assess: _member_flow_refusal,
}


def household_of(task: Task) -> Household | None:
    """The household the task's process is about."""
    household_id = process_household_id(task.process_id)
    return None if household_id is None else Household.objects.filter(pk=household_id).first()


def _refusal(user: User, task: Task) -> str | None:
    """Why ``user`` may not undo ``task`` now, or None if they may."""
    if (
        task.flow_task not in UNDOABLE
        or task.status != STATUS.DONE
        or step_assessments(task) is None  # done from code: what it wrote is not known
    ):
        return _("This step cannot be undone.")
    household = household_of(task)
    if household is None or not permissions.may_undo_step(
        user, owner_id=task.owner_id, household=household
    ):
        return _("Only whoever completed this step may undo it.")
    leading = list(task.leading.all())
    if not leading or any(t.status != STATUS.NEW or t.owner_id for t in leading):
        return _("The next step has already been taken, so this one can no longer be undone.")
    held_back = HELD_BACK.get(task.flow_task)
    return held_back(task) if held_back is not None else None


def may_undo(user: User, task: Task) -> bool:
    """May ``user`` undo ``task`` now (it is theirs, undoable, and the next step is free)?"""
    return _refusal(user, task) is None


def undoable_tasks(user: User, tasks: list[Task]) -> set[int]:
    """The pks of those ``tasks`` (done steps of one process) that ``user`` may undo now."""
    return {
        task.pk
        for task in tasks
        if task.flow_task in UNDOABLE and task.owner_id == user.pk and may_undo(user, task)
    }


def step_undo(*, actor: User, task: Task) -> Task:
    """Undo ``task`` for ``actor``: cancel the untaken next step, revert the step's data, undo
    and revive the step; returns the new task, assigned to ``actor``."""
    with transaction.atomic(), acting(actor), task.activation() as activation:
        if (refusal := _refusal(actor, task)) is not None:
            raise PermissionDenied(refusal)
        leading = list(task.leading.all())
        for next_task in leading:
            next_task.flow_task.activation_class(next_task).cancel()
        UNDOABLE[task.flow_task](actor, activation.process, task)
        activation.undo()
        new_task = activation.revive()
        new_task.data = {k: v for k, v in (new_task.data or {}).items() if k != STEP_ASSESSMENTS}
        new_task.save()
        new_task.flow_task.activation_class(new_task).assign(actor)
        old_deadline = TaskDeadline.objects.filter(task=task).first()
        if old_deadline is not None:
            task_deadline_set(task=new_task, due_at=old_deadline.due_at)
        household = household_of(task)
        audit_record(
            actor=actor,
            action="step.undo",
            obj=household,
            household_id=household.pk if household else None,
            # Titles, as people call the steps; the tasks themselves are in viewflow's own
            # transitions (task.cancel, task.undo, task.revive), recorded besides.
            changes={
                "step": (None, str(task.flow_task.task_title)),
                "cancelled": (None, [str(t.flow_task.task_title) for t in leading]),
            },
        )
    return new_task
