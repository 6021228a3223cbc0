"""The flows' own bookkeeping writes: each human step's deadline, and an audit event for each
task transition. The node activations and the transition hook (``workflows.handlers``) call
these services; they sit below ``workflows.flows`` so that the nodes may import them.
"""

import datetime
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from itertools import groupby
from typing import Any, NamedTuple

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Subquery
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from casework.audit.services import (
    PendingEvent,
    audit_appends_deferred,
    audit_chain_held,
    audit_record,
    audit_record_many,
)
from casework.audit.tail import markers_standing, rollback_marker
from casework.policy.params import params_memoised

from .locks import HOUSEHOLD, locked_process
from .models import ProcessScope, TaskDeadline
from .subjects import process_household_id, process_household_ids

# Set on a task as it is released (``task_release``): who held it.
RELEASED_FROM = "_casework_released_from"

# Transitions recorded for any node, by the activation method's name.
_ANY_NODE = {
    "assign": "task.assign",
    "unassign": "task.unassign",
    "reassign": "task.reassign",
    "cancel": "task.cancel",
    "undo": "task.undo",
    "revive": "task.revive",
}
# Completion (→ DONE), by the node's task type; gateways and function nodes are routing, and
# their effects are recorded by the services they call.
_COMPLETED = {
    "HUMAN": "task.execute",
    "START": "process.start",
    "HUMAN_START": "process.start",
    "TIMER": "task.timer_fired",
    "END": "process.finish",
}


class _Collected(NamedTuple):
    """A task transition of a bulk action, waiting for the action's end."""

    actor: User | None
    process_id: int
    event: PendingEvent
    marker: Callable[[], None]  # pending while the savepoint it was made in stands


# Set while an administrative bulk action runs (a departing colleague's tasks handed on, a
# moved household's steps released): its task transitions are collected here and written
# together when it ends.
_collected: ContextVar[list[_Collected] | None] = ContextVar(
    "workflows_transitions_collected", default=None
)


@contextmanager
def transitions_collected() -> Iterator[None]:
    """Inside the block, task transitions are not recorded one by one: when the block ends
    without an error they are appended in one bulk write, an event per transition with its
    household, as ``task_transition_record`` records each alone. Each task's history (who held
    it when: the month-end figures read it) and each household's stay whole; the caller adds
    its action's summary event.

    Inside the caller's transaction (refused outside one: the steps would commit one by one
    and their events never be written). A transition whose savepoint is rolled back inside
    the block is not written (Django drops the ``on_commit`` callbacks of a rolled-back
    savepoint; each transition registers a no-op one, as ``casework.audit.tail`` does), so,
    as there, only savepoints taken with ``atomic()`` count: one taken by hand would not be
    seen (``tests/audit/test_chain_held.py`` refuses any in the project). A block inside
    another adds to the outer one's, so the transitions stay in order; they are written when
    the outer block ends."""
    if _collected.get() is not None:
        yield
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transitions_collected must be used inside a transaction")
    bucket: list[_Collected] = []
    token = _collected.set(bucket)
    try:
        yield
        _collected_write(bucket)
    finally:
        _collected.reset(token)


def _collected_write(bucket: list[_Collected]) -> None:
    """The collected transitions that still stand, in order: their households read in one
    query, one bulk append per run of the same actor."""
    standing = markers_standing()
    kept = [entry for entry in bucket if id(entry.marker) in standing]
    if not kept:
        return
    households = process_household_ids(entry.process_id for entry in kept)
    for actor, run in groupby(kept, key=lambda entry: entry.actor):
        audit_record_many(
            actor=actor,
            events=[
                replace(entry.event, household_id=households.get(entry.process_id)) for entry in run
            ],
        )


# Set inside ``completion_held``: the household of each process whose transitions were recorded.
_household_ids: ContextVar[dict[int, int | None] | None] = ContextVar(
    "workflows_household_ids", default=None
)


@contextmanager
def completion_held() -> Iterator[None]:
    """One step done as one unit of work (its service, its completion and the routing after
    it): its audit events appended together at its end (so the chain's lock is held from
    there to the commit, not through the whole step), each policy parameter read once and
    each process's household looked up once. Nothing in a completion moves a household,
    changes a parameter or reads back the events it records; inside a transaction."""
    token = _household_ids.set({}) if _household_ids.get() is None else None
    try:
        with audit_chain_held(), audit_appends_deferred(), params_memoised():
            yield
    finally:
        if token is not None:
            _household_ids.reset(token)


