"""What the flows read to choose a path, when their timers fall due, and the automatic steps.

Conditions read domain state (set by the services); automatic steps call services.
"""

import datetime
from typing import Any

from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework.cases import services as case_services
from casework.cases.models import Assessment, EmploymentCase, HouseholdCase
from casework.cases.selectors import pending_reassessment
from casework.pairing.models import Pairing
from casework.policy.params import param


def current_case(activation: Any) -> EmploymentCase:
    """The employment case of the activation's process, read fresh once per activation."""
    case = getattr(activation, "_casework_case", None)
    if case is None:
        case = EmploymentCase.objects.select_related("member").get(
            process__pk=activation.process.pk
        )
        activation._casework_case = case
    return case


def household_case(activation: Any) -> HouseholdCase:
    return HouseholdCase.objects.select_related("household").get(
        processes__pk=activation.process.pk
    )


def assessment_approved(activation: Any) -> bool:
    """The last review approved the assessments (a send-back leaves them returned)."""
    latest = (
        Assessment.objects.filter(household_case__processes__pk=activation.process.pk)
        .order_by("-reviewed_at", "-pk")
        .values_list("review", flat=True)
        .first()
    )
    return latest == Assessment.Review.APPROVED


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


def promised_date(activation: Any) -> Any:
    """The day the first-contact owner promised the service request would be resolved."""
    return activation.process.service_request.promised_date


def paired_helper(activation: Any) -> Any:
    """The household's current helper, who does its follow-up visits; None leaves the step to
    the grid's caseworkers."""
    pairing = (
        Pairing.objects.filter(
            household__cases__processes__pk=activation.process.pk, end_date__isnull=True
        )
        .select_related("helper")
        .order_by("start_date", "pk")
        .first()
    )
    return pairing.helper if pairing else None
