"""Reads of cases, always for a household the caller has already been allowed to see."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import F

from casework.registry.models import Household, Member

from .models import Assessment, Category, EmploymentCase, HouseholdCase


class WithProcess(TypedDict):
    """The case's workflow process, annotated by ``household_progress``."""

    process_id: int | None


if TYPE_CHECKING:
    # django-stubs' helper (a development dependency) for a model with extra attributes.
    from django_stubs_ext import WithAnnotations

    EmploymentCaseWithProcess = WithAnnotations[EmploymentCase, WithProcess]


@dataclass(frozen=True)
class Progress:
    household_case: HouseholdCase | None
    household_process_id: int | None
    cases: "list[EmploymentCaseWithProcess]"


def household_progress(household: Household) -> Progress:
    """The household's latest assistance case, its process, and each member's employment case
    (annotated with ``process_id``), in three queries."""
    household_case = (
        HouseholdCase.objects.filter(household=household)
        .annotate(process_id=F("processes__pk"))
        .order_by("-opened_at", "-pk")
        .first()
    )
    if household_case is None:
        return Progress(None, None, [])
    cases = list(
        EmploymentCase.objects.filter(household_case=household_case)
        .select_related("member")
        .annotate(process_id=F("process__pk"))
        .order_by("member_id")
    )
    return Progress(household_case, household_case.process_id, cases)


def is_labour_member(member: Member, assessment: Assessment | None) -> bool:
    """A labour member: assessed as one, or (before assessment) of working capacity and not at
    school. The employment ledger and the dashboard count by this rule."""
    if assessment is not None:
        return assessment.category != Category.NOT_LABOUR
    return member.labour_capacity in Member.LABOUR_CAPACITIES and not member.in_school


def latest_review(household_case: HouseholdCase) -> Assessment | None:
    """The household case's most recently reviewed assessment: the review's outcome, reviewer
    and reason (a review decides every pending assessment of the household at once)."""
    return (
        Assessment.objects.filter(household_case=household_case, reviewed_at__isnull=False)
        .select_related("reviewed_by")
        .order_by("-reviewed_at", "-pk")
        .first()
    )


def pending_reassessment(case: EmploymentCase) -> Assessment | None:
    """The member's reassessment awaiting the manager's review, if their latest assessment for
    this case is one."""
    latest = (
        Assessment.objects.filter(
            member_id=case.member_id, household_case_id=case.household_case_id
        )
        .select_related("member")
        .order_by("-version")
        .first()
    )
    return latest if latest is not None and latest.review == Assessment.Review.PENDING else None
