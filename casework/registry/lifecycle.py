"""A household's life after registration: a member leaves, the head changes, the household
splits in two (分户).

A member joining is ``services.member_add``. Each service runs in one transaction with its audit
event; the layers above react to ``member_left`` (the member's case closes, their tasks end).
"""

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit.services import audit_record

from .models import Household, Member
from .services import household_require
from .signals import household_registered, member_left, members_moved
from .validators import clean_text


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
        household_require(actor, "change_member", household)
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
        household_require(actor, "change_member", household)
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


# What a household split off from another keeps of it.
_SPLIT_KEEPS = ("grid", "origin_region", "origin_address", "household_type", "monitoring", "colour")


def household_split(
    *,
    actor: User,
    household: Household,
    members: list[Member],
    head: Member,
    number: str,
    building: str = "",
    unit: str = "",
    room: str = "",
) -> Household:
    """Split ``members`` off ``household`` into a new household ``number`` headed by ``head``
    (分户). The members keep their rows, cases and history; the new household is registered
    (its own assistance starts with an assessment) and the old one keeps its head."""
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        household_require(actor, "change_member", household)
        number = clean_text(number)
        moving = list(
            Member.objects.select_for_update()
            .current()
            .filter(household=household, pk__in=[m.pk for m in members])
        )
        errors: dict[str, str] = {}
        if not number:
            errors["number"] = _("Household number is required.")
        elif Household.objects.filter(number=number).exists():
            errors["number"] = _("Household number %(number)s is already registered.") % {
                "number": number
            }
        if not moving or len(moving) != len({m.pk for m in members}):
            errors["members"] = _("Choose the current members who form the new household.")
        elif any(member.is_head for member in moving):
            errors["members"] = _(
                "The head stays with household %(number)s: change the head first if they leave."
            ) % {"number": household.number}
        if head.pk not in {m.pk for m in moving}:
            errors["head"] = _("The new head must be one of the members who split off.")
        if errors:
            raise ValidationError(errors)
        new = Household(
            number=number,
            building=clean_text(building),
            unit=clean_text(unit),
            room=clean_text(room),
            **{field: getattr(household, field) for field in _SPLIT_KEEPS},
        )
        new.full_clean()
        new.save()
        Member.objects.filter(pk__in=[m.pk for m in moving]).update(
            household=new, arrival=Member.Arrival.SPLIT, updated_at=timezone.now()
        )
        Member.objects.filter(pk=head.pk).update(relationship=Member.Relationship.HEAD)
        names = "、".join(member.name for member in moving)
        audit_record(
            actor=actor,
            action="household.split",
            obj=household,
            household_id=household.pk,
            changes={"members": (names, None), "split_to": (None, number)},
        )
        audit_record(
            actor=actor,
            action="household.split_from",
            obj=new,
            household_id=new.pk,
            changes={"number": (None, number), "members": (None, names)},
            reason=household.number,
        )
        members_moved.send(sender=Household, members=moving, household=new, actor=actor)
        household_registered.send(sender=Household, household=new, actor=actor)
    return new
