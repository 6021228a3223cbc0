"""Writing the scope keys of workflow processes: when a process starts, when many start at once,
when a household moves to another grid, and a rebuild that puts every row right.

The keys copy what the subject of each process already says (``workflows.subjects``): the
household, its grid and the grid's site; and the process's own flow. They never decide
anything on their own; a key that disagreed with its subject would show a process to the wrong
grid, so every path that changes what they copy rewrites them in the same transaction, and
``process_scopes_check`` (run by the consistency check) reports any row that disagrees.

The deadline of each open step carries the same grid (``TaskDeadline.open_grid``, for the
overdue lists): it follows the household here, and the rebuild files it again from the keys.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import CharField, Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from casework import permissions
from casework.audit.context import acting
from casework.audit.services import audit_record
from casework.permissions import MANAGE_SITE, WORK_GRID
from casework.registry.models import Grid, Household, Member

from ..locks import locked_households_moved
from ..models import OPEN_STATUSES, ProcessScope, TaskDeadline
from ..records import transitions_collected
from ..subjects import SUBJECTS, about_households, subject_for
from .selectors import (
    ScopeReport,
    deadline_keys_wrong,
    keys_missing,
    keys_of,
    keys_wrong,
    steps_offered_elsewhere,
)

BATCH = 5000
KEYS = ["household", "grid", "site", "member", "flow_class"]


def _rows(keys: Iterable[dict]) -> list[ProcessScope]:
    return [
        ProcessScope(
            process_id=row["pk"],
            household_id=row["wf_household"],
            grid_id=row["wf_grid"],
            site_id=row["wf_site"],
            member_id=row["wf_member"],
            flow_class=row["wf_flow"],
        )
        for row in keys
    ]


def _loaded(obj: Model, path: str) -> Any:
    """Follow ``path`` through the relations already loaded on ``obj`` (no query); None when
    one of them is not loaded."""
    for name in path.split("__"):
        field = obj._meta.get_field(name)
        if not getattr(field, "is_cached", None) or not field.is_cached(obj):  # type: ignore[union-attr]  # forward relations only
            return None
        obj = getattr(obj, name)
        if obj is None:
            return None
    return obj


def process_scope_record(process: Process) -> None:
    """Write the keys of a process that has just started (its subject is saved).

    A household's own process starts in the transaction that registered the household (or
    split it off), which nobody else can see yet (``Subject.with_new_household``): its keys are
    taken from the objects the start was given, without reading anything. Any other process is
    about a household that may be moving meanwhile: its row is locked first and the keys read
    after the lock, so that a move to another grid (``household_update`` locks the same row)
    committed meanwhile is seen, instead of keying the new process to the grid it has left."""
    entry = subject_for(type(process))
    household = _loaded(process, entry.household)
    if entry.with_new_household and household is not None:
        grid = _loaded(household, "grid")
        if grid is not None:
            ProcessScope.objects.create(
                process_id=process.pk, household_id=household.pk, grid_id=grid.pk,
                site_id=grid.site_id, member_id=None, flow_class=process.flow_class,
            )  # fmt: skip
            return
    keys = keys_of(type(process)).filter(pk=process.pk)
    if household is None:
        first = keys.first()
        if first is None:
            return
        household_id = first["wf_household"]
    else:
        household_id = household.pk
    list(Household.objects.select_for_update().filter(pk=household_id).values("pk"))
    ProcessScope.objects.bulk_create(_rows(keys), ignore_conflicts=True)


def process_scopes_record(started: Sequence[tuple[Process, Household]]) -> None:
    """Write the keys of many processes started at once (a ledger import), each given with
    its household: one query for the grids' sites, then bulk inserts."""
    grid_ids = {household.grid_id for _process, household in started}
    sites = dict(Grid.objects.filter(pk__in=grid_ids).values_list("pk", "site_id"))
    ProcessScope.objects.bulk_create(
        [
            ProcessScope(
                process_id=process.pk,
                household_id=household.pk,
                grid_id=household.grid_id,
                site_id=sites[household.grid_id],
                member_id=None,  # a household's own process
                flow_class=process.flow_class,
            )
            for process, household in started
        ],
        batch_size=BATCH,
    )


