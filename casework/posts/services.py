"""Writes to public-welfare post applications and assignments."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit.services import audit_record
from casework.cases.models import EmploymentCase
from casework.cases.services import case_transition, require

from .models import PostAssignment, PostType

State = EmploymentCase.State


def post_apply(
    *, actor: AbstractBaseUser, case: EmploymentCase, post_type: str, note: str = ""
) -> PostAssignment:
    """Apply for a public-welfare post for a 三无 member; the manager decides."""
    require(actor, "work_case", case.member.household)
    if case.state != State.AWAITING_POST:
        raise ValidationError(_("The member is not waiting for a public-welfare post."))
    if post_type not in PostType.values:
        raise ValidationError({"post_type": _("Choose the type of post.")})
    if case.posts.filter(status=PostAssignment.Status.APPLIED).exists():
        raise ValidationError(_("An application for this member is already awaiting a decision."))
    with transaction.atomic():
        post = PostAssignment.objects.create(
            member=case.member, case=case, post_type=post_type, note=note.strip(), applied_by=actor
        )
        audit_record(
            actor=actor,
            action="post.apply",
            obj=post,
            household_id=case.member.household_id,
            changes={"post_type": (None, post_type)},
        )
    return post


def post_decide(
    *,
    actor: AbstractBaseUser,
    case: EmploymentCase,
    approve: bool,
    reason: str = "",
    start_date: datetime.date | None = None,
) -> PostAssignment:
    """The manager approves the pending application (the member goes on post from
    ``start_date``) or refuses it with a reason (the member is reassessed)."""
    require(actor, "review", case.member.household)
    post = case.posts.filter(status=PostAssignment.Status.APPLIED).first()
    if post is None:
        raise ValidationError(_("There is no application awaiting a decision."))
    reason = reason.strip()
    if approve and start_date is None:
        raise ValidationError({"start_date": _("Give the date the member starts on the post.")})
    if not approve and not reason:
        raise ValidationError({"reason": _("Say why the application is refused.")})
    status = PostAssignment.Status.ON_POST if approve else PostAssignment.Status.REFUSED
    with transaction.atomic():
        post.status, post.decided_by, post.decided_at = status, actor, timezone.now()
        post.decision_reason, post.start_date = reason, start_date if approve else None
        post.save()
        audit_record(
            actor=actor,
            action="post.approve" if approve else "post.refuse",
            obj=post,
            household_id=case.member.household_id,
            changes={"status": (PostAssignment.Status.APPLIED.value, status.value)},
            reason=reason,
        )
        if approve:
            case_transition(
                actor=actor,
                case=case,
                state=State.ON_POST,
                action="employment_case.on_post",
                extra={"working_since": start_date},
            )
        else:
            case_transition(
                actor=actor,
                case=case,
                state=State.REASSESSING,
                action="employment_case.post_refused",
                reason=reason,
            )
    return post
