"""Retention follow-ups (稳岗回访): when the next one falls due, and recording one.

A follow-up that finds the member out of work ends the job or post, which lives in placement
or posts: ``placement.services.retention_followup_record`` records the follow-up here, then
ends the episode, in one transaction.
"""

import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit.services import audit_record
from casework.policy.params import param

from ..models import EmploymentCase, RetentionFollowUp
from .rights import require
from .transitions import case_transition

State = EmploymentCase.State


def followup_checkpoints(started: datetime.date | None = None) -> list[int]:
    """Months after the start of work at which retention is checked: the configured months
    before stability, then always the stability month itself (where the case closes). Both
    are the values in force on ``started``, the day work started (today when not known)."""
    stable = int(param("retention.stable_months", on=started))
    months = {int(m) for m in param("retention.followup_months", on=started) if 0 < int(m) < stable}
    return [*sorted(months), stable]


def followup_month_due(case: EmploymentCase) -> int:
    """The checkpoint (months after the start of work) of the next retention follow-up."""
    months = followup_checkpoints(case.working_since)
    count = case.followups.filter(episode=case.work_episode).count()
    return months[min(count, len(months) - 1)]


def followup_due_at(case: EmploymentCase) -> datetime.datetime:
    """When the next retention follow-up falls due: the checkpoint month after the start of work,
    at the start of that day (local time)."""
    start = case.working_since or timezone.localdate()
    day = start + relativedelta(months=followup_month_due(case))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def retention_followup_create(
    *,
    actor: User,
    case: EmploymentCase,
    still_working: bool,
    monthly_income: Decimal | None = None,
    note: str = "",
) -> RetentionFollowUp:
    """Record a retention check inside the caller's transaction; still in work at the
    stability month closes the case as stable.

    The month is the next scheduled checkpoint (``retention.followup_months``). A member no
    longer working is left in work here: the caller ends the episode.
    """
    require(actor, "work_case", case.member.household)
    if case.state not in EmploymentCase.WORKING_STATES:
        raise ValidationError(_("The member is not in work, so there is nothing to follow up."))
    if still_working and monthly_income is None:
        raise ValidationError({"monthly_income": _("Record the current monthly income.")})
    if monthly_income is not None and monthly_income < 0:
        raise ValidationError({"monthly_income": _("Income cannot be negative.")})
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("retention_followup_create must run inside the caller's transaction")
    month = followup_month_due(case)
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
    if still_working and month >= int(param("retention.stable_months", on=case.working_since)):
        case_transition(
            actor=actor,
            case=case,
            to=State.STABLE,
            action="employment_case.stable",
            reason=_("In work for %(months)s months") % {"months": month},
        )
    return followup
