"""Substitutes: arranging and ending a colleague's cover for an absent caseworker. One audit
event each, with the actor."""

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import permissions
from casework.accounts.models import Substitution
from casework.audit.services import audit_record
from casework.permissions import roles
from casework.registry.validators import clean_note


def substitution_create(
    *,
    actor: User,
    absent: User,
    substitute: User,
    start_date: datetime.date,
    end_date: datetime.date,
    reason: str = "",
) -> Substitution:
    """``substitute`` covers ``absent``'s grids from ``start_date`` to ``end_date`` (both
    included): sees their households and takes the tasks of their grids meanwhile."""
    if not permissions.may_change_staff(actor, absent):
        raise PermissionDenied(_("You may not change this account."))
    errors: dict[str, str] = {}
    if roles.CASEWORKER not in roles.user_roles(absent) or not absent.is_active:
        errors["absent"] = _("Only an active caseworker's absence is covered.")
    allowed = permissions.substitutes_for(absent).filter(pk=substitute.pk).exists()
    mine = substitute.pk == actor.pk or (
        permissions.users_administered(actor).filter(pk=substitute.pk).exists()
    )
    if not (allowed and mine):
        errors["substitute"] = _("Choose an active colleague you administer.")
    if end_date < start_date:
        errors["end_date"] = _("The end comes on or after the start.")
    elif end_date < timezone.localdate():
        errors["end_date"] = _("The substitution must not be over already.")
    overlapping = Substitution.objects.filter(
        absent=absent, ended_at__isnull=True, start_date__lte=end_date, end_date__gte=start_date
    )
    if not errors and overlapping.exists():
        errors["start_date"] = _("A substitute already covers these dates.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        substitution = Substitution.objects.create(
            absent=absent,
            substitute=substitute,
            start_date=start_date,
            end_date=end_date,
            reason=clean_note(reason),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="substitution.create",
            obj=substitution,
            household_id=None,
            changes={
                "absent": (None, absent.get_username()),
                "substitute": (None, substitute.get_username()),
                "start_date": (None, start_date),
                "end_date": (None, end_date),
            },
            reason=substitution.reason,
        )
    permissions.jurisdiction_forget(substitute)
    return substitution


def substitution_end(*, actor: User, substitution: Substitution) -> Substitution:
    """End a substitution now (the absent caseworker is back); the row stays as history."""
    if not permissions.may_change_staff(actor, substitution.absent):
        raise PermissionDenied(_("You may not change this account."))
    if substitution.ended_at is not None:
        raise ValidationError(_("The substitution has already ended."))
    with transaction.atomic():
        substitution.ended_at = timezone.now()
        substitution.save(update_fields=["ended_at"])
        audit_record(
            actor=actor,
            action="substitution.end",
            obj=substitution,
            household_id=None,
            changes={"ended_at": (None, substitution.ended_at)},
        )
    permissions.jurisdiction_forget(substitution.substitute)
    return substitution
