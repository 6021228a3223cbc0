"""Writes to reassessments: a member reassessed while their case waits for it, and the
manager's review of a reassessment that changes the category (or of any reassessment when
``assessment.review_unchanged_reassessment`` says so)."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit.services import audit_record
from casework.policy.params import param

from ..models import Assessment, Category, EmploymentCase
from ..selectors import pending_reassessment
from .assessments import AssessmentEntry, assessment_entry_validate, assessment_fields
from .rights import require
from .transitions import ROUTE_BY_CATEGORY, case_transition, transition_check

State = EmploymentCase.State
Review = Assessment.Review
# A reassessment re-routes the case by the new category, or closes it as out of scope.
REASSESSMENT_OUTCOMES = (*ROUTE_BY_CATEGORY.values(), State.NOT_IN_SCOPE)


def reassessment_needs_review(case: EmploymentCase, category: str) -> bool:
    """A new category always goes to the manager; the same one only if the parameter says so."""
    return category != case.category or bool(param("assessment.review_unchanged_reassessment"))


def case_reassess(*, actor: User, case: EmploymentCase, entry: AssessmentEntry) -> EmploymentCase:
    """A new assessment of the member. When it needs review it waits for the manager, and the
    case stays to be reassessed; otherwise the case re-routes by the category at once.

    非劳动力 closes the case as out of scope (after the review when one is needed).
    """
    household = case.member.household
    require(actor, "work_case", household)
    transition_check(case, *REASSESSMENT_OUTCOMES)
    assessment_entry_validate(entry, household)
    if pending_reassessment(case) is not None:
        raise ValidationError(_("A reassessment of this member is already awaiting review."))
    needs_review = reassessment_needs_review(case, entry.category)
    with transaction.atomic():
        last = Assessment.objects.filter(member=entry.member).aggregate(v=Max("version"))["v"] or 0
        assessment = Assessment.objects.create(
            **assessment_fields(entry),
            household_case=case.household_case,
            version=last + 1,
            assessed_by=actor,
            review=Review.PENDING if needs_review else Review.NOT_REQUIRED,
        )
        audit_record(
            actor=actor,
            action="assessment.create",
            obj=assessment,
            household_id=household.pk,
            changes={
                "category": (None, assessment.category),
                "review": (None, Review(assessment.review).value),
            },
        )
        if needs_review:
            return case
        return _reroute(actor=actor, case=case, category=entry.category)


def reassessment_review(
    *, actor: User, case: EmploymentCase, approve: bool, reason: str = ""
) -> Assessment:
    """Approve the member's pending reassessment (the case re-routes by its category) or send it
    back with a reason (the case stays to be reassessed). Whoever reassessed may not review."""
    household = case.member.household
    require(actor, "review", household)
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Say why the assessment is sent back.")})
    assessment = pending_reassessment(case)
    if assessment is None:
        raise ValidationError(_("There is no assessment awaiting review."))
    if assessment.assessed_by_id == actor.pk:
        raise PermissionDenied(_("You reassessed this member, so someone else must review it."))
    if approve:
        transition_check(case, _route_of(assessment.category))
    outcome = Review.APPROVED if approve else Review.RETURNED
    with transaction.atomic():
        assessment.review, assessment.review_reason = outcome, reason
        assessment.reviewed_by, assessment.reviewed_at = actor, timezone.now()
        assessment.save(update_fields=["review", "review_reason", "reviewed_by", "reviewed_at"])
        audit_record(
            actor=actor,
            action="assessment.approve" if approve else "assessment.return",
            obj=assessment,
            household_id=household.pk,
            changes={"review": (Review.PENDING.value, outcome.value)},
            reason=reason,
        )
        if approve:
            _reroute(actor=actor, case=case, category=assessment.category)
    return assessment


def _route_of(category: str) -> str:
    return ROUTE_BY_CATEGORY.get(category, State.NOT_IN_SCOPE)


def _reroute(*, actor: User, case: EmploymentCase, category: str) -> EmploymentCase:
    """Move the case by its new category, inside the caller's transaction."""
    if category not in ROUTE_BY_CATEGORY:
        return case_transition(
            actor=actor,
            case=case,
            to=State.NOT_IN_SCOPE,
            action="employment_case.reassess",
            # Free-text reasons may describe health: they stay on the assessment, not in
            # the audit log or the closing reason.
            reason=str(Category(category).label),
            extra={"category": category},
        )
    return case_transition(
        actor=actor,
        case=case,
        to=ROUTE_BY_CATEGORY[category],
        action="employment_case.reassess",
        extra={"category": category},
    )