def household_processes_move(*, actor: User | None, household: Household, old_grid: Grid) -> None:
    """The household has moved from ``old_grid`` to its grid now (inside the move's
    transaction): its processes' keys follow it, its open steps are offered to the new grid's
    caseworkers (or site's manager) instead of the old ones, and a step held by someone who no
    longer sees the household is released for the new grid to take. One audit event
    ``household.tasks_move`` lists the steps moved and released, after each released step's
    own ``task.unassign`` event."""
    grid = household.grid
    ProcessScope.objects.filter(household=household).update(grid_id=grid.pk, site_id=grid.site_id)
    TaskDeadline.objects.filter(
        open_grid__isnull=False, task__process__scope__household=household
    ).update(open_grid=grid.pk)
    open_steps = Task.objects.filter(
        about_households(household, prefix="process__"),
        flow_task_type="HUMAN",
        status__in=(STATUS.NEW, STATUS.ASSIGNED),
    )
    keyed = {(WORK_GRID, old_grid.pk): grid.pk, (MANAGE_SITE, old_grid.site_id): grid.site_id}
    moved: list[list[object]] = []
    for (permission, old), new in keyed.items():
        steps = open_steps.filter(owner_permission=permission, owner_permission_obj_pk=str(old))
        moved += [[pk, str(title)] for pk, title in _titled(steps)]
        steps.update(owner_permission_obj_pk=str(new))
    released: list[list[object]] = []
    with acting(actor), transitions_collected():
        for step in open_steps.filter(status=STATUS.ASSIGNED).select_related("owner"):
            holder = step.owner
            if permissions.can(holder, "view", household):
                continue
            with step.activation() as activation:
                activation.unassign()
            released.append([step.pk, str(step.flow_task.task_title), holder.get_username()])
    if moved or released:
        audit_record(
            actor=actor,
            action="household.tasks_move",
            obj=household,
            household_id=household.pk,
            changes={"tasks": (None, moved), "released": (None, released)},
        )


def members_processes_move(*, members: Sequence[Member]) -> None:
    """Members have moved to another household (a split, 分户): the processes about them take
    their keys afresh from their subjects (an employment case follows the member; a member's
    assessment stays with the household that assessed them), inside the move's transaction."""
    for entry in SUBJECTS:
        if entry.member is None:
            continue
        theirs = keys_of(entry.process_class).filter(**{f"{entry.member}__in": members})
        rows = _rows(theirs)
        ProcessScope.objects.bulk_update(rows, KEYS, batch_size=BATCH)
        locked_households_moved({row.process_id: row.household_id for row in rows})
        _deadlines_follow(rows)


def _deadlines_follow(scopes: Sequence[ProcessScope]) -> None:
    """The open steps' deadlines of these processes take their grid as the keys now have it."""
    by_grid: dict[int, list[int]] = defaultdict(list)
    for scope in scopes:
        by_grid[scope.grid_id].append(scope.process_id)
    for grid_id, processes in by_grid.items():
        TaskDeadline.objects.filter(
            open_grid__isnull=False, task__process_id__in=processes
        ).exclude(open_grid=grid_id).update(open_grid=grid_id)


def _titled(steps: QuerySet[Task]) -> list[tuple[int, str]]:
    return [(step.pk, str(step.flow_task.task_title)) for step in steps.order_by("pk")]


def process_scopes_rebuild() -> ScopeReport:
    """Write the missing keys and correct the wrong ones; returns what was found."""
    missing = wrong = 0
    with transaction.atomic():
        for entry in SUBJECTS:
            rows = _rows(keys_missing(entry.process_class).iterator(chunk_size=BATCH))
            ProcessScope.objects.bulk_create(rows, batch_size=BATCH)
            missing += len(rows)
            fixes = _rows(keys_wrong(entry.process_class).iterator(chunk_size=BATCH))
            ProcessScope.objects.bulk_update(fixes, KEYS, batch_size=BATCH)
            wrong += len(fixes)
        steps = _steps_retarget()
        deadlines = _deadlines_rekey()
        if missing or wrong or steps or deadlines:
            audit_record(
                actor=None,
                action="process_scopes.rebuild",
                obj=None,
                household_id=None,
                changes={
                    "scope_missing": (None, missing),
                    "scope_wrong": (None, wrong),
                    "scope_steps": (None, steps),
                    "scope_deadlines": (None, deadlines),
                },
            )
    return ScopeReport(missing=missing, wrong=wrong, steps=steps, deadlines=deadlines)


def _deadlines_rekey() -> int:
    """Give each deadline the grid-while-open its step should have (``deadline_keys_wrong``):
    its process's grid while the step is open, none once it is closed; returns how many."""
    by_grid: dict[int | None, list[int]] = defaultdict(list)
    for pk, grid_id, status, kind in deadline_keys_wrong().values_list(
        "pk", "wf_grid", "task__status", "task__flow_task_type"
    ):
        still_open = status in OPEN_STATUSES and kind == "HUMAN"
        by_grid[grid_id if still_open else None].append(pk)
    for grid_id, pks in by_grid.items():
        TaskDeadline.objects.filter(pk__in=pks).update(open_grid=grid_id)
    return sum(len(pks) for pks in by_grid.values())


def _steps_retarget() -> int:
    """Offer each open step that is offered elsewhere to its household's grid or site (as
    its process's keys have it, once they are right); returns the number of steps."""
    count = 0
    for permission, key in ((WORK_GRID, "grid_id"), (MANAGE_SITE, "site_id")):
        theirs = ProcessScope.objects.filter(process_id=OuterRef("process_id")).values(key)[:1]
        elsewhere = steps_offered_elsewhere().filter(owner_permission=permission)
        count += Task.objects.filter(pk__in=list(elsewhere.values_list("pk", flat=True))).update(
            owner_permission_obj_pk=Cast(Subquery(theirs), CharField())
        )
    return count
