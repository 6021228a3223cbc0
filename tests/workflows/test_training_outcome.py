"""One place for a training result: a course's trainers record it for the whole class (the class
results page), which completes each caseworker's 登记培训结果 step; only for a course without a
trainer does the caseworker record it on that step."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework import permissions
from casework.cases.models import Category, EmploymentCase
from casework.permissions import roles
from casework.training.models import Enrolment
from casework.training.services import (
    attendance_record,
    course_trainer_grant,
    course_trainer_revoke,
    training_result_record,
)
from tests import factories
from tests.workflows import helpers as h

EF = h.EmploymentFlow
State = EmploymentCase.State
pytestmark = pytest.mark.django_db

PASSED = {"result": "passed", "certificate_type": "completion", "certificate_number": "C-1"}


@pytest.fixture
def waiting(client, world, assessed):
    """``waiting(course)`` → the enrolment of A1-0001's head, whose flow waits at 登记培训结果,
    with one session attended."""

    def run(course):
        case = assessed(Category.TRAINING)
        process = h.employment_process(case)
        enrol = {"outcome": "enrol", "course": course.pk}
        response = h.do(client, world.caseworker1, h.open_task(process, EF.enrol), enrol)
        assert response.status_code == 302
        assert h.open_nodes(process) == ["training_outcome"]
        enrolment = Enrolment.objects.get(case=case)
        attendance_record(
            actor=world.admin, course=course, date=course.start_date, present={enrolment.pk}
        )
        return enrolment

    return run


def _outcome_page(client, world, enrolment):
    """The caseworker takes the step and opens it."""
    task = h.open_task(h.employment_process(enrolment.case), EF.training_outcome)
    client.force_login(world.caseworker1)
    assert client.post(h.url(task, "assign")).status_code == 302
    response = client.get(h.url(task, "execute"))
    assert response.status_code == 200
    return task, response.content.decode()


def test_with_a_trainer_the_step_names_course_and_trainers_and_offers_no_form(
    client, world, course, waiting
):
    world.trainer.first_name = "王培训"
    world.trainer.save(update_fields=["first_name"])
    second = factories.user("trainer2", roles.TRAINER)
    course_trainer_grant(actor=world.manager, course=course, trainer=second)
    enrolment = waiting(course)
    _task, page = _outcome_page(client, world, enrolment)
    assert (
        "培训班“拉面技能培训班”的结业结果由培训讲师王培训、trainer2为全班统一登记；"
        "讲师登记后，本步骤自动完成。"
    ) in page
    assert 'name="result"' not in page
    assert 'data-test="complete"' not in page
    assert reverse("training:course:detail", args=[course.pk]) in page


def test_with_a_trainer_a_result_posted_by_the_caseworker_is_refused(
    client, world, course, waiting
):
    enrolment = waiting(course)
    task, _page = _outcome_page(client, world, enrolment)
    response = client.post(h.url(task, "execute"), PASSED)
    assert response.status_code == 200
    assert "由培训讲师trainer为全班统一登记" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED
    task.refresh_from_db()
    assert (task.status, task.owner) == (STATUS.ASSIGNED, world.caseworker1)

    with pytest.raises(ValidationError) as refused:
        training_result_record(actor=world.caseworker1, enrolment=enrolment, **PASSED)
    assert list(refused.value.message_dict) == ["result"]
    assert "培训班“拉面技能培训班”的结业结果由培训讲师trainer为全班统一登记" in str(refused.value)


@pytest.mark.parametrize("taken", [True, False], ids=["caseworker-took-it", "still-in-queue"])
def test_the_trainers_class_results_complete_the_caseworkers_step(
    client, world, course, waiting, taken
):
    enrolment = waiting(course)
    process = h.employment_process(enrolment.case)
    task = h.open_task(process, EF.training_outcome)
    if taken:
        _outcome_page(client, world, enrolment)
        task.refresh_from_db()
        assert (task.status, task.owner) == (STATUS.ASSIGNED, world.caseworker1)
    client.force_login(world.trainer)
    response = client.post(
        reverse("training:course:results", args=[course.pk]),
        {f"e{enrolment.pk}-{key}": value for key, value in PASSED.items()},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.owner) == (STATUS.DONE, world.trainer)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.PASSED
    enrolment.case.refresh_from_db()
    assert enrolment.case.state == State.SEEKING
    assert h.open_nodes(process) == ["placement"]
    assert not Task.objects.filter(
        owner=world.caseworker1, flow_task=EF.training_outcome, status=STATUS.ASSIGNED
    ).exists()  # nothing left in the caseworker's inbox


@pytest.mark.parametrize("how", ["never-had-one", "trainer-removed"])
def test_without_a_trainer_the_caseworker_records_the_result(
    client, world, course_without_trainer, waiting, how
):
    course = course_without_trainer
    if how == "trainer-removed":
        course_trainer_grant(actor=world.manager, course=course, trainer=world.trainer)
        course_trainer_revoke(actor=world.manager, course=course, trainer=world.trainer)
    enrolment = waiting(course)
    task, page = _outcome_page(client, world, enrolment)
    assert 'name="result"' in page
    assert 'data-test="by-trainer"' not in page
    assert client.post(h.url(task, "execute"), PASSED).status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.result_by) == (Enrolment.Status.PASSED, world.caseworker1)
    assert h.open_nodes(h.employment_process(enrolment.case)) == ["placement"]


def test_a_courses_trainers_are_its_active_teachers_not_superusers(world, course):
    assert list(permissions.course_trainers(course)) == [world.trainer]
    world.trainer.is_active = False
    world.trainer.save(update_fields=["is_active"])
    assert list(permissions.course_trainers(course)) == []  # world.admin is a superuser
