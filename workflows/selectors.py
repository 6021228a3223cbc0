"""Reads of the workflow layer for pages composed above it: a user's own work for the
workbench (their tasks and notifications, counted) and the members being assessed alone."""

import datetime
import functools
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from casework import permissions
from casework.permissions import PersonalData, User
from casework.policy.params import param
from casework.registry.models import Household

from . import subjects
from .flows import FLOWS
from .models import MemberAssessmentProcess, Notification, TaskDeadline
from .scoping import in_scope


@dataclass(frozen=True)
class WorkbenchCounts:
    """The user's open tasks (their inbox), those past their deadline, those due within
    ``due_soon_days`` days (``workbench.due_soon_days``), and their unread notifications."""

    open: int
    overdue: int
    due_soon: int
    unread: int
    due_soon_days: int


def may_use_workflows(user: User) -> bool:
    """May the user open the casework lists at all (viewflow's view right on some flow)?"""
    return any(flow_class.instance.has_view_permission(user) for flow_class in FLOWS)


@functools.cache
def step_refs(flow_classes: tuple[Any, ...]) -> tuple[str, ...]:
    """Every step of ``flow_classes`` as the tasks' ``flow_task`` column holds it."""
    return tuple(
        get_task_ref(node) for flow_class in flow_classes for node in flow_class.instance.nodes()
    )


def tasks_of_flows(flow_classes: Any, user: User) -> QuerySet[Task]:
    """The tasks of the flows the user may view: viewflow's ``filter_available``, told by the
    task's own step (``flow_task``, which names its flow) instead of a join to every process
    for its flow class, so that a list starts from the user's scope keys and reads only their
    processes' tasks. A step renamed or removed from a flow would leave its tasks out of the
    lists: consistency check ``steps_unknown`` names any such task."""
    flows = tuple(f for f in flow_classes if f.instance.has_view_permission(user))
    return Task.objects.filter(flow_task__in=step_refs(flows))


def inbox_of(flow_classes: Any, user: User) -> QuerySet[Task]:
    """viewflow's inbox (the tasks assigned to the user), of ``tasks_of_flows``."""
    return tasks_of_flows(flow_classes, user).filter(owner=user, status=STATUS.ASSIGNED)


def archive_of(flow_classes: Any, user: User) -> QuerySet[Task]:
    """viewflow's archive (the tasks the user finished), of ``tasks_of_flows``."""
    return tasks_of_flows(flow_classes, user).filter(owner=user, finished__isnull=False)


def inbox_tasks(user: User) -> QuerySet[Task]:
    """The tasks assigned to the user, in their jurisdiction: the rows of their inbox."""
    return in_scope(inbox_of(FLOWS, user), user)


def with_subject(tasks: QuerySet) -> QuerySet:
    """Annotate each task with its household, its head (name, number to call), member and due
    date: one query for any page."""
    scope = subjects.task_scope_expression
    return tasks.annotate(
        wf_household_id=scope("household_id"),
        wf_household=scope("household__number"),
        wf_member=scope("member__name"),
        wf_due=F("deadline__due_at"),
    ).annotate(
        wf_head=subjects.head_expression("name"),
        wf_phone=subjects.call_number_expression(scope("household__phone")),
    )


def due_first(tasks: QuerySet) -> QuerySet:
    """Earliest deadline first, so overdue work leads; tasks without one last."""
    return tasks.order_by(F("wf_due").asc(nulls_last=True), "-created", "-pk")


@dataclass(frozen=True)
class TaskCard:
    """One of the user's next tasks as the workbench shows it (the head's phone masked)."""

    url: str
    title: str
    household_id: int | None
    household: str
    head: str
    phone: str
    member: str
    due: datetime.datetime | None
    overdue: bool
    # For a free task: viewflow's assign URL, POSTed with ``_continue`` to take it and open its
    # form in one step (认领并办理).
    claim_url: str = ""