def _household_id(process_pk: int) -> int | None:
    memo = _household_ids.get()
    if memo is not None and process_pk in memo:
        return memo[process_pk]
    # A process locked for this step was read with its household (``workflows.locks``).
    locked = locked_process(Process, process_pk)
    found = getattr(locked, HOUSEHOLD) if locked is not None else process_household_id(process_pk)
    if memo is not None:
        memo[process_pk] = found
    return found


def transition_action(name: str, task_type: str, target: Any) -> str | None:
    """The audit action for a transition, or None when it is not recorded."""
    if name in _ANY_NODE:
        return _ANY_NODE[name]
    if name == "complete" and target == STATUS.DONE:
        return _COMPLETED.get(task_type)
    return None


def task_deadline_set(*, task: Task, due_at: datetime.datetime) -> TaskDeadline:
    """Record when a human step is due (限时办结), with the grid of its household while it is
    open (``TaskDeadline.open_grid``), taken from its process's scope keys in the same insert.
    The returned deadline reads that grid again if asked for it."""
    grid = ProcessScope.objects.filter(process_id=task.process_id).values("grid_id")[:1]
    deadline = TaskDeadline.objects.create(task=task, due_at=due_at, open_grid_id=Subquery(grid))
    deadline.__dict__.pop("open_grid_id")  # the subquery, not its value: read on demand
    return deadline


_DEADLINE_CLOSED = "_casework_deadline_closed"


def task_deadline_close(task: Task) -> None:
    """A human step has closed (done, cancelled): its deadline leaves the overdue index. Once
    per task object: viewflow's completion is two nested transitions that both close it."""
    if task.__dict__.get(_DEADLINE_CLOSED):
        return
    TaskDeadline.objects.filter(task_id=task.pk, open_grid__isnull=False).update(open_grid=None)
    task.__dict__[_DEADLINE_CLOSED] = True


def task_release(task: Task) -> None:
    """Release a step (viewflow's unassign: no owner), keeping on the task who held it for the
    transition's audit event: the one releasing may be another (a household's move)."""
    setattr(task, RELEASED_FROM, task.owner.get_username() if task.owner_id else None)
    task.owner = None
    task.save()


def task_transition_record(
    *, actor: User | None, task: Task, name: str, source: Any, target: Any
) -> None:
    """Record the transition ``name`` (an activation method) of ``task`` from ``source`` to
    ``target``, if it is one that is recorded (see ``transition_action``)."""
    action = transition_action(name, task.flow_task_type, target)
    if action is None:
        return
    changes: dict[str, tuple[Any, Any]] = {"status": (str(source), str(task.status))}
    if action in ("task.assign", "task.reassign"):
        changes["owner"] = (None, task.owner.get_username() if task.owner_id else None)
    released_from = getattr(task, RELEASED_FROM, None)
    if action == "task.unassign" and released_from is not None:
        changes["owner"] = (released_from, None)  # who held it (the actor may be another)
    bucket = _collected.get()
    if bucket is not None:
        event = PendingEvent(action, task, None, changes)
        bucket.append(_Collected(actor, task.process_id, event, rollback_marker()))
        return
    if actor is None and action == "task.execute" and task.owner_id:
        actor = task.owner  # a human step done from code outside any request or service
    # In the transition's own transaction, without a savepoint of its own: the event fails or
    # commits with the transition (two round trips fewer per recorded transition).
    with transaction.atomic(savepoint=False):
        audit_record(
            actor=actor,
            action=action,
            obj=task,
            household_id=_household_id(task.process_id),
            changes=changes,
        )


# The key of a step's task data under which it keeps the assessments it recorded.
STEP_ASSESSMENTS = "assessments"


def step_assessments_note(*, task: Task, assessments: Iterable[Any]) -> None:
    """Keep on the step's task which assessments it recorded (saved with the task as it
    completes), so that undoing the step withdraws exactly these and nothing else."""
    task.data = {**(task.data or {}), STEP_ASSESSMENTS: sorted(a.pk for a in assessments)}


def step_assessments(task: Task) -> list[int] | None:
    """The assessments the step recorded, or None for a step completed without that note
    (from code, or before steps kept it)."""
    recorded = (task.data or {}).get(STEP_ASSESSMENTS)
    return None if recorded is None else [int(pk) for pk in recorded]
