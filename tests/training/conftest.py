"""A class of trainees: households of grid A1 assessed 需培训, approved and enrolled."""

import datetime

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework.cases import services as case_services
from casework.cases.models import Category, EmploymentCase
from casework.training import services as training_services
from tests import factories
from tests.workflows import helpers as h
from workflows.flows import EmploymentFlow, HouseholdFlow
from workflows.services import task_complete


def _open(process, node):
    return Task.objects.get(
        process=process, flow_task=node, status__in=[STATUS.NEW, STATUS.ASSIGNED]
    )


def trainee(world, course, number, joined_on=None):
    """One household with its head in the course, through the same services the pages use."""
    household = factories.household(world.admin, world.grid_a1, number=number)
    process = h.household_process(household)
    household_case = process.household_case
    entries = [
        case_services.AssessmentEntry(
            member=member,
            category=Category.TRAINING if member.is_head else Category.NOT_LABOUR,
            labour_capacity="ordinary",
            training_willing=member.is_head,
        )
        for member in household.members.all()
    ]
    task_complete(
        task=_open(process, HouseholdFlow.assess),
        actor=world.caseworker1,
        perform=lambda: case_services.household_assess(
            actor=world.caseworker1, household_case=household_case, entries=entries, colour="green"
        ),
    )
    task_complete(
        task=_open(process, HouseholdFlow.review),
        actor=world.manager,
        perform=lambda: case_services.assessment_review(
            actor=world.manager, household_case=household_case, approve=True
        ),
    )
    case = EmploymentCase.objects.get(household_case=household_case)
    task_complete(
        task=_open(h.employment_process(case), EmploymentFlow.enrol),
        actor=world.caseworker1,
        perform=lambda: training_services.enrolment_create(
            actor=world.caseworker1, case=case, course=course, joined_on=joined_on
        ),
    )
    return case.enrolments.get()


def joined_at_start(world, course, number):
    return trainee(world, course, number, joined_on=course.start_date)


@pytest.fixture
def make_course(world):
    def make(name="中式面点师（初级）", capacity=40, **extra):
        today = timezone.localdate()
        course = training_services.course_create(
            actor=world.manager,
            name=name,
            trade=extra.pop("trade", "cooking"),
            level=extra.pop("level", "junior"),
            site=world.site_a,
            start_date=today - datetime.timedelta(days=20),
            end_date=today + datetime.timedelta(days=10),
            capacity=capacity,
            **extra,
        )
        training_services.course_trainer_grant(
            actor=world.manager, course=course, trainer=world.trainer
        )
        return course

    return make


@pytest.fixture
def klass(world, make_course):
    """``klass(n)`` → (course, [enrolments]) with n trainees."""

    def build(n, course=None):
        course = course or make_course(capacity=max(n, 1))
        return course, [
            trainee(world, course, f"A1-K{n:02d}{i:03d}", joined_on=course.start_date)
            for i in range(n)
        ]

    return build


def days(course, n):
    return [course.start_date + datetime.timedelta(days=i) for i in range(n)]
