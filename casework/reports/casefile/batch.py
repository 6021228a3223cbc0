"""The case-file batch services: a batch is requested in the web request and made by the
background workers (``parts``); the reaper of parts whose worker died and the deletion of old
ZIPs run in the scheduler's sweep.

The request only records which households (fixed then, through ``permissions``), splits them
into parts and queues one task per part when the transaction commits; each worker renders the
case files as the requesting user would get them (masked, each one recorded in the audit log).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from casework import permissions
from casework.audit.services import audit_record
from casework.common.jobs import enqueue_on_commit, private_storage, stale_before
from casework.registry.models import Grid, Site
from casework.reports.models import CaseFileBatch, CaseFilePart

from .parts import casefile_batch_fail, casefile_part_work
from .tasks import casefile_part_task

logger = logging.getLogger(__name__)
WORKER_LOST = _lazy(
    "The worker stopped while making this export and it was not tried again; request it again."
)
BATCH_LIMIT = 2000  # households per batch: a bigger export is split by grid


def casefile_batch_request(*, actor: User, site: Site, grid: Grid | None = None) -> CaseFileBatch:
    """Queue the case files of every household of ``site`` (or of one of its grids) that
    ``actor`` may make case files for."""
    households = permissions.households_visible_to(actor).filter(grid__site=site)
    if grid is not None:
        households = households.filter(grid=grid)
    ids = [
        household.pk
        for household in households.select_related("grid__site").order_by("number")
        if permissions.can(actor, "casefile", household)
    ]
    if not ids:
        raise ValidationError(_("There are no households here whose case files you may make."))
    if len(ids) > BATCH_LIMIT:
        raise ValidationError(
            _("%(count)s households is more than one batch takes (%(limit)s); choose a grid.")
            % {"count": len(ids), "limit": BATCH_LIMIT}
        )
    description = f"{site}" + (f" · {grid}" if grid else "")
    size = settings.CASEFILE_PART_SIZE
    with transaction.atomic():
        batch = CaseFileBatch.objects.create(
            requested_by=actor,
            site=site,
            description=description[:200],
            household_ids=ids,
            total=len(ids),
        )
        parts = CaseFilePart.objects.bulk_create(
            CaseFilePart(batch=batch, household_ids=ids[start : start + size])
            for start in range(0, len(ids), size)
        )
        for part in parts:
            enqueue_on_commit(casefile_part_task, part.pk)
        audit_record(
            actor=actor,
            action="casefile.batch",
            obj=batch,
            household_id=None,
            changes={"households": (None, len(ids))},
        )
    return batch


def casefile_batches_run() -> int:
    """Work every queued part in this process, oldest first (what the workers do with their
    tasks; for tests and the command line); returns how many batches were touched."""
    queued = CaseFilePart.objects.filter(status=CaseFilePart.Status.QUEUED).order_by("pk")
    batches = set()
    for pk, batch_id in queued.values_list("pk", "batch_id"):
        if casefile_part_work(pk):
            batches.add(batch_id)
    return len(batches)


def casefile_batches_reap() -> tuple[int, int]:
    """Parts whose worker died (no sign of life for ``JOB_STALE_SECONDS``) are queued again while
    they have a retry left (``JOB_RETRIES``); otherwise their batch fails with the reason and its
    files are removed. A batch whose packer died fails likewise. Returns (retried, failed)."""
    retried = failed = 0
    stale = CaseFilePart.objects.filter(
        status=CaseFilePart.Status.RUNNING, heartbeat_at__lt=stale_before()
    )
    for part in stale.order_by("pk"):
        retry = part.attempts <= settings.JOB_RETRIES
        with transaction.atomic():
            # Conditional on what was read: a worker that speaks up meanwhile keeps its part.
            current = CaseFilePart.objects.filter(
                pk=part.pk,
                attempts=part.attempts,
                status=CaseFilePart.Status.RUNNING,
                heartbeat_at__lt=stale_before(),
            )
            status = CaseFilePart.Status.QUEUED if retry else CaseFilePart.Status.FAILED
            if not current.update(status=status, heartbeat_at=None):
                continue
            audit_record(
                actor=None,
                action="casefile.batch_retry" if retry else "casefile.batch_abandoned",
                obj=part.batch,
                household_id=None,
                changes={"attempts": (None, part.attempts)},
            )
            if retry:
                enqueue_on_commit(casefile_part_task, part.pk)
        if retry:
            retried += 1
        else:
            casefile_batch_fail(part.batch_id, str(WORKER_LOST))
            failed += 1
    packing = CaseFileBatch.objects.filter(
        status=CaseFileBatch.Status.ZIPPING, heartbeat_at__lt=stale_before()
    )
    for batch_id in packing.values_list("pk", flat=True):
        with transaction.atomic():
            audit_record(
                actor=None,
                action="casefile.batch_abandoned",
                obj=CaseFileBatch.objects.get(pk=batch_id),
                household_id=None,
            )
        casefile_batch_fail(batch_id, str(WORKER_LOST))
        failed += 1
    return retried, failed


def casefile_exports_expire() -> int:
    """Delete the ZIPs finished longer ago than ``CASEFILE_ZIP_RETENTION_DAYS`` (they hold
    personal data); the batch stays listed and says so. Returns how many were deleted."""
    cutoff = timezone.now() - timedelta(days=settings.CASEFILE_ZIP_RETENTION_DAYS)
    expired = CaseFileBatch.objects.filter(
        status=CaseFileBatch.Status.DONE, finished_at__lt=cutoff
    ).exclude(file_name="")
    count = 0
    for batch in expired:
        with transaction.atomic():
            if not CaseFileBatch.objects.filter(pk=batch.pk, file_name=batch.file_name).update(
                file_name="",
                error=_("The ZIP was deleted after %(days)s days; export the case files again.")
                % {"days": settings.CASEFILE_ZIP_RETENTION_DAYS},
            ):
                continue
            audit_record(actor=None, action="casefile.batch_expired", obj=batch, household_id=None)
        private_storage().delete(batch.file_name)
        count += 1
    return count


def casefile_batch_file(batch: CaseFileBatch) -> str | None:
    """The storage name of the finished ZIP of a batch, if it is there."""
    if batch.status != CaseFileBatch.Status.DONE or not batch.file_name:
        return None
    return batch.file_name if private_storage().exists(batch.file_name) else None
