"""Writes to assessments: a household assessed (摸底) and the manager's review (审核)."""

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit.services import audit_record
from casework.policy.models import Code
from casework.policy.params import param
from casework.policy.selectors import code_is_known
from casework.registry.models import Household, Member

from ..models import Assessment, Category, EmploymentCase, HouseholdCase
from .households import household_colour_set
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


class AssessmentErrors(ValidationError):
    """The refused entries of a household assessment: ``by_member`` maps each member's pk to the
    errors of their entry (keyed by field), so that a page can show them on the member's row."""

    def __init__(self, by_member: dict[int, ValidationError]) -> None:
        super().__init__([message for error in by_member.values() for message in error.messages])
        self.by_member = by_member


def assessment_entry_validate(
    entry: AssessmentEntry, household: Household, on: datetime.date | None = None
) -> None:
    """Raise ValidationError unless ``entry`` is a member of ``household`` with a category that
    fits their labour capacity, their age and schooling on the assessment day ``on`` (today by
    default), and their willingness; 三无 and 非劳动力, and every exception, need a reason.

    Each message names the member; errors are keyed by the field to correct.
    """
    member, category = entry.member, entry.category
    name = {"name": member.name}
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if member.household_id != household.pk:
        refuse("member", _("%(name)s is not a member of this household.") % name)
    if category not in Category.values:
        refuse("category", _("Choose a category for %(name)s.") % name)
        raise ValidationError(errors)
    label = {**name, "category": Category(category).label}
    if category in ROUTE_BY_CATEGORY and entry.labour_capacity not in Member.LABOUR_CAPACITIES:
        refuse(
            "category",
            _("%(name)s has no labour capacity and cannot be assessed as %(category)s.") % label,
        )
    reason = bool(entry.reasons.strip())
    if category != Category.NOT_LABOUR and not reason:
        for message in _outside_working_age(member, on or timezone.localdate()):
            refuse("category", message)
    if category == Category.TRAINING and not entry.training_willing and not reason:
        refuse(
            "training_willing",
            _(
                "%(name)s is assessed as needing training but is not willing to train: "
                "check the willingness, or give a reason."
            )
            % name,
        )
    if category in (Category.THREE_NO, Category.NOT_LABOUR) and not reason:
        refuse("reasons", _("Give the reason why %(name)s is assessed as %(category)s.") % label)
    # Any trade the list ever had: an assessment sent back keeps a trade ended since.
    if entry.desired_trade and not code_is_known(Code.List.TRADE, entry.desired_trade):
        refuse("desired_trade", _("Choose a trade of the list in force."))
    if errors:
        raise ValidationError(errors)


def _outside_working_age(member: Member, day: datetime.date) -> list[str]:
    """Why ``member`` is not of working age on ``day``: too young, at or over the retirement
    age of their sex, or a full-time student (each a policy parameter or a registry fact)."""
    age = member.age_on(day)
    youngest = int(param("assessment.working_age_min", on=day))
    retirement = int(param("assessment.retirement_age", on=day)[member.sex])
    facts = {"name": member.name, "age": age}
    messages = []
    if age < youngest:
        messages.append(
            _(
                "%(name)s is %(age)s, under the working age of %(min)s: assess them as not in "
                "the labour force, or give a reason."
            )
            % {**facts, "min": youngest}
        )
    elif age >= retirement:
        messages.append(
            _(
                "%(name)s is %(age)s, at or over the retirement age of %(max)s: assess them as "
                "not in the labour force, or give a reason."
            )
            % {**facts, "max": retirement}
        )
    if member.in_school:
        messages.append(
            _(
                "%(name)s is a full-time student: assess them as not in the labour force, "
                "or give a reason."
            )
            % facts
        )
    return messages


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
    today = timezone.localdate()
    refused: dict[int, ValidationError] = {}
    for entry in entries:
        try:
            assessment_entry_validate(entry, household, on=today)
        except ValidationError as error:
            refused[entry.member.pk] = error
    if refused:
        raise AssessmentErrors(refused)
    with transaction.atomic():
        versions = dict(
            Assessment.objects.filter(member__in=member_ids)
            .values_list("member")
            .annotate(last=Max("version"))
        )
        created = [
            _assessment_create(actor, entry, household_case, versions.get(entry.member.pk, 0) + 1)
            for entry in entries
        ]
        household_colour_set(actor=actor, household=household, colour=colour)
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
        return _assessment_create(actor, entry, household_case, (last or 0) + 1)


def _assessment_create(
    actor: User, entry: AssessmentEntry, household_case: HouseholdCase, version: int
) -> Assessment:
    """One member's assessment, awaiting review, with its audit event (inside the caller's
    transaction)."""
    assessment = Assessment.objects.create(
        **assessment_fields(entry),
        household_case=household_case,
        version=version,
        assessed_by=actor,
    )
    audit_record(
        actor=actor,
        action="assessment.create",
        obj=assessment,
        household_id=household_case.household_id,
        changes={
            "category": (None, assessment.category),
            "labour_capacity": (None, assessment.labour_capacity),
            "work_willing": (None, assessment.work_willing),
            "training_willing": (None, assessment.training_willing),
        },
    )
    return assessment


def pending_assessments(
    household_case: HouseholdCase,
    member: Member | None = None,
    exclude: Collection[int] = (),
) -> list[Assessment]:
    """The assessments awaiting the manager's review: of one member, or of the household's own
    assessment — not a member's reassessment (their case's review decides it), nor those of
    the members in ``exclude`` (assessed on their own, in a flow of their own)."""
    pending = household_case.assessments.filter(review=Assessment.Review.PENDING)
    if member is not None:
        pending = pending.filter(member=member)
    else:
        # Per member, by the open-case index: not every open case of the city against each row.
        reassessed = EmploymentCase.objects.filter(
            member_id=OuterRef("member_id"), closed_at__isnull=True
        )
        pending = pending.exclude(Exists(reassessed)).exclude(member__in=list(exclude))
    return list(pending.select_related("member").order_by("member_id"))


def assessment_review(
    *,
    actor: User,
    household_case: HouseholdCase,
    approve: bool,
    reason: str = "",
    member: Member | None = None,
    exclude: Collection[int] = (),
) -> list[Assessment]:
    """Approve the household's (or one member's) pending assessments, or send them back with a
    reason."""
    household = household_case.household
    require(actor, "review", household)
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Say why the assessment is sent back.")})
    pending = pending_assessments(household_case, member, exclude)
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
