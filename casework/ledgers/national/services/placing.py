"""Placing a household of a national table that named no site or grid (``unassigned_place``):
a manager picks the grid, its rows are checked again as an import checks them (a person may
have been registered meanwhile), and it is registered as an imported household is, each member
keeping 人编号 and the table's cells."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from casework import permissions
from casework.audit.services import audit_chain_held, audit_record
from casework.registry.models import Grid, Household

from ...household.importer import households_write
from ...household.problems import Findings, LedgerReport
from ...household.registry_checks import HouseholdChecks
from ...models import NationalRecord, UnassignedHousehold
from ..layout import FIELDS
from ..reader import NationalRow
from .importing import member_rows, records_for


def unassigned_place(*, actor: User, item: UnassignedHousehold, grid: Grid) -> Household:
    """Register ``item`` in ``grid``; ``ValidationError`` naming each problem of its rows."""
    if not permissions.households_waiting_for(actor).filter(pk=item.pk).exists():
        raise PermissionDenied(_("This household is not one you may place."))
    if not permissions.sites_for_import(actor).filter(pk=grid.site_id).exists():
        raise PermissionDenied(_("You may not import households into this site."))
    place = {"安置点": grid.site.code or grid.site.name, "网格": grid.code or grid.name}
    rows = []
    for line, cells in enumerate(item.rows, start=1):
        placed = {**cells, **place}
        fields = {FIELDS[h]: text for h, text in placed.items() if h in FIELDS}
        rows.append(NationalRow(line, placed, fields))
    with translation.override("zh-hans"):
        found = Findings({})
        checks = member_rows(rows, found, None)
        entries = checks.households
        households = HouseholdChecks(found, {grid.site_id})
        for entry in entries.values():
            households.check_household(entry)
        documents = [m.data["document_number"] for e in entries.values() for m in e.members]
        households.check_heads(entries)
        households.check_against_database(entries, documents)
        if found.errors or households.existing:
            problems = [f"第{p.row}行 {p.column}：{p.reason}" for p in found.errors]
            raise ValidationError(problems or [_("This household number is registered already.")])
    entry = next(iter(entries.values()))
    with transaction.atomic(), audit_chain_held():
        if not UnassignedHousehold.objects.select_for_update().filter(pk=item.pk).exists():
            raise ValidationError(_("Someone has placed this household already."))
        report = LedgerReport(
            file_name=item.source.original_name if item.source else "",
            members_new=len(entry.members),
        )
        households_write(actor=actor, new=[entry], report=report, progress=None)
        household = Household.objects.get(number=entry.number)
        lines = {row.number: row for row in rows}
        NationalRecord.objects.bulk_create(records_for([household], [entry], lines))
        audit_record(
            actor=actor,
            action="ledger.national_place",
            obj=household,
            household_id=household.pk,
            changes={"grid": (None, grid.name), "members": (None, len(entry.members))},
        )
        item.delete()
    return household
