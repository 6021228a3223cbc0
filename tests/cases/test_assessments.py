"""The assessment services: four eyes on the review."""

import pytest
from django.core.exceptions import PermissionDenied

from casework.cases import services as case_services
from casework.cases.models import Category
from tests.workflows import helpers as h

pytestmark = pytest.mark.django_db


def test_whoever_assessed_may_not_approve(world):
    household_case = h.household_process(world.h_a1).household_case
    head = world.h_a1.members.get(relationship="head")
    entries = [
        case_services.AssessmentEntry(
            member=member,
            category=Category.CAPABLE if member == head else Category.NOT_LABOUR,
            labour_capacity="ordinary",
        )
        for member in world.h_a1.members.all()
    ]
    case_services.household_assess(
        actor=world.admin, household_case=household_case, entries=entries, colour="green"
    )
    with pytest.raises(PermissionDenied):
        case_services.assessment_review(
            actor=world.admin, household_case=household_case, approve=True
        )
    case_services.assessment_review(
        actor=world.manager, household_case=household_case, approve=True
    )
