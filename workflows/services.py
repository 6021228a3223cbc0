"""Starting flows, escalating overdue tasks and the scheduler's tick."""

import logging
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import get_users_with_perms
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.timers import fire_due_timers
from viewflow.workflow.token import Token

from casework.audit.context import acting
from casework.audit.services import PendingEvent, audit_record, audit_record_many
from casework.cases.models import HouseholdCase
from casework.cases.services import household_case_open
from casework.registry.models import Grid, Household

from .models import EmploymentProcess, HouseholdProcess, Notification, TaskDeadline
from .subjects import process_household_id

logger = logging.getLogger(__name__)
OPEN_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
BATCH = 2000


def household_flow_start(*, actor: AbstractBaseUser | None, household: Household) -> Any:
    """Open the household's case and start its HouseholdFlow at the assessment step."""
    from .flows import HouseholdFlow

    with transaction.atomic(), acting(actor):
        household_case = household_case_open(actor=actor, household=household)
        return HouseholdFlow.start.run(household_case=household_case)


def household_flows_start_bulk(
    *, actor: AbstractBaseUser | None, households: Sequence[Household]
) -> list[HouseholdProcess]:
    """``household_flow_start`` for many new households at once (a ledger import).

    Writes what the one-by-one start writes — the open case and its event, the process, the
    finished start task with its ``process.start`` event, the assessment step with its
    permission on the household's grid and its deadline — in a few bulk statements instead of
    about thirty queries per household. ``tests/workflows/test_bulk_start.py`` holds the two
    paths to the same rows. Must run inside the caller's transaction.
    """
    from .flows import HouseholdFlow

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("household_flows_start_bulk must run inside a transaction")
    if not households:
        return []
    start, assess = HouseholdFlow.start, HouseholdFlow.assess
    owner_permission = assess.calc_owner_permission(None)
    if not isinstance(owner_permission, str) or assess._owner is not None:
        raise RuntimeError("The assessment step's permission or assignment has changed")
    grid_type = ContentType.objects.get_for_model(Grid)
    now = timezone.now()
    due_at = assess.due_at(None)
    token = Token("start")
    cases = HouseholdCase.objects.bulk_create(
        [HouseholdCase(household=household) for household in households], batch_size=BATCH
    )
    bases = Process.objects.bulk_create(
        [
            Process(flow_class=HouseholdFlow, status=PROCESS.NEW, created=now, data={})
            for _case in cases
        ],
        batch_size=BATCH,
    )
    # Django cannot bulk-create the child rows of a multi-table model: write them directly.
    table = HouseholdProcess._meta.db_table
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {qn(table)} ({qn('process_ptr_id')}, {qn('household_case_id')}) "  # noqa: S608 - names from the model
            "VALUES (%s, %s)",
            [(base.pk, case.pk) for base, case in zip(bases, cases, strict=True)],
        )
    started = Task.objects.bulk_create(
        [
            Task(
                process=base,
                flow_task=start,
                flow_task_type=start.task_type,
                status=STATUS.DONE,
                created=now,
                started=now,
                finished=now,
                token=token,
                data={},
            )
            for base in bases
        ],
        batch_size=BATCH,
    )
    steps = Task.objects.bulk_create(
        [
            Task(
                process=base,
                flow_task=assess,
                flow_task_type=assess.task_type,
                status=STATUS.NEW,
                created=now,
                token=token,
                owner_permission=owner_permission,
                owner_permission_content_type=grid_type,
                owner_permission_obj_pk=str(household.grid_id),
                data={},
            )
            for base, household in zip(bases, households, strict=True)
        ],
        batch_size=BATCH,
    )
    Task.previous.through.objects.bulk_create(
        [
            Task.previous.through(from_task_id=step.pk, to_task_id=first.pk)
            for step, first in zip(steps, started, strict=True)
        ],
        batch_size=BATCH,
    )
    TaskDeadline.objects.bulk_create(
        [TaskDeadline(task=step, due_at=due_at) for step in steps], batch_size=BATCH
    )
    events: list[PendingEvent] = []
    for household, case, first in zip(households, cases, started, strict=True):
        events.append(PendingEvent("household_case.open", case, household.pk))
        events.append(
            PendingEvent(
                "process.start",
                first,
                household.pk,
                {"status": (str(STATUS.NEW), str(STATUS.DONE))},
            )
        )
    audit_record_many(actor=actor, events=events)
    return [
        HouseholdProcess(process_ptr=base, household_case=case)
        for base, case in zip(bases, cases, strict=True)
    ]


def household_flow_start_on_registration(
    sender: Any, household: Household, actor: AbstractBaseUser | None, **kwargs: Any
) -> None:
    household_flow_start(actor=actor, household=household)


