"""Notifications the flows send as their steps are created.

Overdue notices are the escalation's (``workflows.services.deadlines_escalate``). This module
sits below ``workflows.flows`` so that a node's ``onCreate`` may call it.
"""

from django.db import transaction
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from casework.audit.services import audit_record
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
