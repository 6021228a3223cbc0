"""Writes to the code lists: a code added, its label, groups or dates changed, a code ended.
Only administrators may; each write records one audit event with its actor."""

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit.services import audit_record
from casework.registry.validators import clean_line

from .models import Code

CODE_FIELDS = (
    "label", "group", "group_five", "national_label", "sort_order", "valid_from", "valid_to",
)  # fmt: skip


def _require_admin(actor: User) -> None:
    if not (actor.is_superuser or actor.has_perm("policy.change_code")):
        raise PermissionDenied(_("Only administrators may change the code lists."))


def _clean(code: Code) -> None:
    code.label = clean_line(code.label)
    if not code.label:
        raise ValidationError({"label": _("Give the label shown for the code.")})
    if code.valid_to is not None and code.valid_to < code.valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    try:
        code.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


def code_add(
    *,
    actor: User,
    list_name: str,
    code: str,
    label: str,
    valid_from: datetime.date | None = None,
    **details: object,
) -> Code:
    """Add a code to a list, valid from ``valid_from`` (today by default)."""
    _require_admin(actor)
    unknown = set(details) - set(CODE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown code fields: {sorted(unknown)}")
    if list_name not in Code.List.values:
        raise ValidationError({"list_name": _("Choose a code list.")})
    code = code.strip().lower()
    if not code or not code.replace("_", "").isalnum() or not code.isascii():
        raise ValidationError({"code": _("A code is letters, digits and underscores.")})
    row = Code(
        list_name=list_name, code=code, label=label,
        valid_from=valid_from or timezone.localdate(), **details,
    )  # fmt: skip
    _clean(row)
    try:
        with transaction.atomic():
            row.save()
            audit_record(
                actor=actor,
                action="code.add",
                obj=row,
                household_id=None,
                changes={
                    "list": (None, list_name),
                    "code": (None, code),
                    "label": (None, row.label),
                },
            )
    except IntegrityError as exc:
        raise ValidationError({"code": _("The list already has this code.")}) from exc
    return row


def code_change(*, actor: User, code: Code, **fields: object) -> Code:
    """Change a code's label, groups, order or end date; the code itself never changes (the
    records store it)."""
    _require_admin(actor)
    unknown = set(fields) - set(CODE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown code fields: {sorted(unknown)}")
    before = {name: getattr(code, name) for name in fields}
    for name, value in fields.items():
        setattr(code, name, value)
    _clean(code)
    changes = {
        name: (before[name], getattr(code, name))
        for name in fields
        if before[name] != getattr(code, name)
    }
    with transaction.atomic():
        code.save(update_fields=list(fields) or None)
        audit_record(
            actor=actor, action="code.change", obj=code, household_id=None, changes=changes
        )
    return code


def code_end(*, actor: User, code: Code, on: datetime.date | None = None) -> Code:
    """End a code: from the day after ``on`` (today by default) forms no longer offer it;
    records that used it keep showing its label."""
    _require_admin(actor)
    day = on or timezone.localdate()
    if code.valid_to is not None and code.valid_to <= day:
        raise ValidationError(_("The code has already ended."))
    if day < code.valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    before = code.valid_to
    with transaction.atomic():
        code.valid_to = day
        code.save(update_fields=["valid_to"])
        audit_record(
            actor=actor, action="code.end", obj=code, household_id=None,
            changes={"valid_to": (before, day)},
        )  # fmt: skip
    return code
