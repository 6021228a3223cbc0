"""Flow nodes of this project: human steps with a deadline (限时办结)."""

import datetime

from django.utils import timezone
from viewflow.workflow import flow
from viewflow.workflow.nodes.view import ViewActivation

from casework.policy.params import DEFAULTS, param


class StepActivation(ViewActivation):
    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        activation = super().create(flow_task, prev_activation, token, data=data, seed=seed)
        from .models import TaskDeadline

        if flow_task.deadline_key:
            days = int(param(flow_task.deadline_key))
            TaskDeadline.objects.create(
                task=activation.task, due_at=step_due_at(timezone.now(), days)
            )
        return activation


def step_due_at(created: datetime.datetime, days: int) -> datetime.datetime:
    """The end of the ``days``-th day after ``created``, local time."""
    local = timezone.localtime(created).date() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(local, datetime.time.max))


class Step(flow.View):
    """A human task that must be done within the days of a policy parameter."""

    activation_class = StepActivation

    def __init__(self, view, **kwargs):
        super().__init__(view, **kwargs)
        self.deadline_key: str | None = None

    def Deadline(self, key: str) -> "Step":  # noqa: N802 - viewflow's builder style
        """Due ``param(key)`` days after the task is created."""
        if key not in DEFAULTS:  # fail at import time on an unknown parameter
            raise KeyError(f"Unknown policy parameter {key!r}")
        self.deadline_key = key
        return self
