"""Writes to the registry. Each service runs in one transaction and appends one audit event.

Errors are ``ValidationError``s keyed by field, with Chinese sentences that name the field;
``PermissionDenied`` when the actor may not act on the household.
"""

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from casework import permissions
from casework.audit.services import Changes, audit_record

from .models import Grid, Household, Member, Region, Site
from .signals import household_registered, member_added
from .validators import (
    CHECKSUMMED_DOCUMENT_TYPES,
    clean_text,
    mask_document_number,
    mask_phone,
    normalize_phone,
    parse_identity_document,
)

HOUSEHOLD_FIELDS = (
    "grid", "building", "unit", "room", "origin_region", "origin_address",
    "household_type", "monitoring", "colour", "phone",
)  # fmt: skip
MEMBER_FIELDS = (
    "name", "document_type", "document_number", "sex", "birth_date", "relationship",
    "education", "in_school", "health", "labour_capacity", "phone", "political_status",
    "arrival",
)  # fmt: skip
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


def _require(actor: User, action: permissions.Action, household: Household) -> None:
    if not permissions.can(actor, action, household):
        raise PermissionDenied(_("You may not do this to the household."))


def _clean_member_data(data: dict[str, Any], *, member: Member | None) -> dict[str, Any]:
    """Normalise and validate a member's fields; derive sex and birth date from the number."""
    cleaned = {key: data[key] for key in MEMBER_FIELDS if key in data}
    errors: dict[str, list[str]] = {}
    name = clean_text(cleaned.get("name", member.name if member else ""))
    if not name:
        errors.setdefault("name", []).append(_("Name is required."))
    cleaned["name"] = name
    doc_type = cleaned.get(
        "document_type", member.document_type if member else Member.DocumentType.RESIDENT_ID
    )
    cleaned["document_type"] = doc_type
    raw_number = cleaned.get("document_number", member.document_number if member else "")
    label = _("Document number")
    try:
        if doc_type in CHECKSUMMED_DOCUMENT_TYPES:
            resident_id = parse_identity_document(
                raw_number, document_type=doc_type, field_label=label
            )
            cleaned["document_number"] = resident_id.number
            cleaned["birth_date"] = resident_id.birth_date
            cleaned["sex"] = resident_id.sex
        else:
            number = clean_text(raw_number).upper()
            if not number:
                raise ValidationError(_("%(field)s is required.") % {"field": label})
            cleaned["document_number"] = number
            for field, message in (
                ("sex", _("Sex is required for this document type.")),
                ("birth_date", _("Birth date is required for this document type.")),
            ):
                if not cleaned.get(field, getattr(member, field, None) if member else None):
                    errors.setdefault(field, []).append(message)
    except ValidationError as exc:
        errors.setdefault("document_number", []).extend(exc.messages)
    if "document_number" not in errors:
        duplicates = Member.objects.filter(document_number=cleaned["document_number"])
        if member is not None:
            duplicates = duplicates.exclude(pk=member.pk)
        if duplicates.exists():
            errors.setdefault("document_number", []).append(
                _(
                    "Document number %(number)s is already registered to another person; "
                    "one person can be registered only once."
                )
                % {"number": mask_document_number(cleaned["document_number"])}
            )
    if "phone" in cleaned:
        try:
            cleaned["phone"] = normalize_phone(cleaned["phone"] or "", field_label=_("Phone"))
        except ValidationError as exc:
            errors.setdefault("phone", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


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


def _clean_household_data(data: dict[str, Any], *, household: Household | None) -> dict[str, Any]:
    cleaned = {key: data[key] for key in HOUSEHOLD_FIELDS if key in data}
    errors: dict[str, list[str]] = {}
    if "phone" in cleaned:
        try:
            cleaned["phone"] = normalize_phone(
                cleaned["phone"] or "", field_label=_("Household phone")
            )
        except ValidationError as exc:
            errors["phone"] = exc.messages
    for key in ("building", "unit", "room", "origin_address"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip()
    if household is None and not cleaned.get("grid"):
        errors["grid"] = [_("Grid is required.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def household_register(
    *, actor: User, number: str, head: dict[str, Any], **fields: Any
) -> Household:
    """Register a household together with its head (a household always has exactly one head)."""
    number = clean_text(number)
    errors: dict[str, list[str]] = {}
    if not number:
        errors["number"] = [_("Household number is required.")]
    elif Household.objects.filter(number=number).exists():
        errors["number"] = [
            _("Household number %(number)s is already registered.") % {"number": number}
        ]
    try:
        data = _clean_household_data(fields, household=None)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        data = {}
    try:
        head_data = _clean_member_data(
            {**head, "relationship": Member.Relationship.HEAD}, member=None
        )
    except ValidationError as exc:
        errors.update({f"head_{key}": value for key, value in exc.message_dict.items()})
        head_data = {}
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
    head_member.save()
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
    household_registered.send(sender=Household, household=household, actor=actor)
    return household


@transaction.atomic
def household_update(*, actor: User, household: Household, **fields: Any) -> Household:
    """Change a household's residence, type, label or phone."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    _require(actor, "change", household)
    data = _clean_household_data(fields, household=household)
    if "grid" in data and data["grid"] != household.grid:
        if not permissions.grids_for_registration(actor).filter(pk=data["grid"].pk).exists():
            raise ValidationError({"grid": _("Grid: you may not move households into this grid.")})
    changes = _changes(household, data)
    if not changes:
        return household
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
    return household


@transaction.atomic
def member_add(*, actor: User, household: Household, **fields: Any) -> Member:
    """Add a member to a household."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    _require(actor, "add_member", household)
    data = _clean_member_data(fields, member=None)
    if not data.get("relationship"):
        raise ValidationError({"relationship": _("Relationship to head is required.")})
    _check_single_head(household, data["relationship"], None)
    member = Member(household=household, **data)
    member.full_clean()
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
    _require(actor, "change_member", member.household)
    data = _clean_member_data(fields, member=member)
    _check_single_head(member.household, data.get("relationship", member.relationship), member)
    changes = _changes(member, data, skip=_DERIVED_MEMBER_FIELDS)
    if not changes:
        return member
    for key, value in data.items():
        setattr(member, key, value)
    member.full_clean()
    member.save()
    audit_record(
        actor=actor,
        action="member.update",
        obj=member,
        household_id=member.household_id,
        changes=changes,
    )
    return member


@transaction.atomic
def region_ensure(
    *,
    actor: User | None,
    code: str,
    name: str,
    level: str,
    parent: Region | None = None,
    valid_to_year: int | None = None,
) -> Region:
    """Create a region by code unless it exists; codes are data, never checked against a list."""
    region = Region.objects.filter(code=code).first()
    if region is not None:
        return region
    region = Region(code=code, name=name, level=level, parent=parent, valid_to_year=valid_to_year)
    region.full_clean()
    region.save()
    audit_record(
        actor=actor,
        action="region.create",
        obj=region,
        household_id=None,
        changes={"code": (None, code), "name": (None, name)},
    )
    return region


@transaction.atomic
def site_create(*, actor: User | None, code: str, name: str, **fields: Any) -> Site:
    """Create a resettlement site."""
    site = Site(code=code, name=name, **fields)
    site.full_clean()
    site.save()
    audit_record(
        actor=actor,
        action="site.create",
        obj=site,
        household_id=None,
        changes={"code": (None, code), "name": (None, name)},
    )
    return site


@transaction.atomic
def grid_create(*, actor: User | None, site: Site, code: str, name: str) -> Grid:
    """Create a grid in a site."""
    grid = Grid(site=site, code=code, name=name)
    grid.full_clean()
    grid.save()
    audit_record(
        actor=actor,
        action="grid.create",
        obj=grid,
        household_id=None,
        changes={"site": (None, site.pk), "code": (None, code), "name": (None, name)},
    )
    return grid


@transaction.atomic
def jurisdiction_grant_grid(*, actor: User | None, user: User, grid: Grid) -> None:
    """Make ``user`` a caseworker of ``grid`` (they see and work its households)."""
    assign_perm(permissions.WORK_GRID, user, grid)
    permissions.jurisdiction_forget(user)
    audit_record(
        actor=actor,
        action="jurisdiction.grant_grid",
        obj=grid,
        household_id=None,
        changes={"caseworker": (None, user.get_username())},
    )


@transaction.atomic
def jurisdiction_grant_site(*, actor: User | None, user: User, site: Site) -> None:
    """Make ``user`` a manager of ``site`` (they see every household of it)."""
    assign_perm(permissions.MANAGE_SITE, user, site)
    permissions.jurisdiction_forget(user)
    audit_record(
        actor=actor,
        action="jurisdiction.grant_site",
        obj=site,
        household_id=None,
        changes={"manager": (None, user.get_username())},
    )


def personal_data_shown(*, actor: User, household: Household) -> None:
    """Record that ``actor`` was shown the household's full document numbers and phones."""
    with transaction.atomic():
        audit_record(
            actor=actor, action="personal_data.view", obj=household, household_id=household.pk
        )
