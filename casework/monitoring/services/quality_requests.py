"""Runs of the data-quality rules asked for: queued for a worker (``tasks.quality_run_task``),
nightly by the scheduler and on a manager's demand."""

import datetime

from django.contrib.auth.models import User

from casework.common.jobs import enqueue_on_commit

from ..tasks import quality_run_task
from .quality import quality_ran_today


def quality_run_request(*, actor: User | None = None, nightly: bool = False) -> None:
    """Queue a run for a worker (after the current transaction commits)."""
    enqueue_on_commit(quality_run_task, actor.pk if actor else None, nightly)


def quality_run_request_if_due(now: datetime.datetime | None = None) -> bool:
    """The nightly run: queued at the scheduler's sweeps of a day until one has run (the task
    itself runs only if none has run that day). Returns whether one was queued."""
    if quality_ran_today(now):
        return False
    quality_run_request(nightly=True)
    return True
