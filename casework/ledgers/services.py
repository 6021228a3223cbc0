"""The ledgers as services: the recorded exports of the household ledger (户籍台账) and of the
employment ledger (就业台账), and imports uploaded on the web, which a background task checks
and imports (so no web worker holds a large import; ``import_job``), and the reaper of imports
whose worker died. The import itself is ``household.importer.ledger_import``."""

import hashlib
import logging
from datetime import timedelta
from pathlib import Path
from typing import IO

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import permissions
from casework.audit.services import audit_record
from casework.common.jobs import enqueue_on_commit, private_storage, stale_before
from casework.registry.models import Household

from .employment import employment_ledger_workbook
from .household.exporter import household_ledger_workbook
from .household.limits import MB, import_limits
from .hrss import hrss_ledger_workbook
from .import_job import ledger_import_upload_delete, ledger_import_work
from .models import LedgerImport
from .tasks import ledger_import_task

logger = logging.getLogger(__name__)


def household_ledger_export(
    *, actor: User | None, households: QuerySet[Household]
) -> tuple[bytes, int]:
    """The household ledger with full identifiers, recorded as ``ledger.export_unmasked``.

    With an ``actor``: only the households they work or manage, and only with the right to
    full personal data. Without one (the command line): the households given.
    """
    if actor is not None:
        if not permissions.may_unmask_exports(actor):
            raise PermissionDenied(
                _("The household ledger holds full ID numbers: you do not have that right.")
            )
        households = households.filter(grid__in=permissions.grids_worked_by(actor))
    count = households.count()
    content = household_ledger_workbook(households)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="ledger.export_unmasked",
            obj=None,
            household_id=None,
            changes={"households": (None, count), "template": (None, "register")},
        )
    return content, count


def employment_ledger_export(*, actor: User, unmasked: bool, layout: str = "employment") -> bytes:
    """The employment ledger (or, ``layout`` "hrss", the 人社 ledger of the same rows) of every
    household ``actor`` may see, recorded as ``ledger.export`` (or ``ledger.export_unmasked``).
    Full identifiers only with the right to full personal data, and only for the households
    they work, not those merely visited."""
    if not actor.has_perm("cases.view_employmentcase"):
        raise PermissionDenied
    if unmasked and not permissions.may_unmask_exports(actor):
        raise PermissionDenied
    households = permissions.households_visible_to(actor)
    worked = frozenset(
        households.filter(grid__in=permissions.grids_worked_by(actor)).values_list("pk", flat=True)
    )
    write = hrss_ledger_workbook if layout == "hrss" else employment_ledger_workbook
    content = write(households, unmasked=worked if unmasked else False)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="ledger.export_unmasked" if unmasked else "ledger.export",
            obj=actor,
            household_id=None,
            changes={"households": (None, households.count()), "layout": (None, layout)},
        )
    return content


def ledger_import_request(
    *,
    actor: User,
    upload: IO[bytes],
    name: str,
    size: int,
    dry_run: bool,
    layout: str = LedgerImport.Layout.REGISTER,
) -> LedgerImport:
    """Keep an uploaded ledger (or national table: ``layout``) in the private storage and queue
    its import task (sent when the transaction commits)."""
    if not permissions.sites_for_import(actor).exists():
        raise PermissionDenied(_("You may not import ledgers."))
    if not name.lower().endswith(".xlsx"):
        raise ValidationError(
            {"file": _("Upload an Excel workbook (.xlsx); save an old .xls file as .xlsx first.")}
        )
    upload_mb = import_limits().upload_mb
    if size > upload_mb * MB:
        raise ValidationError(
            {"file": _("The file is larger than %(mb)d MB; split it.") % {"mb": upload_mb}}
        )
    digest = hashlib.sha256()
    for block in iter(lambda: upload.read(1 << 20), b""):
        digest.update(block)
    upload.seek(0)
    storage = private_storage()
    with transaction.atomic():
        job = LedgerImport.objects.create(
            requested_by=actor,
            original_name=Path(name).name[:200],
            dry_run=dry_run,
            layout=layout,
            sha256=digest.hexdigest(),
        )
        stored = storage.save(f"imports/ledger-import-{job.pk}.xlsx", File(upload))
        try:
            job.upload_name = stored
            job.save(update_fields=["upload_name"])
            audit_record(
                actor=actor,
                action="ledger.import_request",
                obj=job,
                household_id=None,
                changes={"file": (None, job.original_name), "sha256": (None, job.sha256)},
            )
        except Exception:
            storage.delete(stored)
            raise
        enqueue_on_commit(ledger_import_task, job.pk)
    return job


