"""Flow nodes of this project: human steps with a deadline (限时办结)."""

import datetime
from typing import Any

from django.utils import timezone
from viewflow.workflow import flow
from viewflow.workflow.models import Task
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.status import STATUS

from casework import permissions
from casework.policy.params import DEFAULTS, param
from casework.policy.spec import WORKING_DAYS
from casework.policy.workdays import working_days_after

from .locks import locked_process
from .records import task_deadline_set, task_release, task_transition_record

_TASK_PROCESS = Task._meta.get_field("process")


class StepActivation(ViewActivation):
    def __init__(self, task: Any) -> None:
        """viewflow reads a task's process, then the flow's own process row joined to it: two
        queries for one row. Under the flow's lock the process is the row the lock read
        (``locks.locked_process``), whether the task's process was not loaded yet (a task read
        again under the lock) or loaded as viewflow's base row (a step's page). Otherwise a
        process not loaded yet is the flow's process class, read at once."""
        process_class = task.flow_task.flow_class.process_class
        if task.process_id is not None:
            cached = _TASK_PROCESS.get_cached_value(task, None)
            if not isinstance(cached, process_class):
                process = locked_process(process_class, task.process_id)
                if process is None and cached is None:
                    process = process_class._default_manager.get(pk=task.process_id)
                if process is not None:
                    task.process = process
        super().__init__(task)

    @classmethod
    def create(
        cls, flow_task: Any, prev_activation: Any, token: Any, data: Any = None, seed: Any = None
    ) -> Any:
        activation = super().create(flow_task, prev_activation, token, data=data, seed=seed)
        if activation.task.owner_id:  # assigned as it is made (no transition records that)
            task_transition_record(
                actor=None, task=activation.task, name="assign", source=STATUS.NEW,
                target=activation.task.status,
            )  # fmt: skip
        flow_task.on_created(activation)
        if flow_task.deadline_key:
            task_deadline_set(task=activation.task, due_at=flow_task.due_at(activation))
        return activation

    @ViewActivation.status.super()
    def unassign(self) -> None:
        """viewflow's release, keeping on the task who held it, for its audit event: a manager
        or a household's move may release someone else's step."""
        task_release(self.task)

    def prepare_revived_task(self, task: Any) -> None:
        """A revived step names the step's permission and its object as a new one would:
        viewflow's revive leaves them out, which would offer the task to no one's queue and
        let anyone take it. The object is the household's grid or site now, not the one the
        replaced task was keyed to: a household moved since its step was done takes the
        revived step to its new grid."""
        task.owner_permission = self.flow_task.calc_owner_permission(self)
        if task.owner_permission:
            task.owner_permission_obj = self.flow_task.calc_owner_permission_obj(self)


def step_due_at(
    created: datetime.datetime, days: int, *, working: bool = False
) -> datetime.datetime:
    """The end of the ``days``-th day (or ``working`` day: ``CalendarMissing`` when the
    working-day calendar lacks a year it reaches) after ``created``, local time."""
    start = timezone.localtime(created).date()
    if working:
        local = working_days_after(start, days)
    else:
        local = start + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(local, datetime.time.max))


class Step(flow.View):
    """A human task that must be done within the days of a policy parameter."""

    activation_class = StepActivation

    def __init__(self, view: Any, **kwargs: Any) -> None:
        super().__init__(view, **kwargs)
        self.deadline_key: str | None = None
        self.deadline_on: Any = None

    def Deadline(self, key: str, on: Any = None) -> "Step":  # noqa: N802 - viewflow's style
        """Due ``param(key)`` days after the task is created, or on the date ``on(activation)``
        gives (a promised date) when that is given."""
        if key not in DEFAULTS:  # fail at import time on an unknown parameter
            raise KeyError(f"Unknown policy parameter {key!r}")
        self.deadline_key, self.deadline_on = key, on
        return self

    def on_created(self, activation: Any) -> None:
        """What the step does as its task is created, in the flow's transaction (nothing
        here; a public notice's step puts the notice up)."""

    def can_assign(self, user: Any, task: Any) -> bool:
        """viewflow's check (the step's permission on its object, read from the task's keys as
        the queue reads it: ``permissions.holds_step_permission``), or a free task of a grid the
        user covers today for an absent colleague (``permissions.covers_grid``)."""
        if permissions.holds_step_permission(user, task):
            return True
        return (
            task.owner_id is None
            and task.owner_permission == permissions.WORK_GRID
            and permissions.covers_grid(user, task.owner_permission_obj_pk)
        )

    def due_at(self, activation: Any) -> datetime.datetime:
        if self.deadline_on is not None:
            day = self.deadline_on(activation)
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
        if self.deadline_key is None:
            raise ValueError(f"{self} has no deadline")
        working = DEFAULTS[self.deadline_key].unit == WORKING_DAYS
        return step_due_at(timezone.now(), int(param(self.deadline_key)), working=working)
