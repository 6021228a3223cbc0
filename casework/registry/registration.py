"""Registering many households at once (a ledger import): the ``households_register_bulk``
service.

The one-by-one ``services.household_register`` validates each field and writes about ten queries
per household; here the caller has already checked every field of every row (the ledger checks),
and the households, their members and their audit events are written in a few bulk statements.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from casework import permissions
from casework.audit.services import Changes, PendingEvent, audit_record_many

from .models import Household, Member
from .search import member_search_keys_set
from .signals import households_registered
from .validators import mask_document_number, mask_phone

BATCH = 2000
# Household fields an import event records when set (the phone masked).
_RECORDED_FIELDS = (
    "grid", "building", "unit", "room", "origin_region", "origin_address",
    "household_type", "monitoring", "colour",
)  # fmt: skip


@dataclass(frozen=True)
class HouseholdRegistration:
    """One new household: its number, its ``Household`` fields and each member's fields, all
    already checked (sex and birth date derived from the ID number)."""

    number: str
    fields: dict[str, Any]
    members: list[dict[str, Any]] = field(default_factory=list)


def _grids_refused(actor: User, grid_ids: set[int]) -> set[int]:
    allowed = permissions.grids_for_registration(actor).filter(pk__in=grid_ids)
    return grid_ids - set(allowed.values_list("pk", flat=True))


def _import_changes(
    household: Household, members: list[dict[str, Any]], relationships: dict[str, str]
) -> Changes:
    """What the ``household.import`` event keeps: the household's fields that are set and a
    masked summary of each member."""
    changes: Changes = {"number": (None, household.number)}
    for key in _RECORDED_FIELDS:
        value = getattr(household, key)
        if value not in (None, ""):
            changes[key] = (None, value)
    if household.phone:
        changes["phone"] = (None, mask_phone(household.phone))
    changes["imported_members"] = (
        None,
        [
            " · ".join(
                (
                    member["name"],
                    mask_document_number(member["document_number"]),
                    relationships[member["relationship"]],
                )
            )
            for member in members
        ],
    )
    return changes


@transaction.atomic
def households_register_bulk(
    *, actor: User | None, households: Sequence[HouseholdRegistration]
) -> list[Household]:
    """Register new households with their members, one ``household.import`` event each, and
    announce them with ``households_registered`` (their flows start inside this transaction).

    With an ``actor``, every household's grid must be one they may register in; without one
    (the command line) any grid. Numbers already taken raise ``IntegrityError``.
    """
    if not households:
        return []
    if actor is not None and _grids_refused(actor, {h.fields["grid"].pk for h in households}):
        raise PermissionDenied(_("You may not register households in this grid."))
    created = Household.objects.bulk_create(
        [Household(number=h.number, **h.fields) for h in households], batch_size=BATCH
    )
    members = [
        Member(household=household, **member)
        for household, registration in zip(created, households, strict=True)
        for member in registration.members
    ]
    for member in members:
        member_search_keys_set(member)
    Member.objects.bulk_create(members, batch_size=BATCH)
    relationships = {value: str(label) for value, label in Member.Relationship.choices}
    audit_record_many(
        actor=actor,
        events=[
            PendingEvent(
                "household.import",
                household,
                household.pk,
                _import_changes(household, registration.members, relationships),
            )
            for household, registration in zip(created, households, strict=True)
        ],
    )
    households_registered.send(sender=Household, households=created, actor=actor)
    return created
