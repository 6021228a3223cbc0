"""Writes to employment cases: opened after the review, a refusal."""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casework.audit.services import audit_record
from casework.policy.params import param
from casework.registry.models import Member

from ..models import Assessment, EmploymentCase, HouseholdCase
from .rights import require
from .transitions import ROUTE_BY_CATEGORY, case_transition, transition_check

State = EmploymentCase.State


def employment_cases_open(
    *, actor: User | None, household_case: HouseholdCase, member: Member | None = None
) -> list[EmploymentCase]:
    """One employment case per labour member (or for ``member`` only), from their approved
    assessment.

    Members assessed 非劳动力, and members who have left, get no case. Calling it again opens
    nothing twice.
    """
    approved = (
        Assessment.objects.filter(household_case=household_case, review=Assessment.Review.APPROVED)
        .filter(member__left_on__isnull=True)
        .order_by("member_id", "-version")
        .select_related("member")
    )
    if member is not None:
        approved = approved.filter(member=member)
    latest: dict[int, Assessment] = {}
    for assessment in approved:
        latest.setdefault(assessment.member_id, assessment)
    # A member has one open case at a time, wherever it was opened (a member who moved with a
    # split household keeps the case of the household they came from).
    already = set(
        EmploymentCase.objects.filter(
            member_id__in=list(latest), closed_at__isnull=True
        ).values_list("member_id", flat=True)
    )
    opened = []
    with transaction.atomic():
        for member_id, assessment in latest.items():
            if assessment.category not in ROUTE_BY_CATEGORY or member_id in already:
                continue
            case = EmploymentCase.objects.create(
                member=assessment.member,
                household_case=household_case,
                category=assessment.category,
                state=ROUTE_BY_CATEGORY[assessment.category],
            )
            audit_record(
                actor=actor,
                action="employment_case.open",
                obj=case,
                household_id=household_case.household_id,
                changes={"category": (None, case.category), "state": (None, case.state)},
            )
            opened.append(case)
    return opened


def member_case_close(*, actor: User | None, member: Member) -> EmploymentCase | None:
    """The member left the household: their open case (if any) closes as left, with the reason
    for leaving."""
    case = EmploymentCase.objects.filter(member=member, closed_at__isnull=True).first()
    if case is None:
        return None
    with transaction.atomic():
        return case_transition(
            actor=actor,
            case=case,
            to=State.LEFT,
            action="employment_case.left",
            reason=str(Member.Departure(member.left_reason).label),
        )


def case_refusal_record(*, actor: User, case: EmploymentCase, reason: str) -> EmploymentCase:
    """The person refused what was offered: count it; at the limit assistance ends.

    Below the limit the case goes to reassessment. A refusal is possible only where either
    outcome is (while a job, a course or a post is being offered).
    """
    require(actor, "work_case", case.member.household)
    transition_check(case, State.REASSESSING, State.EXITED)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"refusal_reason": _("Record what the person refused and why.")})
    limit = int(param("case.refusal_limit"))
    count = case.refusal_count + 1
    with transaction.atomic():
        if count >= limit:
            close = _("Refused assistance %(count)s times: %(reason)s") % {
                "count": count,
                "reason": reason,
            }
            return case_transition(
                actor=actor,
                case=case,
                to=State.EXITED,
                action="employment_case.refusal",
                reason=close,
                extra={"refusal_count": count},
            )
        return case_transition(
            actor=actor,
            case=case,
            to=State.REASSESSING,
            action="employment_case.refusal",
            reason=reason,
            extra={"refusal_count": count},
        )
