"""The national layouts as recorded exports: masked by default; full numbers only for holders
of the personal-data right, and only for the households they work."""

from typing import IO

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction

from casework import permissions
from casework.audit.services import audit_record

from ..exporter import national_workbook


def national_table_export(*, actor: User, layout: str, unmasked: bool) -> tuple[IO[bytes], int]:
    """The table of every household of the grids ``actor`` works (a pairing helper's visits
    are not a jurisdiction to export), recorded as ``ledger.national_export`` (or
    ``…_unmasked``); the workbook and its number of rows."""
    if not permissions.may_export_national_tables(actor):
        raise PermissionDenied
    if unmasked and not permissions.may_unmask_exports(actor):
        raise PermissionDenied
    households = permissions.households_visible_to(actor).filter(
        grid__in=permissions.grids_worked_by(actor)
    )
    content, rows = national_workbook(households, layout, unmasked=unmasked)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="ledger.national_export_unmasked" if unmasked else "ledger.national_export",
            obj=actor,
            household_id=None,
            changes={"layout": (None, layout), "rows": (None, rows)},
        )
    return content, rows
