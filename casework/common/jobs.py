"""Background jobs: rows queued by a web request and worked by tasks (django-tasks), with the
private files they need.

A job row (``LedgerImport``, ``CaseFilePart``) has a status, an attempt count and a heartbeat.
A worker *claims* a queued row with one conditional UPDATE, which also counts the attempt: a
task delivered twice (RQ redelivery, a retry) finds the row taken and does nothing. Every later
write of that worker is conditional on its attempt, so a worker that the reaper has given up on
cannot overwrite the attempt that replaced it. These are the claim steps of the job services
that call them; they write only the job row.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import transaction
from django.db.models import F
from django.utils import timezone

PRIVATE = "private"


class JobSuperseded(RuntimeError):
    """This worker's attempt is no longer the job's current one (the reaper moved on)."""


def private_storage() -> Storage:
    """Where files with personal data live (uploads, exports): never served directly."""
    return storages[PRIVATE]


def job_claim(model: Any, pk: int, *, queued: str, running: str) -> int | None:
    """Take the queued job ``pk`` for this worker; its attempt number, or None when it is not
    queued (another delivery took it, or it has ended)."""
    now = timezone.now()
    with transaction.atomic():
        taken = model.objects.filter(pk=pk, status=queued).update(
            status=running, attempts=F("attempts") + 1, heartbeat_at=now
        )
        if not taken:
            return None
        attempt: int = model.objects.values_list("attempts", flat=True).get(pk=pk)
        return attempt


def job_beat(model: Any, pk: int, attempt: int, **fields: Any) -> None:
    """A sign of life of attempt ``attempt`` (with any progress fields); JobSuperseded when the
    job is no longer this attempt's."""
    updated = model.objects.filter(pk=pk, attempts=attempt).update(
        heartbeat_at=timezone.now(), **fields
    )
    if not updated:
        raise JobSuperseded(f"{model.__name__} #{pk} attempt {attempt}")


def stale_before() -> Any:
    """A running job whose last sign of life is older than this has lost its worker."""
    return timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS)


def enqueue_on_commit(task: Any, *args: Any) -> None:
    """Enqueue ``task(*args)`` once the current transaction commits (at once outside one), so
    that no worker looks for a row that is not yet visible."""
    send: Callable[[], Any] = lambda: task.enqueue(*args)  # noqa: E731 - a deferred call
    transaction.on_commit(send)
