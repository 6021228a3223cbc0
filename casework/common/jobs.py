"""Background jobs: rows queued by a web request and worked by the scheduler process.

``claim_next`` is the claim step of the job services that call it (``reports.casefile.batch``,
the ledger import service); it writes only the job row it takes."""

from typing import Any

from django.db import transaction
from django.utils import timezone


def claim_next(model: Any, running: str) -> Any:
    """Take the oldest queued job of ``model`` (a second worker skips it) and mark it
    ``running``; None when nothing is queued."""
    with transaction.atomic():
        job = (
            model.objects.select_for_update(skip_locked=True)
            .filter(status=model.Status.QUEUED)
            .order_by("created_at", "pk")
            .first()
        )
        if job is not None:
            job.status, job.started_at = running, timezone.now()
            job.save(update_fields=["status", "started_at"])
        return job
