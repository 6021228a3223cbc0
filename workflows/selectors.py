"""Reads of the workflow layer for pages composed above it."""

from viewflow.workflow.status import PROCESS

from casework.registry.models import Household

from .models import MemberAssessmentProcess


def member_assessments_running(household: Household) -> list[MemberAssessmentProcess]:
    """The household's members being assessed on their own (joined after its assessment)."""
    return list(
        MemberAssessmentProcess.objects.filter(
            household_case__household=household, status=PROCESS.NEW
        )
        .select_related("member")
        .order_by("pk")
    )
