"""Which workflow processes a user may see: their households' processes, nothing else.

viewflow grants every flow page to holders of the model-level ``view_<process>`` permission and
never narrows that by object (reference/viewflow.md §2.3 trap 5). ``processes_visible_to`` ties
processes to the households the user may see (``casework.permissions.households_visible_to``):
by the scope keys each process carries (``workflows.models.ProcessScope``), looked up by the
user's grids and visited households, so its cost is the user's caseload, not the city's. The
mixin adds it to every object-level check of the flows, and the lists and the middleware use it.
"""

import datetime
from typing import Any

from django.db.models import F, Q, QuerySet
from viewflow.workflow.models import Process, Task

from casework import permissions
from casework.permissions import User

from .models import ProcessScope, TaskDeadline


def visible_process_ids(user: User) -> QuerySet:
    """The ids of the processes whose household the user may see, as a subquery
    (``process_id__in=`` on tasks, ``pk__in=`` on processes): those keyed to a grid the user
    works or a household they visit (``permissions.jurisdiction_seen``, read once per request).
    The ids are literal, so the database looks up the user's keys in the scope keys' indexes
    and knows how many rows it will get; viewflow itself would show every process to holders
    of the model-level permission."""
    keys = ProcessScope.objects.values("process_id")
    where = permissions.jurisdiction_seen(user)
    if where is None:
        return keys
    if not where.grid_ids and not where.household_ids:
        return keys.none()
    return keys.filter(
        Q(grid_id__in=sorted(where.grid_ids)) | Q(household_id__in=sorted(where.household_ids))
    )


def in_scope(queryset: QuerySet, user: User, field: str = "process_id") -> QuerySet:
    """``queryset`` (of tasks, or of processes with ``field="pk"``) narrowed to the processes
    the user may see; a superuser's is left whole rather than matched against every key."""
    if permissions.is_active_user(user) and user.is_superuser:
        return queryset
    return queryset.filter(**{f"{field}__in": visible_process_ids(user)})


def flow_processes_newest_first(user: User, flow_class: Any) -> QuerySet:
    """The ids of the processes of one flow the user may see, newest (highest number) first:
    read, counted and sorted in the index of the scope keys by grid and flow
    (``wf_scope_grid_flow``), without reading the processes themselves.

    Sorted on ``process_id + 0`` rather than the column: sorted on the column, PostgreSQL may
    walk the whole table backwards by primary key hoping to meet the user's rows soon, which at
    a city's size reads 800,000 rows when the user's county was registered first; an expression
    no index provides leaves it one plan, the user's own keys then a top-N sort of them."""
    keys = visible_process_ids(user).filter(flow_class=flow_class)
    return keys.order_by((F("process_id") + 0).desc()).values_list("process_id", flat=True)


def _overdue_limits(user: User) -> permissions.Jurisdiction | None:
    """The jurisdiction an overdue list is narrowed to; ``None`` for a user who sees every
    step (a superuser, a jurisdiction without limits)."""
    if permissions.is_active_user(user) and user.is_superuser:
        return None
    return permissions.jurisdiction_seen(user)


def overdue_in_scope(tasks: QuerySet, user: User, now: datetime.datetime) -> QuerySet:
    """``tasks`` narrowed to the steps past due ``now`` that the user may see: looked up in the
    deadlines' index of open steps by grid (``TaskDeadline.open_grid``) for the grids they
    work, and by their processes' keys for the households they visit. A county's overdue list
    then reads its grids' late entries, not the deadline of each of its open steps; the steps'
    own status and deadline are still what ``tasks`` filters on."""
    where = _overdue_limits(user)
    if where is None:
        return tasks
    # On the deadline the steps are joined to, not a subquery of deadlines: the planner then
    # starts from the grids' late entries and looks up their steps, rather than hashing every
    # open step of the city to match them.
    seen = Q(deadline__open_grid_id__in=sorted(where.grid_ids), deadline__due_at__lt=now)
    if where.household_ids:
        visited = ProcessScope.objects.filter(household_id__in=sorted(where.household_ids))
        seen |= Q(process_id__in=visited.values("process_id"))
    return tasks.filter(seen)


def overdue_deadlines_in_scope(user: User, now: datetime.datetime) -> QuerySet | None:
    """The deadlines of the steps ``overdue_in_scope`` lists (of every flow), read from the
    deadlines' index of open steps alone, to count them: a step is open exactly while its
    deadline names a grid (``records.task_deadline_close``; the consistency check
    ``scope.selectors.deadline_keys_wrong`` names any that disagree), so the steps
    themselves need not be read to say so. ``None`` for a user who visits households outside
    their grids: their steps are found by process, which only the steps know."""
    late = TaskDeadline.objects.filter(open_grid__isnull=False, due_at__lt=now)
    where = _overdue_limits(user)
    if where is None:
        return late
    if where.household_ids:
        return None
    return late.filter(open_grid_id__in=sorted(where.grid_ids))


def processes_visible_to(user: User) -> QuerySet[Process]:
    """Workflow processes whose household the user may see."""
    return in_scope(Process.objects.all(), user, "pk")


def process_visible(user: User, process_pk: object) -> bool:
    """May the user see the process with ``process_pk`` (and its tasks)?"""
    if not str(process_pk).isdigit():
        return False
    return in_scope(Process.objects.filter(pk=int(str(process_pk))), user, "pk").exists()


def task_visible(user: User, process_pk: object, task_pk: object) -> bool:
    """Is the task with ``task_pk`` a step of the process with ``process_pk``, which the user may
    see? One query, for a step's page: ``process_visible`` and the task's own check tell the two
    refusals apart when it says no."""
    if not (str(process_pk).isdigit() and str(task_pk).isdigit()):
        return False
    steps = Task.objects.filter(pk=int(str(task_pk)), process_id=int(str(process_pk)))
    return in_scope(steps, user).exists()


class ScopedFlowMixin:
    """Object-level checks of a flow also require the process's household in jurisdiction."""

    def has_view_permission(self, user: Any, obj: Any | None = None) -> bool:
        if not super().has_view_permission(user):  # type: ignore[misc]  # viewflow's Flow, next in the MRO
            return False
        return obj is None or process_visible(user, obj.pk)

    def has_manage_permission(self, user: Any, obj: Any | None = None) -> bool:
        if not super().has_manage_permission(user):  # type: ignore[misc]  # viewflow's Flow, next in the MRO
            return False
        return obj is None or process_visible(user, obj.pk)
