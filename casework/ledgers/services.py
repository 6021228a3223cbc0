"""The ledgers as services: the recorded exports of the household ledger (户籍台账) and of the
employment ledger (就业台账), and imports uploaded on the web that the scheduler process checks
and imports (so no web worker holds a large import). The import itself is
``household.importer.ledger_import``."""

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import permissions
from casework.audit.services import audit_record
from casework.common.jobs import claim_next
from casework.registry.models import Household

from .employment import employment_ledger_workbook
from .household.exporter import household_ledger_workbook
from .household.importer import ledger_import
from .household.limits import MB, import_limits
from .household.problems import LedgerReport
from .household.reader import LedgerUnreadable
from .models import LedgerImport

logger = logging.getLogger(__name__)
_PROGRESS_STATUS = {
    "read": LedgerImport.Status.CHECKING,
    "check": LedgerImport.Status.CHECKING,
    "write": LedgerImport.Status.IMPORTING,
}


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


def employment_ledger_export(*, actor: User, unmasked: bool) -> bytes:
    """The employment ledger of every household ``actor`` may see, recorded as
    ``ledger.export`` (or ``ledger.export_unmasked``). Full identifiers only with the right to
    full personal data, and only for the households they work, not those merely visited."""
    if not actor.has_perm("cases.view_employmentcase"):
        raise PermissionDenied
    if unmasked and not permissions.may_unmask_exports(actor):
        raise PermissionDenied
    households = permissions.households_visible_to(actor)
    worked = frozenset(
        households.filter(grid__in=permissions.grids_worked_by(actor)).values_list("pk", flat=True)
    )
    content = employment_ledger_workbook(households, unmasked=worked if unmasked else False)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="ledger.export_unmasked" if unmasked else "ledger.export",
            obj=actor,
            household_id=None,
            changes={"households": (None, households.count())},
        )
    return content


def _folder() -> Path:
    folder = Path(settings.EXPORT_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def upload_path(job: LedgerImport) -> Path:
    """Where an uploaded ledger waits for the scheduler process."""
    return _folder() / f"ledger-import-{job.pk}.xlsx"


def ledger_import_request(
    *, actor: User, upload: IO[bytes], name: str, size: int, dry_run: bool
) -> LedgerImport:
    """Keep an uploaded ledger and queue it for the scheduler process."""
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
    with transaction.atomic():
        job = LedgerImport.objects.create(
            requested_by=actor, original_name=Path(name).name[:200], dry_run=dry_run
        )
        path = upload_path(job)
        partial = path.with_name(path.name + ".part")
        try:
            with open(partial, "wb") as handle:
                for block in iter(lambda: upload.read(1 << 20), b""):
                    digest.update(block)
                    handle.write(block)
            partial.replace(path)
        except OSError:
            partial.unlink(missing_ok=True)
            raise
        job.sha256 = digest.hexdigest()
        job.save(update_fields=["sha256"])
    return job


def _claim() -> LedgerImport | None:
    job: LedgerImport | None = claim_next(LedgerImport, LedgerImport.Status.CHECKING)
    return job


def _progress_recorder(job: LedgerImport) -> Callable[[str, int, int], None]:
    def progress(phase: str, done: int, total: int) -> None:
        fields: dict[str, Any] = {"status": _PROGRESS_STATUS[phase]}
        if phase == "check":
            fields.update(processed_rows=done, total_rows=total)
        elif phase == "read":
            fields.update(processed_rows=0, total_rows=done)
        # Inside the import's transaction this is seen only at commit; outside it, at once.
        LedgerImport.objects.filter(pk=job.pk).update(**fields)

    return progress


def _finish(job: LedgerImport, report: LedgerReport) -> None:
    if report.errors:
        status = LedgerImport.Status.REJECTED
    elif report.dry_run:
        status = LedgerImport.Status.CHECKED
    else:
        status = LedgerImport.Status.DONE
    LedgerImport.objects.filter(pk=job.pk).update(
        status=status,
        total_rows=report.rows,
        processed_rows=report.rows,
        households_created=report.households_new if report.imported else 0,
        members_created=report.members_new if report.imported else 0,
        households_unchanged=report.households_unchanged,
        report=report.as_dict(),
        finished_at=timezone.now(),
    )


def ledger_import_run(job: LedgerImport) -> None:
    """Check and import one uploaded ledger; the uploaded file is removed afterwards."""
    path = upload_path(job)
    try:
        report = ledger_import(
            actor=job.requested_by,
            source=path,
            file_name=job.original_name,
            dry_run=job.dry_run,
            progress=_progress_recorder(job),
        )
    except (LedgerUnreadable, PermissionDenied) as exc:
        LedgerImport.objects.filter(pk=job.pk).update(
            status=LedgerImport.Status.REJECTED,
            error=str(exc),
            finished_at=timezone.now(),
        )
        return
    except Exception as exc:
        logger.exception("Ledger import %s failed", job.pk)
        LedgerImport.objects.filter(pk=job.pk).update(
            status=LedgerImport.Status.FAILED,
            error=_("The import stopped and nothing was imported: %(error)s")
            % {"error": type(exc).__name__},
            finished_at=timezone.now(),
        )
        return
    finally:
        path.unlink(missing_ok=True)
    _finish(job, report)


def ledger_imports_run(limit: int | None = None) -> int:
    """Run queued imports, oldest first; returns how many were run."""
    count = 0
    while limit is None or count < limit:
        job = _claim()
        if job is None:
            break
        ledger_import_run(job)
        count += 1
    return count
