"""The ledger-import job as a worker runs it (the task ``tasks.ledger_import_task``): claim the
row, check and import the uploaded workbook from the private storage, record the outcome,
remove the upload.

Idempotent: a second delivery of the task finds the row claimed and does nothing; a worker the
reaper gave up on (``services.ledger_imports_reap``) finds its attempt superseded at the latest
inside the import's transaction, which then rolls back, so a file is never imported twice.
"""

import logging
import tempfile
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.common.jobs import JobSuperseded, job_beat, job_claim, private_storage

from .household.importer import ledger_import
from .household.problems import LedgerReport
from .household.reader import LedgerUnreadable
from .household.report_book import report_workbook
from .models import LedgerImport
from .national.services.importing import national_import

logger = logging.getLogger(__name__)
_PROGRESS_STATUS = {
    "read": LedgerImport.Status.CHECKING,
    "check": LedgerImport.Status.CHECKING,
    "write": LedgerImport.Status.IMPORTING,
}


def _progress_recorder(job: LedgerImport, attempt: int) -> Callable[[str, int, int], None]:
    def progress(phase: str, done: int, total: int) -> None:
        fields: dict[str, Any] = {"status": _PROGRESS_STATUS[phase]}
        if phase == "check":
            fields.update(processed_rows=done, total_rows=total)
        elif phase == "read":
            fields.update(processed_rows=0, total_rows=done)
        # Inside the import's transaction this is seen only at commit, and it is the import's
        # last word: a superseded attempt raises here and its whole import rolls back.
        job_beat(LedgerImport, job.pk, attempt, **fields)

    return progress


def _report_file(job: LedgerImport, report: LedgerReport) -> str:
    """For a report with bad rows, the workbook to correct, made from the upload (still
    there) and kept in the private storage; its name, or '' when none was made."""
    if not any(problem.row for problem in report.errors):
        return ""
    errors = [{"row": p.row, "column": p.column, "reason": p.reason} for p in report.errors]
    storage = private_storage()
    with tempfile.TemporaryFile() as target:
        with storage.open(job.upload_name, "rb") as source:
            report_workbook(source, errors, target)
        target.seek(0)
        return storage.save(f"imports/ledger-import-{job.pk}-report.xlsx", File(target))


def _finish(job: LedgerImport, attempt: int, report: LedgerReport) -> None:
    report_file = _report_file(job, report)
    try:
        _record(job, attempt, report, report_file)
    except JobSuperseded:
        if report_file:
            private_storage().delete(report_file)
        raise


def _record(job: LedgerImport, attempt: int, report: LedgerReport, report_file: str) -> None:
    if report.errors:
        status = LedgerImport.Status.REJECTED
    elif report.dry_run:
        status = LedgerImport.Status.CHECKED
    elif report.changes:
        status = LedgerImport.Status.DIFFERS
    else:
        status = LedgerImport.Status.DONE
    job_beat(
        LedgerImport,
        job.pk,
        attempt,
        status=status,
        total_rows=report.rows,
        processed_rows=report.rows,
        households_created=report.households_new if report.imported else 0,
        members_created=report.members_new if report.imported else 0,
        households_unchanged=report.households_unchanged,
        report=report.as_dict(),
        report_file=report_file,
        finished_at=timezone.now(),
    )


def _end(job: LedgerImport, attempt: int, status: str, error: str) -> None:
    job_beat(LedgerImport, job.pk, attempt, status=status, error=error, finished_at=timezone.now())


def ledger_import_upload_delete(job: LedgerImport) -> None:
    """Remove the uploaded workbook (full of ID numbers) once its job has ended."""
    if job.upload_name:
        private_storage().delete(job.upload_name)
        LedgerImport.objects.filter(pk=job.pk).update(upload_name="")


def ledger_import_work(import_id: int) -> bool:
    """Claim the queued import ``import_id`` and run it; False when there was nothing to do
    (already taken or ended). The upload is removed when the job ends, whatever the end."""
    attempt = job_claim(
        LedgerImport,
        import_id,
        queued=LedgerImport.Status.QUEUED,
        running=LedgerImport.Status.CHECKING,
    )
    if attempt is None:
        return False
    job = LedgerImport.objects.select_related("requested_by").get(pk=import_id)
    try:
        _run(job, attempt)
    except JobSuperseded:
        logger.warning("Ledger import %s: attempt %s was superseded", job.pk, attempt)
        return True  # the current attempt owns the upload now
    ledger_import_upload_delete(job)
    return True


def _run(job: LedgerImport, attempt: int) -> None:
    try:
        progress = _progress_recorder(job, attempt)
        with private_storage().open(job.upload_name, "rb") as source:
            if job.layout == LedgerImport.Layout.NATIONAL:
                report = national_import(job=job, source=source, progress=progress)
            else:
                report = ledger_import(
                    actor=job.requested_by,
                    source=source,
                    file_name=job.original_name,
                    dry_run=job.dry_run,
                    progress=progress,
                )
    except JobSuperseded:
        raise
    except (LedgerUnreadable, PermissionDenied) as exc:
        _end(job, attempt, LedgerImport.Status.REJECTED, str(exc))
        return
    except Exception as exc:
        logger.exception("Ledger import %s failed", job.pk)
        error = _("The import stopped and nothing was imported: %(error)s") % {
            "error": type(exc).__name__
        }
        _end(job, attempt, LedgerImport.Status.FAILED, error)
        return
    _finish(job, attempt, report)
