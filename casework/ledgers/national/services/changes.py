"""Applying the differences a national table was found to hold (``national_changes_apply``):
a manager of every household concerned applies them all at once. Each difference is applied
only if the system still holds what the import saw (else it is left, marked as changed since),
through the registry's services (so each change is checked and audited like one made on the
household's page); one refused change does not stop the others."""

from collections import Counter

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from casework import permissions
from casework.audit.services import audit_record
from casework.registry.models import Household, Member
from casework.registry.services import household_update, member_add, member_update
from casework.registry.validators import clean_text

from ...household.problems import Findings
from ...models import LedgerImport, NationalChange, NationalRecord
from ..compare import HOUSEHOLD_FIELDS, current_of
from ..layout import FIELDS, cell
from ..reader import NationalRow
from .importing import member_rows

Outcome = NationalChange.Outcome


def _member_new(actor: User, change: NationalChange) -> None:
    cells = change.row
    found = Findings({})
    fields = {FIELDS[h]: text for h, text in cells.items() if h in FIELDS}
    checks = member_rows([NationalRow(change.line, cells, fields)], found, None)
    if found.errors:
        raise ValidationError([f"{p.column}：{p.reason}" for p in found.errors])
    entry = next(iter(checks.households.values()))
    member = member_add(actor=actor, household=change.household, **entry.members[0].data)
    NationalRecord.objects.create(member=member, person_number=cells.get("人编号", ""), cells=cells)


def _apply(actor: User, change: NationalChange) -> str:
    """The change's outcome once tried (``ValidationError`` when a service refuses it)."""
    if change.member_id is None:
        _member_new(actor, change)
        return Outcome.APPLIED
    member = Member.objects.select_related("national").get(pk=change.member_id)
    household = Household.objects.select_related("grid__site").get(pk=change.household_id)
    now = current_of(household, member)
    if clean_text(cell(change.column, now, None, unmasked=True)) != clean_text(change.old):
        return Outcome.STALE
    record = NationalRecord.objects.select_for_update().filter(member=member).first()
    if record is None:
        record = NationalRecord(member=member)
    if change.column == "人编号":
        record.person_number = change.new
    elif change.column in FIELDS:
        key, value = FIELDS[change.column], change.row.get("value")
        if key in HOUSEHOLD_FIELDS:
            name = "phone" if key == "household_phone" else key
            household_update(actor=actor, household=household, **{name: value})
        else:
            member_update(actor=actor, member=member, **{key: value})
    record.cells = {**record.cells, change.column: change.new}
    record.save()
    return Outcome.APPLIED


def national_changes_apply(*, actor: User, job: LedgerImport) -> Counter[str]:
    """Apply every waiting difference of ``job``; the count of each outcome."""
    with transaction.atomic():
        job = LedgerImport.objects.select_for_update().get(pk=job.pk)
        if job.status != LedgerImport.Status.DIFFERS:
            raise ValidationError(_("This import has no differences waiting to be applied."))
        changes = list(
            job.changes.filter(outcome=Outcome.PENDING).select_related("household__grid")
        )
        allowed = set(permissions.sites_for_import(actor).values_list("pk", flat=True))
        if any(change.household.grid.site_id not in allowed for change in changes):
            raise PermissionDenied(_("Only a manager of every household concerned may apply them."))
        counts: Counter[str] = Counter()
        for change in changes:
            try:
                with transaction.atomic():
                    change.outcome = _apply(actor, change)
            except (ValidationError, IntegrityError, PermissionDenied) as exc:
                change.outcome = Outcome.REFUSED
                messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                change.note = "；".join(messages)[:300]
            counts[change.outcome] += 1
        NationalChange.objects.bulk_update(changes, ["outcome", "note"])
        job.status = LedgerImport.Status.APPLIED
        job.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="ledger.national_apply",
            obj=job,
            household_id=None,
            changes={key or "waiting": (None, count) for key, count in counts.items()},
        )
    return counts
