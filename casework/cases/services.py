"""Writes to assessments and cases. Each service runs in one transaction with its audit event.

Flow task views call these; the flows only read the resulting state to choose the next step.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import permissions
from casework.audit.services import audit_record
from casework.policy.params import param
from casework.registry.models import Household, Member

from .models import (
    Assessment,
    Category,
    EmploymentCase,
    HouseholdCase,
    RetentionFollowUp,
)

State = EmploymentCase.State
ROUTE_BY_CATEGORY = {
    Category.CAPABLE: State.SEEKING,
    Category.TRAINING: State.IN_TRAINING,
    Category.THREE_NO: State.AWAITING_POST,
}


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


def require(actor: AbstractBaseUser, action: permissions.Action, household: Household) -> None:
    """Raise PermissionDenied unless ``actor`` may take ``action`` on ``household``."""
    if not permissions.can(actor, action, household):
        raise PermissionDenied(_("You may not do this to the household."))


def _household_of(case: EmploymentCase) -> Household:
    return case.member.household


def household_case_open(*, actor: AbstractBaseUser | None, household: Household) -> HouseholdCase:
    """Open the household's assistance case (at registration or import)."""
    with transaction.atomic():
        case = HouseholdCase.objects.create(household=household)
        audit_record(actor=actor, action="household_case.open", obj=case, household_id=household.pk)
    return case


def _validate_entry(entry: AssessmentEntry, household: Household) -> None:
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


