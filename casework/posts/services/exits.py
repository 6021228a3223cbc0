"""Writes to the end of a post: an incumbent leaves (the place becomes a vacancy), and the
daily sweep of terms that are over."""

import datetime
import logging

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit.services import audit_record
from casework.cases import services as case_services
from casework.cases.models import EmploymentCase
from casework.policy.models import Code
from casework.policy.selectors import code_is_known, code_label
from casework.registry.validators import clean_note

from ..models import ExitReason, PostAssignment, PostVacancy
from ..signals import post_vacated

State = EmploymentCase.State
logger = logging.getLogger(__name__)


def assignment_end(
    *, actor: User | None, assignment: PostAssignment, reason: str, note: str = ""
) -> PostVacancy:
    """The incumbent leaves the post, inside the caller's transaction: the place becomes a
    vacancy to report and fill (the ``post_vacated`` signal raises the caseworker's task)."""
    # The rules' own reasons (``ExitReason``) or any other reason the list ever had.
    if reason not in ExitReason.values and not code_is_known(Code.List.EXIT_REASON, reason):
        raise ValidationError({"exit_reason": _("Choose why the member leaves the post.")})
    today = timezone.localdate()
    end = min(assignment.end_date or today, today)
    if assignment.start_date and end < assignment.start_date:
        end = assignment.start_date - datetime.timedelta(days=1)  # left before it began: no day
    assignment.status, assignment.end_date = PostAssignment.Status.ENDED, end
    assignment.exit_reason, assignment.exit_note = reason, clean_note(note)
    assignment.save(update_fields=["status", "end_date", "exit_reason", "exit_note"])
    audit_record(
        actor=actor,
        action="post.end",
        obj=assignment,
        household_id=assignment.member.household_id,
        changes={"end_date": (None, assignment.end_date), "exit_reason": (None, reason)},
    )
    if assignment.post is None:  # pre-quota assignments (no post) are ended by their caller
        raise ValueError("An assignment without a post leaves no vacancy.")
    vacancy = PostVacancy.objects.create(
        post=assignment.post, vacated_by=assignment, vacated_on=assignment.end_date
    )
    post_vacated.send(sender=PostVacancy, vacancy=vacancy, actor=actor)
    return vacancy


def post_application_withdraw(
    *, actor: User | None, assignment: PostAssignment, reason: str
) -> PostAssignment:
    """An application still pending (awaiting the decision, or approved and on notice) is
    withdrawn, inside the caller's transaction: the member left the household, so the place it
    held is free again. Recorded as a refusal for ``reason``."""
    if assignment.status not in PostAssignment.PENDING:
        raise ValidationError(_("The application is no longer pending."))
    before = assignment.status
    assignment.status, assignment.decision_reason = PostAssignment.Status.REFUSED, reason
    assignment.decided_by, assignment.decided_at = actor, timezone.now()
    assignment.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    audit_record(
        actor=actor, action="post.withdraw", obj=assignment,
        household_id=assignment.member.household_id,
        changes={"status": (before, assignment.status)}, reason=reason,
    )  # fmt: skip
    return assignment


def post_terms_expire(on: datetime.date | None = None) -> list[EmploymentCase]:
    """End every assignment whose term is over; each member goes to reassessment (renewal or
    another route). Returns the cases moved, so the flows can be woken."""
    day = on or timezone.localdate()
    moved = []
    expired = PostAssignment.objects.filter(
        status=PostAssignment.Status.ON_POST, end_date__lt=day, post__isnull=False
    ).values_list("pk", flat=True)
    for pk in list(expired):
        try:
            case = _term_end(pk, day)
        except Exception:  # noqa: BLE001 - one broken row must not stop the sweep
            logger.exception("Ending the term of post assignment %s failed", pk)
            continue
        if case is not None:
            moved.append(case)
    return moved


def _term_end(pk: int, day: datetime.date) -> EmploymentCase | None:
    """End one expired assignment; returns its case when the case was moved on."""
    with transaction.atomic():
        # Re-read under a lock: an exit recorded meanwhile must not be ended twice.
        assignment = (
            PostAssignment.objects.select_for_update(of=("self",))
            .select_related("case", "member", "post")
            .filter(pk=pk, status=PostAssignment.Status.ON_POST, end_date__lt=day)
            .first()
        )
        if assignment is None:
            return None
        assignment_end(actor=None, assignment=assignment, reason=ExitReason.TERM_END)
        case = assignment.case
        if case.state != State.ON_POST:  # e.g. already closed as stably employed
            return None
        case_services.case_transition(
            actor=None,
            case=case,
            to=State.REASSESSING,
            action="employment_case.post_term_ended",
            reason=code_label(Code.List.EXIT_REASON, ExitReason.TERM_END),
            extra={"working_since": None},
        )
        return case
