import datetime

import pytest
from django.utils import timezone

from casework.cases.models import Category, EmploymentCase
from casework.training.services import course_create, course_trainer_grant
from tests.workflows import helpers as h


@pytest.fixture
def course(world):
    today = timezone.localdate()
    course = course_create(
        actor=world.manager,
        name="拉面技能培训班",
        trade="noodles",
        site=world.site_a,
        start_date=today,
        end_date=today + datetime.timedelta(days=20),
    )
    course_trainer_grant(actor=world.manager, course=course, trainer=world.trainer)
    return course


@pytest.fixture
def assessed(client, world):
    """Assess household A1-0001 (head as ``category``, the other member 非劳动力) and have the
    manager approve it; returns the head's employment case."""

    def run(category: str = Category.CAPABLE, household=None) -> EmploymentCase:
        household = household or world.h_a1
        process = h.household_process(household)
        head = household.members.get(relationship="head")
        response = h.do(
            client,
            world.caseworker1,
            h.open_task(process, h.HouseholdFlow.assess),
            h.assessment_data(household, {head.name: category}),
        )
        assert response.status_code == 302
        response = h.do(
            client,
            world.manager,
            h.open_task(process, h.HouseholdFlow.review),
            {"decision": "approve"},
        )
        assert response.status_code == 302
        return EmploymentCase.objects.get(member=head)

    return run


@pytest.fixture
def welfare_post(world):
    from decimal import Decimal

    from casework.posts.services import post_create

    return post_create(
        actor=world.manager, site=world.site_a, name="社区保洁员", kind="cleaning", quota=5,
        monthly_subsidy=Decimal("800"),
    )  # fmt: skip
