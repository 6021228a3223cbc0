"""Writes to work episodes: a job or post ended, and the retention follow-up that may end one.

An episode is a job (placement) or a public-welfare post (posts); ending one moves the case
on through ``cases.services.case_transition``.
"""

from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit.services import audit_record
from casework.cases import services as case_services
from casework.cases.models import EmploymentCase, RetentionFollowUp
from casework.posts import services as post_services
from casework.posts.models import ExitReason, PostAssignment

from ..models import Placement, Vacancy

State = EmploymentCase.State


def episode_end(*, actor: User, case: EmploymentCase, reason: str) -> None:
    """The member lost their job or left their post, inside the caller's transaction.

    After a job the case goes back to placement; after a public-welfare post, to reassessment.
    """
    today = timezone.localdate()
    obj: Placement | PostAssignment
    if case.state == State.EMPLOYED:
        placement = Placement.objects.get(case=case, end_date__isnull=True)
        placement.end_date, placement.end_reason = today, reason
        placement.save(update_fields=["end_date", "end_reason"])
        if placement.vacancy_id:  # the place on the job menu is free again
            Vacancy.objects.filter(pk=placement.vacancy_id, filled__gt=0).update(
                filled=F("filled") - 1
            )
        obj, next_state = placement, State.SEEKING
    elif case.state == State.ON_POST:
        post = PostAssignment.objects.get(case=case, status=PostAssignment.Status.ON_POST)
        if post.post_id is None:  # an assignment from before posts had quotas
            post.status, post.end_date, post.exit_note = PostAssignment.Status.ENDED, today, reason
            post.save(update_fields=["status", "end_date", "exit_note"])
        else:
            post_services.assignment_end(
                actor=actor, assignment=post, reason=ExitReason.OTHER, note=reason
            )
        obj, next_state = post, State.REASSESSING
    else:
        raise ValidationError(_("The member is not in work."))
    audit_record(
        actor=actor,
        action=f"{obj._meta.model_name}.end",
        obj=obj,
        household_id=case.member.household_id,
        changes={"end_date": (None, today)},
        reason=reason,
    )
    case_services.case_transition(
        actor=actor,
        case=case,
        to=next_state,
        action="employment_case.lost_work",
        reason=reason,
        extra={"working_since": None},
    )


def retention_followup_record(
    *,
    actor: User,
    case: EmploymentCase,
    still_working: bool,
    monthly_income: Decimal | None = None,
    note: str = "",
) -> RetentionFollowUp:
    """Record a retention check (``cases.services.retention_followup_create``); a member no
    longer working ends the job or post (``episode_end``), in the same transaction.

    After a job the case goes back to placement; after a post, to reassessment; enough months
    still in work close the case as stable.
    """
    with transaction.atomic():
        followup = case_services.retention_followup_create(
            actor=actor,
            case=case,
            still_working=still_working,
            monthly_income=monthly_income,
            note=note,
        )
        if not still_working:
            episode_end(actor=actor, case=case, reason=note.strip() or _("Lost the job"))
    return followup
