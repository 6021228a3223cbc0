"""Enrolment rules (capacity, one subsidy per trade and level) and the roster export."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from casework.audit.models import AuditEvent
from casework.training.services import attendance_record
from tests.training.conftest import days, trainee

pytestmark = pytest.mark.django_db


def test_a_full_course_refuses_the_next_trainee(world, make_course):
    course = make_course(capacity=2)
    trainee(world, course, "A1-C0001")
    trainee(world, course, "A1-C0002")
    with pytest.raises(ValidationError) as refused:
        trainee(world, course, "A1-C0003")
    assert "已满员（2 人）" in str(refused.value)


def test_a_second_subsidised_course_of_the_same_trade_and_level_is_refused(
    client, world, make_course
):
    from casework.cases.models import EmploymentCase
    from casework.training import services
    from tests.workflows import helpers as h
    from workflows.flows import EmploymentFlow
    from workflows.services import course_results_complete

    first = make_course(name="中式烹调师（初级）一期")
    enrolment = trainee(world, first, "A1-S0001", joined_on=first.start_date)
    attendance_record(
        actor=world.trainer, course=first, date=first.start_date, present={enrolment.pk}
    )
    entry = services.ResultEntry(enrolment.pk, "passed", "skill_level", "S-1")
    course_results_complete(actor=world.trainer, course=first, entries=[entry])
    # Later the member refuses a job and is reassessed as needing training again.
    case = EmploymentCase.objects.get(pk=enrolment.case_id)
    process = h.employment_process(case)
    h.do(
        client,
        world.caseworker1,
        h.open_task(process, EmploymentFlow.placement),
        {"outcome": "refused", "refusal_reason": "想学更高等级的手艺"},
    )
    h.do(
        client,
        world.caseworker1,
        h.open_task(process, EmploymentFlow.reassess),
        {
            "category": "training",
            "labour_capacity": "ordinary",
            "work_willing": "yes",
            "training_willing": "yes",
        },
    )
    case.refresh_from_db()
    second = make_course(name="中式烹调师（初级）二期")
    with pytest.raises(ValidationError) as refused:
        services.enrolment_create(actor=world.caseworker1, case=case, course=second)
    assert "同一职业同一等级不得重复享受补贴" in str(refused.value)
    assert "中式烹调师(初级)一期" in str(refused.value)  # names are NFKC-normalised
    higher = make_course(name="中式烹调师（中级）", level="middle")
    assert services.enrolment_create(actor=world.caseworker1, case=case, course=higher)


def test_the_export_opens_with_openpyxl_and_masks_identifiers(client, world, klass):
    course, enrolments = klass(3)
    attendance_record(
        actor=world.trainer, course=course, date=days(course, 1)[0],
        present={enrolments[0].pk},
    )  # fmt: skip
    client.force_login(world.trainer)
    response = client.get(reverse("training:course:export", args=[course.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[0]]
    header = rows.index(next(r for r in rows if r[0] == "姓名"))
    trainees = rows[header + 1 :]
    assert len(trainees) == 3
    assert rows[header][3:7] == ("入班日期", "出勤次数", "入班后上课次数", "出勤率（%）")
    assert {row[3] for row in trainees} == {course.start_date.isoformat()}
    attendance = sorted((row[4], row[5], row[6]) for row in trainees)
    assert attendance == [(0, 1, 0.0), (0, 1, 0.0), (1, 1, 100.0)]
    for row in trainees:
        assert "*" in row[1]  # document numbers masked
    full_numbers = {e.member.document_number for e in enrolments}
    assert not full_numbers & {str(cell) for row in rows for cell in row}
    assert AuditEvent.objects.filter(action="course.export", actor=world.trainer).count() == 1


def test_the_export_keeps_text_that_looks_like_a_formula_as_text(client, world, klass):
    course, (enrolment,) = klass(1)
    course.provider = '=HYPERLINK("http://example.invalid")'
    course.save(update_fields=["provider"])
    client.force_login(world.trainer)
    response = client.get(reverse("training:course:export", args=[course.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value]
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert "'=HYPERLINK" in {str(cell.value)[:11] for cell in cells}
    trainee_row = next(
        row for row in sheet.iter_rows(values_only=True) if row[0] == enrolment.member.name
    )
    assert enrolment.member.phone == "13812345678"
    assert trainee_row[2] == "138****5678"