def household_assess(
    *,
    actor: AbstractBaseUser,
    household_case: HouseholdCase,
    entries: list[AssessmentEntry],
    colour: str,
) -> list[Assessment]:
    """Record one assessment per member (a new version each time) and the 三色 label.

    Every member of the household must be assessed, each exactly once.
    """
    household = household_case.household
    require(actor, "work_case", household)
    member_ids = set(household.members.values_list("pk", flat=True))
    assessed = [entry.member.pk for entry in entries]
    if sorted(assessed) != sorted(member_ids):
        raise ValidationError(_("Assess every member of the household exactly once."))
    if colour not in Household.Colour.values:
        raise ValidationError({"colour": _("Choose the household's three-colour label.")})
    for entry in entries:
        _validate_entry(entry, household)
    with transaction.atomic():
        versions = dict(
            Assessment.objects.filter(member__in=member_ids)
            .values_list("member")
            .annotate(last=Max("version"))
        )
        created = []
        for entry in entries:
            assessment = Assessment.objects.create(
                **{name: getattr(entry, name) for name in AssessmentEntry.__dataclass_fields__},
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


def pending_assessments(household_case: HouseholdCase) -> list[Assessment]:
    """The assessments of the household awaiting the manager's review."""
    return list(
        household_case.assessments.filter(review=Assessment.Review.PENDING)
        .select_related("member")
        .order_by("member_id")
    )


def assessment_review(
    *, actor: AbstractBaseUser, household_case: HouseholdCase, approve: bool, reason: str = ""
) -> list[Assessment]:
    """Approve the household's pending assessments, or send them back with a reason."""
    household = household_case.household
    require(actor, "review", household)
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Say why the assessment is sent back.")})
    pending = pending_assessments(household_case)
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


def employment_cases_open(
    *, actor: AbstractBaseUser | None, household_case: HouseholdCase
) -> list[EmploymentCase]:
    """One employment case per labour member, from their approved assessment.

    Members assessed 非劳动力 get no case. Calling it again opens nothing twice.
    """
    approved = (
        Assessment.objects.filter(household_case=household_case, review=Assessment.Review.APPROVED)
        .order_by("member_id", "-version")
        .select_related("member")
    )
    latest: dict[int, Assessment] = {}
    for assessment in approved:
        latest.setdefault(assessment.member_id, assessment)
    already = set(
        EmploymentCase.objects.filter(
            household_case=household_case, closed_at__isnull=True
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


def _set_state(
    case: EmploymentCase,
    *,
    actor: AbstractBaseUser | None,
    state: str,
    action: str,
    reason: str = "",
    extra: dict[str, Any] | None = None,
) -> EmploymentCase:
    """Move the case to ``state`` (closing it if the state is final), with one audit event."""
    if case.is_closed:
        raise ValidationError(_("The case is already closed."))
    changes: dict[str, tuple[Any, Any]] = {"state": (case.state, state)}
    fields = ["state"]
    if state in EmploymentCase.WORKING_STATES and case.state not in EmploymentCase.WORKING_STATES:
        case.work_episode += 1  # retention follow-ups count from the start of each new job
        fields.append("work_episode")
    case.state = state
    for name, value in (extra or {}).items():
        changes[name] = (getattr(case, name), value)
        setattr(case, name, value)
        fields.append(name)
    if state in EmploymentCase.CLOSED_STATES:
        case.closed_at = timezone.now()
        case.close_reason = reason
        fields += ["closed_at", "close_reason"]
    case.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=action,
        obj=case,
        household_id=case.member.household_id,
        changes=changes,
        reason=reason,
    )
    return case


def case_transition(
    *,
    actor: AbstractBaseUser | None,
    case: EmploymentCase,
    state: str,
    action: str,
    reason: str = "",
    extra: dict[str, Any] | None = None,
) -> EmploymentCase:
    """Change a case's state inside the caller's transaction (used by the other modules)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case_transition must run inside the caller's transaction")
    return _set_state(case, actor=actor, state=state, action=action, reason=reason, extra=extra)


def case_refusal_record(
    *, actor: AbstractBaseUser, case: EmploymentCase, reason: str
) -> EmploymentCase:
    """The person refused what was offered: count it; at the limit assistance ends.

    Below the limit the case goes to reassessment.
    """
    require(actor, "work_case", _household_of(case))
    if case.state not in (State.SEEKING, State.IN_TRAINING, State.AWAITING_POST):
        raise ValidationError(_("Nothing is being offered to the member at this stage."))
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
            return _set_state(
                case,
                actor=actor,
                state=State.EXITED,
                action="employment_case.refusal",
                reason=close,
                extra={"refusal_count": count},
            )
        return _set_state(
            case,
            actor=actor,
            state=State.REASSESSING,
            action="employment_case.refusal",
            reason=reason,
            extra={"refusal_count": count},
        )


def case_reassess(
    *, actor: AbstractBaseUser, case: EmploymentCase, entry: AssessmentEntry
) -> EmploymentCase:
    """A new assessment of the member; the case re-routes by the new category.

    非劳动力 closes the case as out of scope.
    """
    household = _household_of(case)
    require(actor, "work_case", household)
    if case.state != State.REASSESSING:
        raise ValidationError(_("The member is not waiting for reassessment."))
    _validate_entry(entry, household)
    with transaction.atomic():
        last = Assessment.objects.filter(member=entry.member).aggregate(v=Max("version"))["v"] or 0
        assessment = Assessment.objects.create(
            **{name: getattr(entry, name) for name in AssessmentEntry.__dataclass_fields__},
            household_case=case.household_case,
            version=last + 1,
            assessed_by=actor,
            review=Assessment.Review.NOT_REQUIRED,
        )
        audit_record(
            actor=actor,
            action="assessment.create",
            obj=assessment,
            household_id=household.pk,
            changes={"category": (None, assessment.category)},
        )
        if entry.category not in ROUTE_BY_CATEGORY:
            return _set_state(
                case,
                actor=actor,
                state=State.NOT_IN_SCOPE,
                action="employment_case.reassess",
                # Free-text reasons may describe health: they stay on the assessment, not in
                # the audit log or the closing reason.
                reason=str(Category(entry.category).label),
                extra={"category": entry.category},
            )
        return _set_state(
            case,
            actor=actor,
            state=ROUTE_BY_CATEGORY[entry.category],
            action="employment_case.reassess",
            extra={"category": entry.category},
        )


def retention_followup_record(
    *,
    actor: AbstractBaseUser,
    case: EmploymentCase,
    still_working: bool,
    monthly_income: Decimal | None = None,
    note: str = "",
) -> RetentionFollowUp:
    """Record a retention check; losing the job ends the episode, enough months close the case.

    The month is the next scheduled checkpoint (``retention.followup_months``).
    """
    from casework.placement.services import episode_end  # the episode lives in placement/posts

    require(actor, "work_case", _household_of(case))
    if case.state not in EmploymentCase.WORKING_STATES:
        raise ValidationError(_("The member is not in work, so there is nothing to follow up."))
    if still_working and monthly_income is None:
        raise ValidationError({"monthly_income": _("Record the current monthly income.")})
    if monthly_income is not None and monthly_income < 0:
        raise ValidationError({"monthly_income": _("Income cannot be negative.")})
    month = followup_month_due(case)
    with transaction.atomic():
        followup = RetentionFollowUp.objects.create(
            case=case,
            episode=case.work_episode,
            month=month,
            still_working=still_working,
            monthly_income=monthly_income,
            note=note.strip(),
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="retention_followup.create",
            obj=followup,
            household_id=case.member.household_id,
            changes={"month": (None, month), "still_working": (None, still_working)},
        )
        if not still_working:
            episode_end(actor=actor, case=case, reason=note.strip() or _("Lost the job"))
        elif month >= int(param("retention.stable_months")):
            _set_state(
                case,
                actor=actor,
                state=State.STABLE,
                action="employment_case.stable",
                reason=_("In work for %(months)s months") % {"months": month},
            )
    return followup


def followup_checkpoints() -> list[int]:
    """Months after the start of work at which retention is checked: the configured months
    before stability, then always the stability month itself (where the case closes)."""
    stable = int(param("retention.stable_months"))
    months = {int(m) for m in param("retention.followup_months") if 0 < int(m) < stable}
    return [*sorted(months), stable]


def followup_month_due(case: EmploymentCase) -> int:
    """The checkpoint (months after the start of work) of the next retention follow-up."""
    months = followup_checkpoints()
    count = case.followups.filter(episode=case.work_episode).count()
    return months[min(count, len(months) - 1)]


def followup_due_at(case: EmploymentCase) -> datetime.datetime:
    """When the next retention follow-up falls due: the checkpoint month after the start of work,
    at the start of that day (local time)."""
    start = case.working_since or timezone.localdate()
    day = start + relativedelta(months=followup_month_due(case))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def household_case_closable(household_case: HouseholdCase) -> bool:
    """Every labour member's case is closed and at least one member is in stable work."""
    cases = household_case.employment_cases.all()
    states = list(cases.values_list("state", "closed_at"))
    if not states or any(closed is None for _state, closed in states):
        return False
    return any(state == State.STABLE for state, _closed in states)


def household_case_close(
    *, actor: AbstractBaseUser | None, household_case: HouseholdCase
) -> HouseholdCase:
    """Close the household's assistance once ``household_case_closable`` holds."""
    if household_case.closed_at is not None:
        return household_case
    if not household_case_closable(household_case):
        raise ValidationError(_("The household still has open cases or nobody in stable work."))
    with transaction.atomic():
        household_case.closed_at = timezone.now()
        household_case.save(update_fields=["closed_at"])
        audit_record(
            actor=actor,
            action="household_case.close",
            obj=household_case,
            household_id=household_case.household_id,
            reason=_("Every labour member's case is closed; at least one is in stable work."),
        )
    return household_case
