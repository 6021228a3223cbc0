"""Writes to assessments: a household assessed (摸底) and the manager's review (审核)."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit.services import audit_record
from casework.registry.models import Household, Member

from ..models import Assessment, Category, HouseholdCase
from .rights import require
from .transitions import ROUTE_BY_CATEGORY


@dataclass(frozen=True)
class AssessmentEntry:
    """What the caseworker records about one member."""

    member: Member
    category: str
    labour_capacity: str
    work_willing: bool = True
    training_willing: bool = False
    desired_trade: str = ""
    desired_area: str = ""
    reasons: str = ""


def assessment_entry_validate(entry: AssessmentEntry, household: Household) -> None:
    """Raise ValidationError unless ``entry`` is a member of ``household`` with a category that
    fits their labour capacity."""
    errors: dict[str, str] = {}
    if entry.member.household_id != household.pk:
        errors["member"] = _("%(name)s is not a member of this household.") % {
            "name": entry.member.name
        }
    if entry.category not in Category.values:
        errors["category"] = _("Choose a category for %(name)s.") % {"name": entry.member.name}
    labour = entry.labour_capacity in Member.LABOUR_CAPACITIES
    if entry.category in ROUTE_BY_CATEGORY and not labour:
        errors["category"] = _(
            "%(name)s has no labour capacity and cannot be assessed as %(category)s."
        ) % {"name": entry.member.name, "category": Category(entry.category).label}
    if errors:
        raise ValidationError(errors)


def assessment_fields(entry: AssessmentEntry) -> dict[str, Any]:
    """The entry as ``Assessment`` field values."""
    return {name: getattr(entry, name) for name in AssessmentEntry.__dataclass_fields__}


def household_assess(
    *,
    actor: User,
    household_case: HouseholdCase,
    entries: list[AssessmentEntry],
    colour: str,
) -> list[Assessment]:
    """Record one assessment per member (a new version each time) and the 三色 label.

    Every member of the household must be assessed, each exactly once.
    """
    household = household_case.household
    require(actor, "work_case", household)
    member_ids = set(household.members.current().values_list("pk", flat=True))
    assessed = [entry.member.pk for entry in entries]
    if sorted(assessed) != sorted(member_ids):
        raise ValidationError(_("Assess every member of the household exactly once."))
    if colour not in Household.Colour.values:
        raise ValidationError({"colour": _("Choose the household's three-colour label.")})
    for entry in entries:
        assessment_entry_validate(entry, household)
    with transaction.atomic():
        versions = dict(
            Assessment.objects.filter(member__in=member_ids)
            .values_list("member")
            .annotate(last=Max("version"))
        )
        created = []
        for entry in entries:
            assessment = Assessment.objects.create(
                **assessment_fields(entry),
                household_case=household_case,
                version=versions.get(entry.member.pk, 0) + 1,
                assessed_by=actor,
            )
            created.append(assessment)
            audit_record(
                actor=actor,
                action="assessment.create",
                obj=assessment,
                household_id=household.pk,
                changes={
                    "category": (None, assessment.category),
                    "labour_capacity": (None, assessment.labour_capacity),
                    "work_willing": (None, assessment.work_willing),
                    "training_willing": (None, assessment.training_willing),
                },
            )
        if household.colour != colour:
            audit_record(
                actor=actor,
                action="household.colour",
                obj=household,
                household_id=household.pk,
                changes={"colour": (household.colour, colour)},
            )
            household.colour = colour
            household.save(update_fields=["colour", "updated_at"])
    return created


def member_assess(
    *, actor: User, household_case: HouseholdCase, entry: AssessmentEntry
) -> Assessment:
    """Assess one member on their own (a member who joined after the household's assessment);
    the manager reviews it like a household's."""
    household = household_case.household
    require(actor, "work_case", household)
    if entry.member.has_left:
        raise ValidationError(_("%(name)s has left the household.") % {"name": entry.member.name})
    assessment_entry_validate(entry, household)
    with transaction.atomic():
        last = Assessment.objects.filter(member=entry.member).aggregate(v=Max("version"))["v"]
        assessment = Assessment.objects.create(
            **assessment_fields(entry),
            household_case=household_case,
            version=(last or 0) + 1,
            assessed_by=actor,
        )
        audit_record(
            actor=actor,
            action="assessment.create",
            obj=assessment,
            household_id=household.pk,
            changes={
                "category": (None, assessment.category),
                "labour_capacity": (None, assessment.labour_capacity),
                "work_willing": (None, assessment.work_willing),
                "training_willing": (None, assessment.training_willing),
            },
        )
    return assessment


def pending_assessments(
    household_case: HouseholdCase, member: Member | None = None
) -> list[Assessment]:
    """The assessments of the household (or of one member) awaiting the manager's review."""
    pending = household_case.assessments.filter(review=Assessment.Review.PENDING)
    if member is not None:
        pending = pending.filter(member=member)
    return list(pending.select_related("member").order_by("member_id"))


def assessment_review(
    *,
    actor: User,
    household_case: HouseholdCase,
    approve: bool,
    reason: str = "",
    member: Member | None = None,
) -> list[Assessment]:
    """Approve the household's (or one member's) pending assessments, or send them back with a
    reason."""
    household = household_case.household
    require(actor, "review", household)
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Say why the assessment is sent back.")})
    pending = pending_assessments(household_case, member)
    if not pending:
        raise ValidationError(_("There is no assessment awaiting review."))
    if any(assessment.assessed_by_id == actor.pk for assessment in pending):
        # Four eyes: whoever assessed the household does not approve it.
        raise PermissionDenied(_("You assessed this household, so someone else must review it."))
    outcome = Assessment.Review.APPROVED if approve else Assessment.Review.RETURNED
    now = timezone.now()
    with transaction.atomic():
        Assessment.objects.filter(pk__in=[a.pk for a in pending]).update(
            review=outcome, reviewed_by=actor, reviewed_at=now, review_reason=reason
        )
        audit_record(
            actor=actor,
            action="assessment.approve" if approve else "assessment.return",
            obj=household_case,
            household_id=household.pk,
            changes={"review": (Assessment.Review.PENDING.value, outcome.value)},
            reason=reason,
        )
    for assessment in pending:
        assessment.review = outcome
    return pending
