"""What a step does when it is done, apart from its page: the service call a step's page makes
on a valid form, as a function of the actor, the process and the form's cleaned data, so that
the page and the API (``workflows.api_steps``) do the same thing."""

from typing import Any

from django.contrib.auth.models import User
from viewflow.workflow.models import Process
from viewflow.workflow.status import PROCESS

from casework.cases import services as case_services
from casework.cases.models import HouseholdCase

from . import subjects
from .models import MemberAssessmentProcess


def review_scope(household_case: HouseholdCase) -> dict[str, Any]:
    """Whose assessments a review decides: the household's own, not those of members who
    joined later and are assessed in a flow of their own."""
    running = MemberAssessmentProcess.objects.filter(
        household_case=household_case, status=PROCESS.NEW
    )
    return {"exclude": set(running.values_list("member_id", flat=True))}


def review_perform(
    actor: User, process: Process, data: dict[str, Any], scope: dict[str, Any] | None = None
) -> None:
    """审核: approve the pending assessments, or send them back with a reason. ``scope`` says
    whose (one member's, for a member who joined later); by default the household's own."""
    household_case = subjects.subject_context(process)["household_case"]
    case_services.assessment_review(
        actor=actor,
        household_case=household_case,
        approve=data["decision"] == "approve",
        reason=data["reason"],
        **(review_scope(household_case) if scope is None else scope),
    )
