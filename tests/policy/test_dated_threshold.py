"""Acceptance 3: the attendance threshold goes from 80 to 70 from a month ago. A course that
started before is judged at 80, one that started after at 70, and the case file of each names
the pass mark applied."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from casework.audit.models import AuditEvent
from casework.policy.services import parameter_set
from casework.training.models import Enrolment
from casework.training.services import attendance_record, course_create
from tests.reports.casefile.test_casefile import pdftotext, squeeze
from tests.training.conftest import trainee
from tests.workflows import helpers as h

pytestmark = pytest.mark.django_db
EF = h.EmploymentFlow
PASSED = {"result": "passed", "certificate_type": "completion", "certificate_number": "C-7"}


def _course(world, name, start):
    return course_create(
        actor=world.manager, name=name, trade="cooking", site=world.site_a,
        start_date=start, end_date=timezone.localdate() + datetime.timedelta(days=10),
    )  # fmt: skip


def _three_of_four(world, course, enrolment):
    """Four sessions from the start, the trainee at three of them: 75 % attendance."""
    for day in range(4):
        present = {enrolment.pk} if day else set()
        date = course.start_date + datetime.timedelta(days=day)
        attendance_record(actor=world.admin, course=course, date=date, present=present)


def _case_file(world, household, tmp_path):
    client = Client()
    client.force_login(world.caseworker1)
    response = client.post(f"/registry/household/{household.pk}/casefile/")
    assert response.status_code == 200
    return squeeze(pdftotext(response.content, tmp_path))


def test_each_course_is_judged_by_the_threshold_in_force_at_its_start(client, world, tmp_path):
    today = timezone.localdate()
    parameter_set(
        actor=world.admin,
        key="training.attendance_threshold",
        value=70,
        valid_from=today - datetime.timedelta(days=30),
        note="县人社局通知",
    )
    before = _course(world, "早开班的面点班", today - datetime.timedelta(days=45))
    after = _course(world, "晚开班的面点班", today - datetime.timedelta(days=10))
    early = trainee(world, before, "A1-T001", joined_on=before.start_date)
    late = trainee(world, after, "A1-T002", joined_on=after.start_date)
    _three_of_four(world, before, early)
    _three_of_four(world, after, late)

    # Before the change: 75 % is below the 80 % in force when the course started.
    task = h.open_task(h.employment_process(early.case), EF.training_outcome)
    response = h.do(client, world.caseworker1, task, PASSED)
    assert response.status_code == 200
    assert "出勤率 75% 低于合格所需的 80%" in response.content.decode()
    assert h.do(client, world.caseworker1, task, {"result": "failed"}).status_code == 302
    # After the change: 75 % passes the 70 %.
    task = h.open_task(h.employment_process(late.case), EF.training_outcome)
    assert h.do(client, world.caseworker1, task, PASSED).status_code == 302

    early.refresh_from_db()
    late.refresh_from_db()
    assert (early.status, early.attendance_threshold) == (Enrolment.Status.FAILED, 80)
    assert (late.status, late.attendance_threshold) == (Enrolment.Status.PASSED, 70)
    event = AuditEvent.objects.filter(action="enrolment.result", object_id=str(late.pk)).get()
    assert event.changes["attendance_threshold"] == [None, "70"]

    client.force_login(world.caseworker1)
    history = client.get(f"/registry/household/{late.member.household_id}/history/")
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", history.content.decode()))
    assert "合格线（出勤率%） 70" in words

    early_file = _case_file(world, early.member.household, tmp_path)
    late_file = _case_file(world, late.member.household, tmp_path)
    assert "早开班的面点班" in early_file and "考勤75.00%·合格线80%" in early_file
    assert "晚开班的面点班" in late_file and "考勤75.00%·合格线70%" in late_file
    assert "合格线70%" not in early_file and "合格线80%" not in late_file
