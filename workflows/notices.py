"""Notifications the flows send as their steps are created, and their reading.

Overdue notices are the escalation's (``workflows.services.deadlines_escalate``). This module
sits below ``workflows.flows`` so that a node's ``onCreate`` may call it.
"""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from casework.audit.services import PendingEvent, audit_record, audit_record_many
from casework.cases.models import Assessment, HouseholdCase
from casework.cases.selectors import latest_review

from .models import Notification

TEXT_LENGTH = Notification._meta.get_field("text").max_length or 300


def assessment_return_notify(*, task: Task, household_case: HouseholdCase) -> Notification:
    """Tell the caseworker to whom a sent-back assessment came back (the owner of ``task``, the
    new assessment step) which household it is and the reviewer's reason.

    Records the step's return to them and the notice, as the reviewer's doing, inside the
    flow's transaction.
    """
    review = latest_review(household_case)
    if task.owner is None or review is None or review.review != Assessment.Review.RETURNED:
        raise ValueError("Only a sent-back assessment's step, returned to its assessor")
    reviewer = review.reviewed_by
    text = _("The assessment of household %(number)s was sent back by %(reviewer)s: %(reason)s") % {
        "number": household_case.household.number,
        "reviewer": (reviewer.get_full_name() or reviewer.get_username()) if reviewer else "",
        "reason": review.review_reason,
    }
    with transaction.atomic():
        notice = Notification.objects.create(
            recipient=task.owner,
            task=task,
            kind=Notification.Kind.SENT_BACK,
            text=Truncator(text).chars(TEXT_LENGTH),
        )
        audit_record(
            actor=reviewer,
            action="task.return",
            obj=task,
            household_id=household_case.household_id,
            changes={"owner": (None, task.owner.get_username()), "notification": (None, notice)},
            reason=review.review_reason,
        )
    return notice


def notification_read(*, actor: User, notification: Notification) -> Notification:
    """Mark one of the actor's notifications read (they opened it); a second time changes
    nothing."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied(_("This notification is not yours."))
    now = timezone.now()
    with transaction.atomic():
        marked = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=now
        )
        if marked:
            audit_record(
                actor=actor,
                action="notification.read",
                obj=notification,
                household_id=None,
                changes={"read_at": (None, now)},
            )
            notification.read_at = now
    return notification


def notifications_read_all(*, actor: User) -> int:
    """Mark every unread notification of the actor read; returns how many."""
    now = timezone.now()
    with transaction.atomic():
        unread = list(
            Notification.objects.select_for_update()
            .filter(recipient=actor, read_at__isnull=True)
            .order_by("pk")
        )
        Notification.objects.filter(pk__in=[n.pk for n in unread]).update(read_at=now)
        audit_record_many(
            actor=actor,
            events=[
                PendingEvent("notification.read", n, None, {"read_at": (None, now)}) for n in unread
            ],
        )
    return len(unread)
