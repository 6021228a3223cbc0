"""The case-file batch service: a batch is requested in the web request and made by the
background worker; every write about a batch is here.

The request only records which households (fixed then, through ``permissions``) and returns;
the scheduler process (``run_scheduler``) picks the batch up, renders each case file as the
requesting user would get it (masked, each one recorded in the audit log), writes the ZIP
under a temporary name and renames it when complete, updating the progress as it goes.
"""

import logging
import zipfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import permissions
from casework.audit.services import audit_record
from casework.common.jobs import claim_next
from casework.registry.models import Grid, Household, Site
from casework.reports.models import CaseFileBatch

from .service import casefile_generate

logger = logging.getLogger(__name__)
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
    with transaction.atomic():
        batch = CaseFileBatch.objects.create(
            requested_by=actor,
            site=site,
            description=description[:200],
            household_ids=ids,
            total=len(ids),
        )
        audit_record(
            actor=actor,
            action="casefile.batch",
            obj=batch,
            household_id=None,
            changes={"households": (None, len(ids))},
        )
    return batch


def _claim() -> CaseFileBatch | None:
    return claim_next(CaseFileBatch, CaseFileBatch.Status.RUNNING)


def casefile_batch_run(batch: CaseFileBatch) -> None:
    """Make the batch's ZIP; on any failure the batch is marked failed and no file is left."""
    folder = Path(settings.EXPORT_ROOT)
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"casefiles-{batch.pk}-{timezone.localtime():%Y%m%d-%H%M%S}.zip"
    partial = final.with_name(final.name + ".part")
    households = Household.objects.in_bulk(batch.household_ids)
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as archive:
            for done, pk in enumerate(batch.household_ids, start=1):
                household = households.get(pk)
                if household is None:  # households are never deleted; guard all the same
                    raise ValidationError(_("Household #%(pk)s no longer exists.") % {"pk": pk})
                content = casefile_generate(
                    actor=batch.requested_by, household=household, batch=batch
                )
                archive.writestr(f"{household.number}.pdf", content)
                CaseFileBatch.objects.filter(pk=batch.pk).update(done=done)
        partial.replace(final)
    except Exception as exc:
        partial.unlink(missing_ok=True)
        logger.exception("Case-file batch %s failed", batch.pk)
        CaseFileBatch.objects.filter(pk=batch.pk).update(
            status=CaseFileBatch.Status.FAILED,
            error=_("The export stopped: %(error)s") % {"error": exc},
            finished_at=timezone.now(),
        )
        return
    CaseFileBatch.objects.filter(pk=batch.pk).update(
        status=CaseFileBatch.Status.DONE,
        file_name=final.name,
        size=final.stat().st_size,
        finished_at=timezone.now(),
    )


def casefile_batches_run(limit: int | None = None) -> int:
    """Run queued batches, oldest first; returns how many were run."""
    count = 0
    while limit is None or count < limit:
        batch = _claim()
        if batch is None:
            break
        casefile_batch_run(batch)
        count += 1
    return count


def casefile_batch_path(batch: CaseFileBatch) -> Path | None:
    """The finished ZIP of a batch, if it is there."""
    if batch.status != CaseFileBatch.Status.DONE or not batch.file_name:
        return None
    path = Path(settings.EXPORT_ROOT) / Path(batch.file_name).name
    return path if path.exists() else None
