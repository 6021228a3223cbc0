"""A case-file batch as the workers make it (the task ``tasks.casefile_part_task``): each part
(``CASEFILE_PART_SIZE`` households) is one task, so a batch spreads over every worker; each
case file is stored in the private storage as it is made; the part that finds every other part
done packs the ZIP and removes the single files.

Idempotent: a part is claimed with a conditional UPDATE (a second delivery does nothing); a
retried part skips the case files an earlier attempt stored, so each PDF is made once; a worker
the reaper gave up on stops at its next case file.
"""

import logging
import tempfile
import zipfile

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.common.jobs import JobSuperseded, job_beat, job_claim, private_storage
from casework.registry.models import Household
from casework.reports.models import CaseFileBatch, CaseFilePart

from .names import casefile_name
from .service import casefile_generate

logger = logging.getLogger(__name__)


def batch_folder(batch_id: int) -> str:
    """The storage folder of a batch's single case files while it is made."""
    return f"casefiles/{batch_id}"


def casefile_batch_files_delete(batch_id: int) -> None:
    """Remove a batch's single case files (after packing, or when it failed)."""
    storage = private_storage()
    folder = batch_folder(batch_id)
    try:
        _dirs, names = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in names:
        storage.delete(f"{folder}/{name}")


def casefile_batch_fail(batch_id: int, error: str) -> None:
    """Mark a batch failed with ``error`` (once) and remove its files."""
    CaseFileBatch.objects.filter(
        pk=batch_id,
        status__in=(
            CaseFileBatch.Status.QUEUED,
            CaseFileBatch.Status.RUNNING,
            CaseFileBatch.Status.ZIPPING,
        ),
    ).update(status=CaseFileBatch.Status.FAILED, error=error, finished_at=timezone.now())
    casefile_batch_files_delete(batch_id)


def casefile_part_work(part_id: int) -> bool:
    """Claim the queued part ``part_id`` and make its case files; False when there was nothing
    to do. The last part to finish packs the batch's ZIP."""
    attempt = job_claim(
        CaseFilePart,
        part_id,
        queued=CaseFilePart.Status.QUEUED,
        running=CaseFilePart.Status.RUNNING,
    )
    if attempt is None:
        return False
    part = CaseFilePart.objects.select_related("batch__requested_by").get(pk=part_id)
    batch = part.batch
    CaseFileBatch.objects.filter(pk=batch.pk, status=CaseFileBatch.Status.QUEUED).update(
        status=CaseFileBatch.Status.RUNNING, started_at=timezone.now()
    )
    try:
        _make(part, attempt)
    except JobSuperseded:
        logger.warning("Case-file part %s: attempt %s was superseded", part.pk, attempt)
        return True
    except Exception as exc:
        logger.exception("Case-file batch %s failed", batch.pk)
        CaseFilePart.objects.filter(pk=part.pk, attempts=attempt).update(
            status=CaseFilePart.Status.FAILED
        )
        casefile_batch_fail(batch.pk, _("The export stopped: %(error)s") % {"error": exc})
        return True
    job_beat(CaseFilePart, part.pk, attempt, status=CaseFilePart.Status.DONE)
    _pack_if_complete(batch.pk)
    return True


def _make(part: CaseFilePart, attempt: int) -> None:
    storage = private_storage()
    batch = part.batch
    households = Household.objects.in_bulk(part.household_ids)
    for pk in part.household_ids:
        job_beat(CaseFilePart, part.pk, attempt)
        if not CaseFileBatch.objects.filter(
            pk=batch.pk, status=CaseFileBatch.Status.RUNNING
        ).exists():
            raise JobSuperseded(f"batch {batch.pk} is no longer running")
        household = households.get(pk)
        if household is None:  # households are never deleted; guard all the same
            raise ValidationError(_("Household #%(pk)s no longer exists.") % {"pk": pk})
        # Named by key: a household number may hold a "/" that would make a folder.
        name = f"{batch_folder(batch.pk)}/{household.pk}.pdf"
        if _complete_pdf(storage, name):  # made whole by an earlier attempt of this part
            continue
        storage.delete(name)  # nothing, or the cut-off file of a worker that died writing it
        content = casefile_generate(actor=batch.requested_by, household=household, batch=batch)
        storage.save(name, ContentFile(content))
        CaseFileBatch.objects.filter(pk=batch.pk).update(done=F("done") + 1)


def _complete_pdf(storage: Storage, name: str) -> bool:
    """Whether ``name`` is there and ends as a PDF does (a worker killed while writing it
    leaves a file cut short)."""
    if not storage.exists(name):
        return False
    with storage.open(name, "rb") as pdf:
        return b"%%EOF" in pdf.read()[-1024:]


def _pack_if_complete(batch_id: int) -> None:
    with transaction.atomic():
        if (
            CaseFilePart.objects.filter(batch_id=batch_id)
            .exclude(status=CaseFilePart.Status.DONE)
            .exists()
        ):
            return
        # One packer: the part whose UPDATE moves the batch on.
        taken = CaseFileBatch.objects.filter(
            pk=batch_id, status=CaseFileBatch.Status.RUNNING
        ).update(status=CaseFileBatch.Status.ZIPPING, heartbeat_at=timezone.now())
    if taken:
        try:
            casefile_batch_pack(CaseFileBatch.objects.get(pk=batch_id))
        except Exception as exc:
            logger.exception("Packing case-file batch %s failed", batch_id)
            casefile_batch_fail(batch_id, _("The export stopped: %(error)s") % {"error": exc})


def casefile_batch_pack(batch: CaseFileBatch) -> None:
    """Pack the batch's case files into one ZIP in the private storage, then remove them."""
    storage = private_storage()
    numbers = dict(Household.objects.filter(pk__in=batch.household_ids).values_list("pk", "number"))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    with tempfile.TemporaryFile() as scratch:
        with zipfile.ZipFile(scratch, "w", compression=zipfile.ZIP_STORED) as archive:
            for pk in batch.household_ids:
                with storage.open(f"{batch_folder(batch.pk)}/{pk}.pdf", "rb") as pdf:
                    archive.writestr(casefile_name(numbers[pk]), pdf.read())
        scratch.seek(0)
        name = storage.save(f"casefiles/casefiles-{batch.pk}-{stamp}.zip", File(scratch))
    CaseFileBatch.objects.filter(pk=batch.pk, status=CaseFileBatch.Status.ZIPPING).update(
        status=CaseFileBatch.Status.DONE,
        done=batch.total,
        file_name=name,
        size=storage.size(name),
        finished_at=timezone.now(),
    )
    casefile_batch_files_delete(batch.pk)
