"""Attendance and results for a whole class move each trainee's flow on, once (acceptance 2-4)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework.audit.models import AuditEvent
from casework.cases.models import EmploymentCase
from casework.policy.models import Parameter
from casework.training.models import Enrolment
from casework.training.services import (
    ResultEntry,
    attendance_record,
    attendance_threshold,
    result_problems,
)
from tests.training.conftest import days
from tests.workflows import helpers as h
from workflows.flows import EmploymentFlow

pytestmark = pytest.mark.django_db
State = EmploymentCase.State


def _attend(client, course, day, present):
    return client.post(
        reverse("training:course:attendance", args=[course.pk]),
        {"date": day.isoformat(), "hours": "4", "present": [str(e.pk) for e in present]},
    )


def _results_post(rows):
    data = {}
    for enrolment, result in rows:
        prefix = f"e{enrolment.pk}-"
        data[prefix + "result"] = result
        if result == "passed":
            data[prefix + "certificate_type"] = "skill_level"
            data[prefix + "certificate_number"] = f"C{enrolment.pk:05d}"
    return data


def test_results_for_a_class_of_30_advance_exactly_those_flows_once(client, world, klass):
    course, enrolments = klass(30)
    bystander_course, bystanders = klass(2)
    client.force_login(world.trainer)
    passers, failers, dropouts = enrolments[:20], enrolments[20:27], enrolments[27:]
    for number, day in enumerate(days(course, 5)):
        present = passers + (failers if number < 2 else [])  # failers: 2 of 5 = 40%
        assert _attend(client, course, day, present).status_code == 302
    rows = (
        [(e, "passed") for e in passers]
        + [(e, "failed") for e in failers]
        + [(e, "dropped") for e in dropouts]
    )
    url = reverse("training:course:results", args=[course.pk])
    response = client.post(url, _results_post(rows))
    assert response.status_code == 302
    for enrolment, result in rows:
        enrolment.refresh_from_db()
        assert enrolment.status == result
        process = h.employment_process(enrolment.case)
        expected = "placement" if result == "passed" else "reassess"
        assert h.open_nodes(process) == [expected], (enrolment.pk, result)
        done = Task.objects.get(process=process, flow_task=EmploymentFlow.training_outcome)
        assert (done.status, done.owner) == (STATUS.DONE, world.trainer)
    assert Enrolment.objects.get(pk=passers[0].pk).attendance_rate == Decimal("100.00")
    assert Enrolment.objects.get(pk=failers[0].pk).attendance_rate == Decimal("40.00")
    # The other class is untouched.
    for enrolment in bystanders:
        assert h.open_nodes(h.employment_process(enrolment.case)) == ["training_outcome"]

    # Again: nothing changes and nothing fails.
    events = AuditEvent.objects.count()
    tasks = Task.objects.count()
    again = client.post(url, _results_post(rows))
    assert again.status_code == 302
    assert (AuditEvent.objects.count(), Task.objects.count()) == (events, tasks)
    from workflows.services import course_results_complete

    entries = [ResultEntry(e.pk, r, "skill_level", "X") for e, r in rows]
    assert course_results_complete(actor=world.trainer, course=course, entries=entries) == 0
    assert (AuditEvent.objects.count(), Task.objects.count()) == (events, tasks)


def test_one_bad_row_saves_nothing_and_names_the_row(client, world, klass):
    course, (good, bad) = klass(2)
    client.force_login(world.trainer)
    for number, day in enumerate(days(course, 5)):
        _attend(client, course, day, [good] + ([bad] if number < 3 else []))  # bad: 60%
    url = reverse("training:course:results", args=[course.pk])
    response = client.post(url, _results_post([(good, "passed"), (bad, "passed")]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "低于合格所需的 80%" in text
    good.refresh_from_db()
    assert good.status == Enrolment.Status.ENROLLED  # one transaction for the class


@pytest.mark.parametrize(
    "attended, held, ok",
    [(4, 5, True), (7, 9, False), (5, 5, True), (0, 0, False)],
    ids=["exactly-80", "just-below-77.78", "all", "no-sessions"],
)
def test_attendance_threshold_edges(client, world, klass, attended, held, ok):
    course, (enrolment,) = klass(1)
    for number, day in enumerate(days(course, held)):
        present = {enrolment.pk} if number < attended else set()
        attendance_record(actor=world.trainer, course=course, date=day, present=present)
    client.force_login(world.trainer)
    url = reverse("training:course:results", args=[course.pk])
    response = client.post(url, _results_post([(enrolment, "passed")]))
    enrolment.refresh_from_db()
    if ok:
        assert response.status_code == 302
        assert enrolment.status == Enrolment.Status.PASSED
    else:
        assert response.status_code == 200
        assert enrolment.status == Enrolment.Status.ENROLLED
        expected = "尚未记录任何课次" if held == 0 else "低于合格所需的 80%"
        assert expected in response.content.decode()


def test_threshold_is_a_parameter_and_exact_at_the_boundary(world, klass):
    course, _trainees = klass(1)
    entry = ResultEntry(1, "passed", "completion", "N1")
    assert result_problems(entry, Decimal("80.00"), attendance_threshold(course)) == []
    assert result_problems(entry, Decimal("79.99"), attendance_threshold(course)) != []
    import datetime

    Parameter.objects.create(
        key="training.attendance_threshold", value=90, valid_from=datetime.date(2020, 1, 1)
    )
    assert result_problems(entry, Decimal("89.99"), attendance_threshold(course)) != []
    assert result_problems(entry, Decimal("90.00"), attendance_threshold(course)) == []


def test_failed_or_dropped_need_no_attendance(client, world, klass):
    course, (first, second) = klass(2)
    client.force_login(world.trainer)
    url = reverse("training:course:results", args=[course.pk])
    assert (
        client.post(url, _results_post([(first, "dropped"), (second, "failed")])).status_code == 302
    )
    first.case.refresh_from_db()
    assert first.case.state == State.REASSESSING


@pytest.mark.parametrize("page", ["results", "attendance", "detail"])
def test_class_pages_run_constant_queries(client, world, klass, make_course, page):
    counts = []
    for size in (10, 40):
        course, enrolments = klass(size, course=make_course(name=f"班{size}", capacity=size))
        attendance_record(
            actor=world.trainer, course=course, date=days(course, 1)[0],
            present={e.pk for e in enrolments[::2]},
        )  # fmt: skip
        client.force_login(world.trainer)
        url = reverse(f"training:course:{page}", args=[course.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert (
            response.content.decode().count("data-enrolment" if page == "results" else "<tr")
            >= size
        )
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_sessions_before_a_late_joining_do_not_count(world, klass):
    from django.core.exceptions import ValidationError

    from casework.training.selectors import attendance_rates
    from tests.training.conftest import trainee

    course, (early,) = klass(1, course=None)
    course.capacity = 5
    course.save(update_fields=["capacity"])
    first, second, third, fourth = days(course, 4)
    for day in (first, second):
        attendance_record(actor=world.trainer, course=course, date=day, present={early.pk})
    late = trainee(world, course, "A1-LATE01", joined_on=third)
    with pytest.raises(ValidationError):  # nobody attends before joining
        attendance_record(actor=world.trainer, course=course, date=first, present={late.pk})
    for day in (third, fourth):
        attendance_record(actor=world.trainer, course=course, date=day, present={late.pk})
    rates = attendance_rates(course)
    assert rates[late.pk] == Decimal("100.00")  # both sessions since joining
    assert rates[early.pk] == Decimal("50.00")  # 2 of the course's 4 sessions


def test_a_day_taken_again_shows_its_marks_and_records_the_change(client, world, klass):
    course, (a, b) = klass(2)
    day = days(course, 1)[0]
    attendance_record(actor=world.trainer, course=course, date=day, present={a.pk})
    client.force_login(world.trainer)
    url = reverse("training:course:attendance", args=[course.pk])
    page = client.get(url, {"date": day.isoformat()}).content.decode()
    assert f'value="{a.pk}" id="present-{a.pk}" checked' in page
    assert f'value="{b.pk}" id="present-{b.pk}" >' in page  # b was absent
    assert _attend(client, course, day, [a, b]).status_code == 302
    event = AuditEvent.objects.filter(action="session.attendance_again").get()
    assert event.changes["present"] == [1, 2]


def test_a_failure_half_way_through_the_class_saves_nothing(world, klass):
    from unittest import mock

    from workflows.services import course_results_complete

    course, enrolments = klass(3)
    for day in days(course, 1):
        attendance_record(
            actor=world.trainer, course=course, date=day, present={e.pk for e in enrolments}
        )
    entries = [ResultEntry(e.pk, "passed", "completion", f"N{e.pk}") for e in enrolments]
    from casework.training import services

    real = services.training_result_apply
    calls = []

    def fail_on_third(**kwargs):
        calls.append(kwargs["enrolment"].pk)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(**kwargs)

    events = AuditEvent.objects.count()
    with mock.patch.object(services, "training_result_apply", side_effect=fail_on_third):
        with pytest.raises(RuntimeError):
            course_results_complete(actor=world.trainer, course=course, entries=entries)
    assert len(calls) == 3
    assert set(Enrolment.objects.filter(course=course).values_list("status", flat=True)) == {
        "enrolled"
    }
    assert AuditEvent.objects.count() == events
    for enrolment in enrolments:
        assert h.open_nodes(h.employment_process(enrolment.case)) == ["training_outcome"]


def test_only_the_training_step_can_be_taken_over(world, klass):
    from workflows.services import task_complete

    placement_case = klass(1)[1][0].case
    task = h.open_task(h.employment_process(placement_case), EmploymentFlow.training_outcome)
    assert task  # the training step: allowed
    from workflows.flows import HouseholdFlow

    other = h.open_task(h.household_process(world.h_a1), HouseholdFlow.assess)
    with pytest.raises(ValueError):
        task_complete(task=other, actor=world.trainer, perform=lambda: None, authorised=True)