def household_flows_start_on_bulk_registration(
    sender: Any, households: Sequence[Household], actor: AbstractBaseUser | None, **kwargs: Any
) -> None:
    household_flows_start_bulk(actor=actor, households=households)


def post_vacancy_flow_start(sender: Any, vacancy: Any, actor: Any = None, **kwargs: Any) -> None:
    """Raise the caseworker's task to report a vacated post (inside the exit's transaction)."""
    from .flows import PostVacancyFlow

    with acting(actor):
        PostVacancyFlow.start.run(vacancy=vacancy)


def service_request_flow_start(
    sender: Any, service_request: Any, actor: Any = None, **kwargs: Any
) -> None:
    """Raise the caseworker's task for a concern from a visit (inside the visit's transaction)."""
    from .flows import ServiceRequestFlow

    with acting(actor):
        ServiceRequestFlow.start.run(service_request=service_request)


def households_without_process() -> Any:
    """Households registered before flows existed, or whose start failed (should be none)."""
    return Household.objects.exclude(
        pk__in=HouseholdProcess.objects.values("household_case__household_id")
    )


def _managers_of(task: Task) -> list[Any]:
    """Users who manage the site of the task's household."""
    from casework.registry.models import Site

    site = Site.objects.filter(grids__households=_household_id(task)).first()
    if site is None:
        return []
    return list(
        get_users_with_perms(
            site, only_with_perms_in=["manage_site"], with_superusers=False, with_group_users=True
        ).filter(is_active=True)
    )


def deadlines_escalate(now: Any = None) -> int:
    """Notify the owner and the site's managers of each open task past its deadline, once.

    Returns how many tasks were escalated.
    """
    now = now or timezone.now()
    overdue = (
        TaskDeadline.objects.filter(
            due_at__lt=now, escalated_at__isnull=True, task__status__in=OPEN_STATUSES
        )
        .select_related("task__owner")
        .order_by("due_at")
    )
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
            Notification.objects.get_or_create(recipient=user, task=task, defaults={"text": text})
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
    from casework.posts.services import post_terms_expire

    from .flows import EmploymentFlow

    cases = post_terms_expire()
    if cases:
        Task.objects.filter(
            process__in=EmploymentProcess.objects.filter(case__in=cases).values("pk"),
            flow_task=EmploymentFlow.wait_followup,
            status=STATUS.SCHEDULED,
        ).update(scheduled=timezone.now())
    return len(cases)


def scheduler_tick() -> tuple[int, int]:
    """One sweep: end expired post terms, fire due timers, then escalate overdue tasks.
    Returns the timers fired and the tasks escalated."""
    post_terms_close()
    fired = fire_due_timers()
    escalated = deadlines_escalate()
    return fired, escalated


def _TAKEOVER_STEPS() -> set[Any]:  # noqa: N802 - a constant, built once the flows load
    """Steps another role may complete over the owner's head: a trainer's class results."""
    from .flows import EmploymentFlow

    return {EmploymentFlow.training_outcome}


def task_complete(
    *,
    task: Task,
    actor: AbstractBaseUser,
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
    if authorised and flow_task not in _TAKEOVER_STEPS():
        raise ValueError(f"{flow_task} cannot be taken over")
    with transaction.atomic(), acting(actor):
        with task.activation() as activation:
            if task.status == STATUS.NEW:
                if not authorised and not flow_task.can_assign(actor, task):
                    raise PermissionDenied(_("You may not take this task."))
                activation.assign(actor)
            elif task.owner_id != actor.pk:
                if not authorised:
                    raise PermissionDenied(_("This task belongs to someone else."))
                activation.reassign(actor)
        task.refresh_from_db()
        with task.activation() as activation:
            activation.start(SimpleNamespace(user=actor))
            perform()
            activation.execute()


def course_results_complete(*, actor: AbstractBaseUser, course: Any, entries: list[Any]) -> int:
    """Record a whole class's results and move each trainee's flow on, in one transaction.

    Every row is checked first (one error lists every bad row; nothing is written then). Each
    result completes that trainee's 登记培训结果 step (passed → placement, otherwise →
    reassessment) as the trainer; rows already recorded are skipped, so a second submission
    changes nothing. Returns the number of results recorded.
    """
    from casework.training.models import Course
    from casework.training.services import course_results_check, training_result_apply

    from .flows import EmploymentFlow

    with transaction.atomic():
        # One class at a time: a second submission waits here, then finds the results recorded.
        Course.objects.select_for_update().filter(pk=course.pk).first()
        todo = course_results_check(actor=actor, course=course, entries=entries)
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
                perform=lambda e=enrolment, n=entry, r=rate: training_result_apply(
                    actor=actor, enrolment=e, entry=n, rate=r
                ),
                authorised=True,
            )
    return len(todo)