def queue_of(flow_classes: Any, user: User) -> QuerySet[Task]:
    """viewflow's queue (free tasks whose step permission the user holds), with the free tasks
    of the grids the user covers today for an absent colleague (``permissions``)."""
    available = tasks_of_flows(flow_classes, user)
    # viewflow's queue narrowing (the step permissions the user holds), read from indexes.
    queue = available.filter(
        permissions.step_permission_q(user), flow_task_type="HUMAN", status=STATUS.NEW
    )
    covered = [str(pk) for pk in permissions.grids_covered_by(user).values_list("pk", flat=True)]
    if not covered:
        return queue
    substituted = Task.objects.filter(
        flow_task_type="HUMAN",
        status=STATUS.NEW,
        owner_permission=permissions.WORK_GRID,
        owner_permission_obj_pk__in=covered,
    )
    return available.filter(Q(pk__in=queue.values("pk")) | Q(pk__in=substituted.values("pk")))


def queue_tasks(user: User) -> QuerySet[Task]:
    """The free tasks the user may take, in their jurisdiction: the rows of their queue."""
    return in_scope(queue_of(FLOWS, user), user)


def _cards(tasks: QuerySet[Task], limit: int, *, claim: bool) -> list[TaskCard]:
    now, shown = timezone.now(), PersonalData()
    return [
        TaskCard(
            url=task.flow_task.reverse("index", args=[task.process_id, task.pk]),
            title=str(task.flow_task.task_title),
            household_id=task.wf_household_id,
            household=task.wf_household or "",
            head=task.wf_head or "",
            phone=shown.phone(task.wf_phone or ""),
            member=task.wf_member or "",
            due=task.wf_due,
            overdue=task.wf_due is not None and task.wf_due < now,
            claim_url=(
                task.flow_task.reverse("assign", args=[task.process_id, task.pk]) if claim else ""
            ),
        )
        for task in due_first(with_subject(tasks))[:limit]
    ]


def next_tasks(user: User, limit: int = 5) -> list[TaskCard]:
    """The user's first ``limit`` inbox tasks, earliest deadline first: one query."""
    return _cards(inbox_tasks(user), limit, claim=False)


def claimable_tasks(user: User, limit: int = 3) -> list[TaskCard]:
    """The first ``limit`` free tasks of the user's queue, earliest deadline first, each
    offered to be taken and done from the workbench: one query."""
    return _cards(queue_tasks(user), limit, claim=True)


def unread_notifications(user: User) -> QuerySet[Notification]:
    """The user's notifications not yet opened."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def workbench_counts(user: User, now: datetime.datetime | None = None) -> WorkbenchCounts:
    """The user's counts for the workbench: two queries whatever their number (once the
    user's permissions are loaded)."""
    now = now or timezone.now()
    due_soon_days = int(param("workbench.due_soon_days", on=timezone.localdate(now)))
    soon = now + datetime.timedelta(days=due_soon_days)
    tasks = (
        inbox_tasks(user)
        .order_by()
        .aggregate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(deadline__due_at__lt=now)),
            due_soon=Count("pk", filter=Q(deadline__due_at__gte=now, deadline__due_at__lt=soon)),
        )
    )
    return WorkbenchCounts(
        open=tasks["open"],
        overdue=tasks["overdue"],
        due_soon=tasks["due_soon"],
        unread=unread_notifications(user).count(),
        due_soon_days=due_soon_days,
    )


def member_assessments_running(household: Household) -> list[MemberAssessmentProcess]:
    """The household's members being assessed on their own (joined after its assessment)."""
    return list(
        MemberAssessmentProcess.objects.filter(
            household_case__household=household, status=PROCESS.NEW
        )
        .select_related("member")
        .order_by("pk")
    )


def deadlines_to_escalate(now: datetime.datetime | None = None) -> QuerySet[TaskDeadline]:
    """The deadlines passed whose open task has not been escalated yet, earliest first."""
    return TaskDeadline.objects.filter(
        due_at__lt=now or timezone.now(),
        escalated_at__isnull=True,
        task__status__in=(STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED),
    ).order_by("due_at")
