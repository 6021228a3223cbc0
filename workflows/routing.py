"""What the flows read to choose a path, when their timers fall due, and the automatic steps.

Conditions read domain state (set by the services); automatic steps call services.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework import permissions
from casework.cases import services as case_services
from casework.cases.models import Assessment, EmploymentCase, HouseholdCase
from casework.cases.selectors import pending_reassessment
from casework.pairing.models import Pairing
from casework.policy.params import param
from casework.posts import services as post_services

from . import notices


def current_case(activation: Any) -> EmploymentCase:
    """The employment case of the activation's process, read fresh once per activation.

    The case row alone: the conditions and due dates read the case's own fields, and a join to
    the member costs the planner a look at each of the member table's many indexes on every
    step (the rare automatic step that changes the case reads the member when it needs it)."""
    case = getattr(activation, "_casework_case", None)
    if case is None:
        case = EmploymentCase.objects.get(process__pk=activation.process.pk)
        activation._casework_case = case
    return case


def household_case(activation: Any) -> HouseholdCase:
    return HouseholdCase.objects.select_related("household").get(
        processes__pk=activation.process.pk
    )


def assessment_approved(activation: Any) -> bool:
    """The last review approved the assessments (a send-back leaves them returned). Only
    reviewed assessments count: a later member's own, still pending, is not this review's (and
    PostgreSQL sorts its empty review time first)."""
    latest = (
        Assessment.objects.filter(
            household_case__processes__pk=activation.process.pk, reviewed_at__isnull=False
        )
        .order_by("-reviewed_at", "-pk")
        .values_list("review", flat=True)
        .first()
    )
    return latest == Assessment.Review.APPROVED


def member_assessment_approved(activation: Any) -> bool:
    """The member's last reviewed assessment was approved."""
    process = activation.process
    latest = (
        Assessment.objects.filter(member_id=process.member_id, reviewed_at__isnull=False)
        .order_by("-reviewed_at", "-pk")
        .values_list("review", flat=True)
        .first()
    )
    return latest == Assessment.Review.APPROVED


def dispatch_member_case(activation: Any, employment_flow: Any) -> None:
    """Open the member's employment case (unless assessed 非劳动力) and start its flow."""
    process = activation.process
    actor = _last_owner(activation, "review")
    for case in case_services.employment_cases_open(
        actor=actor, household_case=process.household_case, member=process.member
    ):
        employment_flow.start.run(case=case)


def reassessment_awaits_review(activation: Any) -> bool:
    """The member's latest reassessment waits for the manager's review."""
    return pending_reassessment(current_case(activation)) is not None


def _last_owner(activation: Any, node_name: str) -> Any:
    task = (
        Task.objects.filter(
            process=activation.process, flow_task=getattr(activation.flow_class, node_name)
        )
        .filter(status=STATUS.DONE)
        .select_related("owner")
        .order_by("-pk")
        .first()
    )
    return task.owner if task else None


def previous_owner(node_name: str) -> Callable[[Any], Any]:
    """For ``.Assign``: whoever did the process's last done ``node_name`` task takes the new
    one, if they may still take it (the node's permission on its object, e.g. WORK_GRID on the
    household's grid). None leaves the task to the queue: a step done for the first time, a
    user who has since lost the right or been deactivated, or one away with a substitute."""

    def owner(activation: Any) -> Any:
        if activation is None:  # asked without a process (the bulk start): nobody did it yet
            return None
        user = _last_owner(activation, node_name)
        if user is None or not activation.flow_task.can_assign(user, activation.task):
            return None
        if permissions.is_absent(user):  # their substitute takes it from the queue
            return None
        return user

    return owner


def assessment_sent_back(activation: Any) -> None:
    """``onCreate`` of an assessment step (the household's or a member's own): one that a
    send-back returned to its assessor (``previous_owner``) tells them why. Unassigned steps go
    to the queue without a notice."""
    if activation.task.owner_id is None:
        return
    notices.assessment_return_notify(
        task=activation.task, household_case=activation.process.household_case
    )


def dispatch_employment_cases(activation: Any, employment_flow: Any) -> None:
    """Open one employment case per labour member and start its flow (actor: the reviewer)."""
    actor = _last_owner(activation, "review")
    for case in case_services.employment_cases_open(
        actor=actor, household_case=household_case(activation)
    ):
        employment_flow.start.run(case=case)


def household_followup_due(activation: Any) -> datetime.datetime:
    """The next household follow-up, at the cadence of its three-colour label."""
    colour = household_case(activation).household.colour
    days = int(param("household.followup_days").get(colour, 30))
    return timezone.now() + datetime.timedelta(days=days)


def household_closable(activation: Any) -> bool:
    return case_services.household_case_closable(household_case(activation))


def close_household(activation: Any) -> None:
    case_services.household_case_close(actor=None, household_case=household_case(activation))


def retention_followup_due(activation: Any) -> datetime.datetime:
    return case_services.followup_due_at(current_case(activation))


def post_start_due(activation: Any) -> datetime.datetime:
    """Local midnight of the approved post's start day (now if it has no date)."""
    day = post_services.post_start_due(current_case(activation))
    if day is None:
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def post_notice_due(activation: Any) -> bool:
    """The manager approved the member's post application: it goes on public notice."""
    case = current_case(activation)
    return case.state == EmploymentCase.State.AWAITING_POST and (
        post_services.post_on_notice(case) is not None
    )


def post_start(activation: Any) -> None:
    case = current_case(activation)
    if case.state == EmploymentCase.State.POST_APPROVED:
        post_services.post_start(actor=None, case=case)


def promised_date(activation: Any) -> Any:
    """The day the first-contact owner promised the service request would be resolved."""
    return activation.process.service_request.promised_date


def paired_helper(activation: Any) -> Any:
    """The household's current staff helper, who does its follow-up visits; None (no helper,
    or only a helper household) leaves the step to the grid's caseworkers."""
    pairing = (
        Pairing.objects.filter(
            household__cases__processes__pk=activation.process.pk,
            end_date__isnull=True,
            helper__isnull=False,  # a helper household has no login and no inbox
        )
        .select_related("helper")
        .order_by("start_date", "pk")
        .first()
    )
    return pairing.helper if pairing else None


def elimination_approved(activation: Any) -> bool:
    """The manager approved the risk-elimination proposal (read fresh: the step just wrote it)."""
    proposal = activation.process.proposal
    proposal.refresh_from_db(fields=["decision"])
    return bool(proposal.decision == "approved")
