"""A household's life after registration: a member leaves, the head changes.

A member joining is ``services.member_add``. Each service runs in one transaction with its audit
event; the layers above react to ``member_left`` (the member's case closes, their tasks end).
"""

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import permissions
from casework.audit.services import audit_record

from .models import Household, Member
from .signals import member_left


def _require(actor: User, household: Household) -> None:
    if not permissions.can(actor, "change_member", household):
        raise PermissionDenied(_("You may not do this to the household."))


def member_leave(
    *, actor: User, member: Member, reason: str, on: datetime.date | None = None
) -> Member:
    """Record that ``member`` left the household (moved out, married out, deceased, household
    registration moved out) on ``on``. The row stays, with its cases and history.

    The head cannot leave while still the head: name the new head first (``head_change``).
    """
    with transaction.atomic():
        member = Member.objects.select_for_update().select_related("household").get(pk=member.pk)
        household = member.household
        _require(actor, household)
        errors: dict[str, str] = {}
        if member.has_left:
            errors["reason"] = _("%(name)s already left the household on %(day)s.") % {
                "name": member.name,
                "day": member.left_on,
            }
        if reason not in Member.Departure.values:
            errors["reason"] = _("Choose why %(name)s left the household.") % {"name": member.name}
        day = on or timezone.localdate()
        if day > timezone.localdate():
            errors["on"] = _("The day of leaving cannot be in the future.")
        if member.is_head and not errors:
            errors["reason"] = _(
                "%(name)s is the head of household %(household)s: name the new head first."
            ) % {"name": member.name, "household": household.number}
        if errors:
            raise ValidationError(errors)
        member.left_on, member.left_reason = day, reason
        member.save(update_fields=["left_on", "left_reason", "updated_at"])
        audit_record(
            actor=actor,
            action="member.leave",
            obj=member,
            household_id=household.pk,
            changes={"left_on": (None, day), "left_reason": (None, reason)},
        )
        member_left.send(sender=Member, member=member, actor=actor)
    return member


def head_change(
    *, actor: User, household: Household, new_head: Member, former_head_relationship: str
) -> Member:
    """Make ``new_head`` the head; the former head (if still a member) takes
    ``former_head_relationship``. The household keeps exactly one head throughout."""
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        _require(actor, household)
        new_head = Member.objects.select_for_update().get(pk=new_head.pk)
        errors: dict[str, str] = {}
        if new_head.household_id != household.pk or new_head.has_left:
            errors["new_head"] = _("%(name)s is not a current member of this household.") % {
                "name": new_head.name
            }
        elif new_head.is_head:
            errors["new_head"] = _("%(name)s is already the head.") % {"name": new_head.name}
        relationships = set(Member.Relationship.values) - {Member.Relationship.HEAD}
        if former_head_relationship not in relationships:
            errors["former_head_relationship"] = _(
                "Choose the former head's relationship to the new head."
            )
        if errors:
            raise ValidationError(errors)
        former = (
            Member.objects.select_for_update()
            .filter(household=household, relationship=Member.Relationship.HEAD)
            .first()
        )
        changes = {"head": (former.name if former else None, new_head.name)}
        if former is not None:
            former.relationship = former_head_relationship
            former.save(update_fields=["relationship", "updated_at"])
        changes["new_head.relationship"] = (new_head.relationship, Member.Relationship.HEAD)
        new_head.relationship = Member.Relationship.HEAD
        new_head.save(update_fields=["relationship", "updated_at"])
        audit_record(
            actor=actor,
            action="household.head_change",
            obj=household,
            household_id=household.pk,
            changes=changes,
        )
    return new_head
