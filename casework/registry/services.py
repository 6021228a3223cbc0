"""Writes to the registry: each service is one transaction, with its audit events inside it.

Errors are ``ValidationError``s keyed by field, with Chinese sentences that name the field;
``PermissionDenied`` when the actor may not act on the household.
"""

from collections.abc import Sequence
from typing import IO, TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from casework import permissions
from casework.audit.services import Changes, PendingEvent, audit_record, audit_record_many
from casework.policy.params import param

from .cleaning import household_data_clean, member_data_clean, new_household_members_clean
from .list_export import household_list_workbook
from .models import Household, Member
from .search import member_search_keys_set
from .selectors import calls_today
from .signals import (
    household_moved,
    household_registered,
    member_added,
    member_circumstances_changed,
)

# The county's set-up (regions, sites, grids, jurisdiction) has its own module; its services
# are named here too, where callers have always found them.
from .structure.services import grid_create as grid_create
from .structure.services import grid_update as grid_update
from .structure.services import jurisdiction_grant_county as jurisdiction_grant_county
from .structure.services import jurisdiction_grant_grid as jurisdiction_grant_grid
from .structure.services import jurisdiction_grant_site as jurisdiction_grant_site
from .structure.services import jurisdiction_revoke_county as jurisdiction_revoke_county
from .structure.services import jurisdiction_revoke_grid as jurisdiction_revoke_grid
from .structure.services import jurisdiction_revoke_site as jurisdiction_revoke_site
from .structure.services import region_create as region_create
from .structure.services import region_ensure as region_ensure
from .structure.services import region_update as region_update
from .structure.services import site_create as site_create
from .structure.services import site_update as site_update
from .validators import clean_text, mask_document_number, mask_phone

if TYPE_CHECKING:
    from .selectors import ListedHousehold

# Derived from the document number, so the number's own (masked) change records them.
_DERIVED_MEMBER_FIELDS = {"sex", "birth_date"}


def _audit_value(field: str, value: Any) -> Any:
    """What the audit log keeps of a value: personal data is masked, health is never stored."""
    if value is None:
        return None
    if field == "document_number":
        return mask_document_number(value or "")
    if field == "phone":
        return mask_phone(value or "")
    if field == "health":
        return "***" if value else value
    return value


def _changes(
    instance: Any, data: dict[str, Any], *, created: bool = False, skip: set[str] | None = None
) -> Changes:
    """Before/after of each field in ``data`` that differs (all of them for a new row)."""
    skip = skip or set()
    result: Changes = {}
    for field, new in data.items():
        old = None if created else getattr(instance, field, None)
        if field in skip or (not created and old == new):
            continue
        result[field] = (_audit_value(field, old), _audit_value(field, new))
    return result


def household_require(actor: User, action: permissions.Action, household: Household) -> None:
    """Raise PermissionDenied unless ``actor`` may do ``action`` to ``household``."""
    if not permissions.can(actor, action, household):
        raise PermissionDenied(_("You may not do this to the household."))


def _check_single_head(household: Household, relationship: str, member: Member | None) -> None:
    if relationship != Member.Relationship.HEAD:
        return
    heads = Member.objects.filter(household=household, relationship=Member.Relationship.HEAD)
    if member is not None:
        heads = heads.exclude(pk=member.pk)
    head = heads.first()
    if head is not None:
        raise ValidationError(
            {
                "relationship": _(
                    "Relationship to head: household %(household)s already has a head "
                    "(%(name)s); a household has exactly one head. Change the current head's "
                    "relationship first."
                )
                % {"household": household.number, "name": head.name}
            }
        )


@transaction.atomic
def household_register(
    *,
    actor: User,
    number: str,
    head: dict[str, Any],
    members: Sequence[dict[str, Any]] = (),
    **fields: Any,
) -> Household:
    """Register a household with its head (a household always has exactly one head) and its
    other ``members``, one dict of member fields per row.

    Every row is checked as ``member_add`` checks one member, and no document number may be
    entered twice. On any error one ``ValidationError`` names the fields (a row's messages name
    the row) and nothing is written. Events: ``household.register`` (with the head) and one
    ``member.add`` per row; ``household_registered`` is sent once, after every member is saved.
    """
    number = clean_text(number)
    errors: dict[str, list[str]] = {}
    if not number:
        errors["number"] = [_("Household number is required.")]
    elif Household.objects.filter(number=number).exists():
        errors["number"] = [
            _("Household number %(number)s is already registered.") % {"number": number}
        ]
    data: dict[str, Any] = {}
    head_data: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    try:
        data = household_data_clean(fields, is_new=True)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        head_data, rows = new_household_members_clean(head, members)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    grid = data["grid"]
    if not permissions.grids_for_registration(actor).filter(pk=grid.pk).exists():
        raise PermissionDenied(_("You may not register households in this grid."))
    household = Household(number=number, **data)
    household.full_clean()
    household.save()
    head_member = Member(household=household, **head_data)
    head_member.full_clean()
    member_search_keys_set(head_member)
    head_member.save()
    others = [Member(household=household, **row) for row in rows]
    for other in others:
        member_search_keys_set(other)
    Member.objects.bulk_create(others)
    changes = _changes(household, {"number": number, **data}, created=True)
    changes.update(
        {
            f"head.{key}": value
            for key, value in _changes(
                head_member, head_data, created=True, skip=_DERIVED_MEMBER_FIELDS
            ).items()
        }
    )
    audit_record(
        actor=actor,
        action="household.register",
        obj=household,
        household_id=household.pk,
        changes=changes,
    )
    audit_record_many(
        actor=actor,
        events=[
            PendingEvent(
                "member.add",
                member,
                household.pk,
                _changes(member, row, created=True, skip=_DERIVED_MEMBER_FIELDS),
            )
            for member, row in zip(others, rows, strict=True)
        ],
    )
    household_registered.send(sender=Household, household=household, actor=actor)
    return household


