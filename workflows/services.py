"""Starting flows, escalating overdue tasks and the scheduler's tick."""

import logging
from collections.abc import Callable
from functools import partial
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS
from viewflow.workflow.timers import fire_due_timers

from casework import permissions
from casework.audit.context import acting
from casework.audit.services import audit_record
from casework.cases.services import household_case_open
from casework.monitoring.models import EliminationProposal
from casework.pairing.models import ServiceRequest
from casework.posts.models import PostVacancy
from casework.posts.services import post_terms_expire
from casework.registry.models import Household, Site
from casework.training import services as training_services
from casework.training.models import Course

from .flows import (
    EmploymentFlow,
    HouseholdFlow,
    MemberAssessmentFlow,
    PostVacancyFlow,
    RiskEliminationFlow,
    ServiceRequestFlow,
)
from .models import (
    OPEN_STATUSES,
    EmploymentProcess,
    HouseholdProcess,
    Notification,
    PostVacancyProcess,
    RiskEliminationProcess,
    ServiceRequestProcess,
    TaskDeadline,
)
from .records import completion_held, step_assessments_note
from .selectors import deadlines_to_escalate
from .subjects import process_household_id

logger = logging.getLogger(__name__)


def household_flow_start(*, actor: User | None, household: Household) -> HouseholdProcess:
    """Open the household's case and start its HouseholdFlow at the assessment step."""
    with transaction.atomic(), acting(actor):
        household_case = household_case_open(actor=actor, household=household)
        return HouseholdFlow.start.run(household_case=household_case)


def post_vacancy_flow_start(*, actor: User | None, vacancy: PostVacancy) -> PostVacancyProcess:
    """Raise the caseworker's task to report a vacated post (inside the exit's transaction)."""
    with acting(actor):
        return PostVacancyFlow.start.run(vacancy=vacancy)


def service_request_flow_start(
    *, actor: User | None, service_request: ServiceRequest
) -> ServiceRequestProcess:
    """Raise the caseworker's task for a concern from a visit (inside the visit's transaction)."""
    with acting(actor):
        return ServiceRequestFlow.start.run(service_request=service_request)


def risk_elimination_flow_start(
    *, actor: User | None, proposal: EliminationProposal
) -> RiskEliminationProcess:
    """Start the review of a risk-elimination proposal (inside the proposal's transaction)."""
    with acting(actor):
        return RiskEliminationFlow.start.run(proposal=proposal)


def households_without_process() -> Any:
    """Households registered before flows existed, or whose start failed (should be none)."""
    return Household.objects.exclude(
        pk__in=HouseholdProcess.objects.values("household_case__household_id")
    )


def _managers_of(task: Task) -> list[Any]:
    """Users who manage the site of the task's household."""
    site = Site.objects.filter(grids__households=_household_id(task)).first()
    return [] if site is None else list(permissions.site_managers(site))


def deadlines_escalate(now: Any = None) -> int:
    """Notify the owner and the site's managers of each open task past its deadline, once.

    Returns how many tasks were escalated.
    """
    now = now or timezone.now()
    overdue = deadlines_to_escalate(now).select_related("task__owner")
    count = 0
    for deadline in overdue:
        try:
            count += _escalate(deadline, now)
        except Exception:  # noqa: BLE001 - one broken task must not block the sweep
            logger.exception("Escalation of task %s failed", deadline.task_id)
    return count


def _escalate(deadline: TaskDeadline, now: Any) -> int:
    with transaction.atomic():
        # Re-read under a row lock: a second scheduler must not escalate it again, and a task
        # finished meanwhile is no longer late.
        locked = (
            TaskDeadline.objects.select_for_update(of=("self",))
            .filter(pk=deadline.pk, escalated_at__isnull=True, task__status__in=OPEN_STATUSES)
            .first()
        )
        if locked is None:
            return 0
        task = deadline.task
        recipients = {user.pk: user for user in _managers_of(task)}
        if task.owner_id:
            recipients[task.owner_id] = task.owner
        text = _("Overdue since %(due)s: %(task)s (#%(process)s)") % {
            "due": timezone.localtime(deadline.due_at).date().isoformat(),
            "task": task.flow_task.task_title,
            "process": task.process_id,
        }
        for user in recipients.values():
            Notification.objects.get_or_create(
                recipient=user,
                task=task,
                kind=Notification.Kind.OVERDUE,
                defaults={"text": text},
            )
        locked.escalated_at = now
        locked.save(update_fields=["escalated_at"])
        audit_record(
            actor=None,
            action="task.escalate",
            obj=task,
            household_id=_household_id(task),
            changes={"escalated_at": (None, now)},
        )
    return 1


def _household_id(task: Task) -> int | None:
    return process_household_id(task.process_id)