def ledger_imports_run(limit: int | None = None) -> int:
    """Work queued imports in this process, oldest first (what a worker does with their
    tasks; for tests and the command line); returns how many were run."""
    count = 0
    queued = LedgerImport.objects.filter(status=LedgerImport.Status.QUEUED)
    for pk in queued.order_by("created_at", "pk").values_list("pk", flat=True):
        if limit is not None and count >= limit:
            break
        count += ledger_import_work(pk)
    return count


def ledger_imports_reap() -> tuple[int, int]:
    """Imports whose worker died (no sign of life for ``JOB_STALE_SECONDS``): queued again while
    they have a retry left (``JOB_RETRIES``), otherwise failed with the reason and their upload
    removed. Nothing of a dead attempt is in the database: its import was one transaction.
    Returns (retried, failed)."""
    retried = failed = 0
    stale = LedgerImport.objects.filter(
        status__in=LedgerImport.WORKING, heartbeat_at__lt=stale_before()
    )
    for job in stale.order_by("pk"):
        with transaction.atomic():
            # Conditional on what was read: a worker that speaks up meanwhile keeps its job.
            current = LedgerImport.objects.filter(
                pk=job.pk,
                attempts=job.attempts,
                status__in=LedgerImport.WORKING,
                heartbeat_at__lt=stale_before(),
            )
            retry = job.attempts <= settings.JOB_RETRIES
            if retry:
                taken = current.update(status=LedgerImport.Status.QUEUED, heartbeat_at=None)
            else:
                taken = current.update(
                    status=LedgerImport.Status.FAILED,
                    error=_(
                        "The worker stopped during the import and it was not tried again; "
                        "nothing was imported. Upload the file again."
                    ),
                    finished_at=timezone.now(),
                )
            if not taken:
                continue
            audit_record(
                actor=None,
                action="ledger.import_retry" if retry else "ledger.import_abandoned",
                obj=job,
                household_id=None,
                changes={"attempts": (None, job.attempts)},
            )
            if retry:
                enqueue_on_commit(ledger_import_task, job.pk)
        if retry:
            retried += 1
        else:
            ledger_import_upload_delete(job)
            failed += 1
    return retried, failed


def ledger_import_report_open(*, actor: User, job: LedgerImport) -> IO[bytes]:
    """The report workbook of ``actor``'s own import (the uploaded rows, full ID numbers, with
    the reasons), open for reading; recorded as ``ledger.import_report_download``. Only with
    the right to full personal data; Http404-like ``ValidationError`` when there is none."""
    if job.requested_by_id != actor.pk or not permissions.may_unmask_exports(actor):
        raise PermissionDenied(permissions.UNMASK_REFUSED)
    if not job.report_file:
        raise ValidationError(_("This import has no report to download."))
    source = private_storage().open(job.report_file, "rb")
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="ledger.import_report_download",
            obj=job,
            household_id=None,
            changes={"bad_rows": (None, (job.report or {}).get("bad_rows", 0))},
        )
    return source


def ledger_import_reports_expire() -> int:
    """Delete the report workbooks (full ID numbers) of imports finished longer ago than
    ``CASEFILE_ZIP_RETENTION_DAYS``; the report stays on its page. Returns how many."""
    cutoff = timezone.now() - timedelta(days=settings.CASEFILE_ZIP_RETENTION_DAYS)
    expired = LedgerImport.objects.filter(finished_at__lt=cutoff).exclude(report_file="")
    count = 0
    for job in expired:
        with transaction.atomic():
            if not LedgerImport.objects.filter(pk=job.pk, report_file=job.report_file).update(
                report_file=""
            ):
                continue
            audit_record(
                actor=None, action="ledger.import_report_expired", obj=job, household_id=None
            )
        private_storage().delete(job.report_file)
        count += 1
    return count