@transaction.atomic
def household_update(*, actor: User, household: Household, **fields: Any) -> Household:
    """Change a household's residence, type, label or phone."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    household_require(actor, "change", household)
    data = household_data_clean(fields, is_new=False)
    if "grid" in data and data["grid"] != household.grid:
        if not permissions.grids_for_registration(actor).filter(pk=data["grid"].pk).exists():
            raise ValidationError({"grid": _("Grid: you may not move households into this grid.")})
    changes = _changes(household, data)
    if not changes:
        return household
    if "monitoring" in changes and household.monitorings.exclude(status="eliminated").exists():
        # A monitored household's category follows its monitoring record (防返贫监测 pages).
        raise ValidationError(
            {"monitoring": _("This household is being monitored: its category changes there.")}
        )
    old_grid = household.grid
    for key, value in data.items():
        setattr(household, key, value)
    household.full_clean()
    household.save()
    audit_record(
        actor=actor,
        action="household.update",
        obj=household,
        household_id=household.pk,
        changes=changes,
    )
    if household.grid_id != old_grid.pk:
        household_moved.send(Household, household=household, old_grid=old_grid, actor=actor)
    return household


@transaction.atomic
def member_add(*, actor: User, household: Household, **fields: Any) -> Member:
    """Add a member to a household."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    household_require(actor, "add_member", household)
    data = member_data_clean(fields, member=None)
    if not data.get("relationship"):
        raise ValidationError({"relationship": _("Relationship to head is required.")})
    _check_single_head(household, data["relationship"], None)
    member = Member(household=household, **data)
    member.full_clean()
    member_search_keys_set(member)
    member.save()
    audit_record(
        actor=actor,
        action="member.add",
        obj=member,
        household_id=household.pk,
        changes=_changes(member, data, created=True, skip=_DERIVED_MEMBER_FIELDS),
    )
    member_added.send(sender=Member, member=member, actor=actor)
    return member


@transaction.atomic
def member_update(*, actor: User, member: Member, **fields: Any) -> Member:
    """Change a member's identity, relationship, education, health, capacity or phone."""
    member = Member.objects.select_for_update().select_related("household").get(pk=member.pk)
    household_require(actor, "change_member", member.household)
    data = member_data_clean(fields, member=member)
    _check_single_head(member.household, data.get("relationship", member.relationship), member)
    changes = _changes(member, data, skip=_DERIVED_MEMBER_FIELDS)
    if not changes:
        return member
    for key, value in data.items():
        setattr(member, key, value)
    member.full_clean()
    member_search_keys_set(member)
    member.save()
    audit_record(
        actor=actor,
        action="member.update",
        obj=member,
        household_id=member.household_id,
        changes=changes,
    )
    if {"labour_capacity", "in_school"} & changes.keys():
        member_circumstances_changed.send(sender=Member, member=member, actor=actor)
    return member


def personal_data_shown(*, actor: User, household: Household) -> None:
    """Record that ``actor`` was shown the household's full document numbers and phones."""
    with transaction.atomic():
        audit_record(
            actor=actor, action="personal_data.view", obj=household, household_id=household.pk
        )


def phone_called(*, actor: User, household: Household) -> None:
    """Record that ``actor`` dialled the household's number (tap-to-call): the number went to
    their phone's dialler, not onto a page. Refused (``PermissionDenied``) once the actor has
    called ``privacy.calls_per_day`` households today; calling the same household again does
    not count twice."""
    with transaction.atomic():
        called = calls_today(actor)
        if household.pk not in called and len(called) >= param("privacy.calls_per_day"):
            raise PermissionDenied(
                _(
                    "You have called %(count)d households today, the most allowed in a day. "
                    "Ask your manager if you need to call more."
                )
                % {"count": len(called)}
            )
        audit_record(
            actor=actor, action="personal_data.call", obj=household, household_id=household.pk
        )


def household_list_export(
    *,
    actor: User,
    households: "QuerySet[ListedHousehold]",
    filters: dict[str, Any],
    unmasked: bool,
) -> tuple[IO[bytes], int]:
    """The household list as the user filtered it (``households``: the list page's queryset),
    as Excel in a temporary file, recorded as ``registry.list_export`` (who, which list, which
    filters and search, how many rows), or ``registry.list_export_unmasked`` when full
    identifiers were asked for: only with the right to full personal data, and whole only for
    the households of the grids the user works (not those merely visited)."""
    worked: frozenset[int] = frozenset()
    if unmasked:
        if not permissions.may_unmask_exports(actor):
            raise PermissionDenied(permissions.UNMASK_REFUSED)
        worked = frozenset(permissions.grids_worked_by(actor).values_list("pk", flat=True))
    content, count = household_list_workbook(households, unmasked_grids=worked)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="registry.list_export_unmasked" if unmasked else "registry.list_export",
            obj=None,
            household_id=None,
            changes={
                "list": (None, "households"),
                "filters": (None, "; ".join(f"{k}={v}" for k, v in sorted(filters.items()))),
                "rows": (None, count),
            },
        )
    return content, count