def post_terms_close() -> int:
    """End the public-welfare posts whose term is over and wake each member's flow at once, so
    that their caseworker gets the reassessment (renewal or another route) now."""
    cases = post_terms_expire()
    if cases:
        followups_wake(cases)
    return len(cases)


def followups_wake(cases: Any) -> int:
    """Fire the waiting retention follow-up (or the wait for a post's start) of each case's
    flow at the next sweep: its work ended (a post's term, an exit), so the flow routes the
    case afresh. Returns the timers moved."""
    return Task.objects.filter(
        process__in=EmploymentProcess.objects.filter(case__in=cases).values("pk"),
        flow_task__in=[EmploymentFlow.wait_followup, EmploymentFlow.wait_post_start],
        status=STATUS.SCHEDULED,
    ).update(scheduled=timezone.now())


def scheduler_tick(*, escalate: bool = True) -> tuple[int, int]:
    """One sweep: end expired post terms, fire due timers, then escalate overdue tasks (unless
    ``escalate`` is false: ``run_scheduler`` leaves the notices to a worker's task,
    ``workflows.tasks.deadlines_escalate_task``). Returns the timers fired and the tasks
    escalated."""
    post_terms_close()
    fired = fire_due_timers()
    escalated = deadlines_escalate() if escalate else 0
    return fired, escalated


# Steps whose service returns the assessments it recorded: the task keeps them for an undo.
ASSESSMENT_STEPS = frozenset({HouseholdFlow.assess, MemberAssessmentFlow.assess})
# Steps another role may complete over the owner's head: a trainer's class results.
TAKEOVER_STEPS = frozenset({EmploymentFlow.training_outcome})


def task_complete(
    *,
    task: Task,
    actor: User,
    perform: Callable[[], Any],
    authorised: bool = False,
) -> None:
    """Do a human task from code as ``actor``, with the checks of the task pages.

    Takes the task if it is free (the actor needs its permission), runs ``perform`` (one
    service call), completes the task and routes the flow — all in one transaction. Used by
    bulk work (class results, demo data) where nobody opens the task page.

    ``authorised=True`` is for callers that have checked a right of their own (a trainer
    recording their class's results): the task is then taken over from whoever holds it.
    """
    flow_task = task.flow_task
    if authorised and flow_task not in TAKEOVER_STEPS:
        raise ValueError(f"{flow_task} cannot be taken over")
    with transaction.atomic(), acting(actor), completion_held():
        # One activation (one lock, one read of the task and its process) takes the task and
        # does it.
        with task.activation() as activation:
            if task.status == STATUS.NEW:
                if not authorised and not flow_task.can_assign(actor, task):
                    raise PermissionDenied(_("You may not take this task."))
                activation.assign(actor)
            elif task.owner_id != actor.pk:
                if not authorised:
                    raise PermissionDenied(_("This task belongs to someone else."))
                activation.reassign(actor)
            activation.start(SimpleNamespace(user=actor))
            result = perform()
            if flow_task in ASSESSMENT_STEPS:  # kept for an undo, as the step's page does
                assessments = result if isinstance(result, list) else [result]
                step_assessments_note(task=task, assessments=assessments)
            activation.execute()


def course_results_complete(*, actor: User, course: Any, entries: list[Any]) -> int:
    """Record a whole class's results and move each trainee's flow on, in one transaction.

    Every row is checked first (one error lists every bad row; nothing is written then). Each
    result completes that trainee's 登记培训结果 step (passed → placement, otherwise →
    reassessment) as the trainer; rows already recorded are skipped, so a second submission
    changes nothing. Returns the number of results recorded.
    """
    with transaction.atomic():
        # One class at a time: a second submission waits here, then finds the results recorded.
        Course.objects.select_for_update().filter(pk=course.pk).first()
        todo = training_services.course_results_check(actor=actor, course=course, entries=entries)
        open_steps = {
            task.process_id: task
            for task in Task.objects.filter(
                flow_task=EmploymentFlow.training_outcome,
                status__in=OPEN_STATUSES,
                process__in=EmploymentProcess.objects.filter(
                    case__in=[e.case_id for e, _entry, _rate in todo]
                ).values("pk"),
            )
        }
        process_of_case = dict(
            EmploymentProcess.objects.filter(
                case__in=[e.case_id for e, _entry, _rate in todo]
            ).values_list("case_id", "pk")
        )
        for enrolment, entry, rate in todo:
            task = open_steps.get(process_of_case.get(enrolment.case_id))
            if task is None:
                raise ValidationError(
                    {str(enrolment.pk): [_("The trainee's case is not waiting for a result.")]}
                )
            task_complete(
                task=task,
                actor=actor,
                perform=partial(
                    training_services.training_result_apply,
                    actor=actor,
                    enrolment=enrolment,
                    entry=entry,
                    rate=rate,
                ),
                authorised=True,
            )
    return len(todo)
