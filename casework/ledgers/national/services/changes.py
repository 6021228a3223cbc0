"""Applying the differences a national table was found to hold (``national_changes_apply``):
a manager applies them all at once (those of households in sites they do not manage are
refused, one by one). Each difference is applied
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
from casework.registry.validators import clean_text, mask_document_number, mask_phone

from ...household.problems import Findings
from ...models import LedgerImport, NationalChange, NationalRecord
from ..compare import HOUSEHOLD_HEADERS, current_of
from ..layout import FIELDS, PERSONAL, cell
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
    elif change.column in HOUSEHOLD_HEADERS:
        key, value = FIELDS[change.column], change.row.get("value")
        name = "phone" if key == "household_phone" else key
        household_update(actor=actor, household=household, **{name: value})
        _household_word(household, change.column, change.new)
        return Outcome.APPLIED
    elif change.column in FIELDS:
        member_update(actor=actor, member=member, **{FIELDS[change.column]: change.row["value"]})
    if change.column not in FIELDS:  # the national system's own cell: recorded here
        audit_record(
            actor=actor,
            action="ledger.national_cell",
            obj=member,
            household_id=household.pk,
            changes={change.column: (change.old, change.new)},
        )
    record.cells = {**record.cells, change.column: change.new}
    record.save()
    return Outcome.APPLIED


def _household_word(household: Household, column: str, word: str) -> None:
    """The national word of a household column, kept on each member's record."""
    records = list(NationalRecord.objects.select_for_update().filter(member__household=household))
    for record in records:
        record.cells = {**record.cells, column: word}
    NationalRecord.objects.bulk_update(records, ["cells"])


def _forget_personal(change: NationalChange) -> None:
    """Once tried, a change keeps no full ID number or phone (the history has what changed)."""
    if change.column in PERSONAL:
        masker = mask_document_number if "证件号码" in change.column else mask_phone
        change.old, change.new = masker(change.old), masker(change.new)
    if change.member_id is None:
        change.row = {}


def national_changes_apply(*, actor: User, job: LedgerImport) -> Counter[str]:
    """Apply every waiting difference of ``job``; the count of each outcome."""
    with transaction.atomic():
        job = LedgerImport.objects.select_for_update().get(pk=job.pk)
        if job.status != LedgerImport.Status.DIFFERS:
            raise ValidationError(_("This import has no differences waiting to be applied."))
        allowed = set(permissions.sites_for_import(actor).values_list("pk", flat=True))
        if not allowed:
            raise PermissionDenied(_("Only a manager of the households concerned may apply them."))
        pending = job.changes.filter(outcome=Outcome.PENDING).select_related("household__grid")
        changes = list(pending.order_by("line", "pk"))
        counts: Counter[str] = Counter()
        for change in changes:
            try:
                if change.household.grid.site_id not in allowed:
                    raise PermissionDenied(_("The household is in a site you do not manage."))
                with transaction.atomic():
                    change.outcome = _apply(actor, change)
            except (ValidationError, IntegrityError, PermissionDenied) as exc:
                change.outcome = Outcome.REFUSED
                messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                change.note = "；".join(messages)[:300]
            _forget_personal(change)
            counts[change.outcome] += 1
        NationalChange.objects.bulk_update(changes, ["outcome", "note", "old", "new", "row"])
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
