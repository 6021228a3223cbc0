"""A trainee's attendance counts only the sessions held on or after the day they joined
(``Enrolment.joined_on``); the class results, the attendance page, the course page, the roster
export and the recorded result agree on it."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from casework.reports.casefile.data import casefile_data
from casework.training.models import Enrolment
from casework.training.selectors import attendance_rates, roster_rows
from casework.training.services import ResultEntry, attendance_record
from tests.training.conftest import days, joined_at_start, trainee
from tests.workflows import helpers as h
from workflows.services import course_results_complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def late_joiner(world, make_course):
    """Six sessions: ``early`` joined at the start and came to the first two only; ``late``
    joined on the third day and came to all four sessions from then on."""
    course = make_course(capacity=5)
    sessions = days(course, 6)
    early = joined_at_start(world, course, "A1-J0001")
    for day in sessions[:2]:
        attendance_record(actor=world.trainer, course=course, date=day, present={early.pk})
    late = trainee(world, course, "A1-J0002", joined_on=sessions[2])
    for day in sessions[2:]:
        attendance_record(actor=world.trainer, course=course, date=day, present={late.pk})
    return course, early, late


@pytest.mark.parametrize("through", ["class-results-service", "results-page-url"])
def test_acceptance_joined_after_two_of_six_sessions_present_at_four_is_100_percent_and_passes(
    client, world, late_joiner, through
):
    course, early, late = late_joiner
    assert attendance_rates(course) == {early.pk: Decimal("33.33"), late.pk: Decimal("100.00")}
    if through == "class-results-service":
        entry = ResultEntry(late.pk, "passed", "skill_level", "CERT-LATE")
        assert course_results_complete(actor=world.trainer, course=course, entries=[entry]) == 1
    else:
        client.force_login(world.trainer)
        response = client.post(
            reverse("training:course:results", args=[course.pk]),
            {
                f"e{late.pk}-result": "passed",
                f"e{late.pk}-certificate_type": "skill_level",
                f"e{late.pk}-certificate_number": "CERT-LATE",
            },
        )
        assert response.status_code == 302
    late.refresh_from_db()
    assert (late.status, late.attendance_rate) == (Enrolment.Status.PASSED, Decimal("100.00"))
    assert late.certificate_number == "CERT-LATE"
    assert h.open_nodes(h.employment_process(late.case)) == ["placement"]
    early.refresh_from_db()
    assert early.status == Enrolment.Status.ENROLLED


def test_the_early_trainee_with_two_of_six_cannot_pass(world, late_joiner):
    from django.core.exceptions import ValidationError

    course, early, _late = late_joiner
    entry = ResultEntry(early.pk, "passed", "skill_level", "CERT-EARLY")
    with pytest.raises(ValidationError) as refused:
        course_results_complete(actor=world.trainer, course=course, entries=[entry])
    assert "出勤率 33.33% 低于合格所需的 80%" in str(refused.value)


def _so_far(html: str, enrolment: Enrolment) -> str:
    """The attendance cell of the trainee's row on a class page, whitespace squeezed."""
    match = re.search(
        rf'data-enrolment="{enrolment.pk}".*?data-test="so-far">(.*?)</td>', html, re.DOTALL
    )
    assert match, enrolment.pk
    return " ".join(match.group(1).split())


@pytest.mark.parametrize("page", ["results", "attendance", "detail"])
def test_every_class_page_shows_attendance_since_joining(client, world, late_joiner, page):
    course, early, late = late_joiner
    client.force_login(world.trainer)
    html = client.get(reverse(f"training:course:{page}", args=[course.pk])).content.decode()
    assert _so_far(html, late) == "4 / 4 (100%)"
    assert _so_far(html, early).startswith("2 / 6 (33.33%)")  # the results page adds 低于合格线
    assert "入班后出勤" in html
    joined = late.joined_on.strftime("%m-%d")
    assert f"{joined} 入班" in html  # the late joiner's day is shown; the early one's is not
    assert html.count('data-test="joined"') == 1


def test_the_roster_export_counts_sessions_since_joining(client, world, late_joiner):
    course, early, late = late_joiner
    client.force_login(world.trainer)
    response = client.get(reverse("training:course:export", args=[course.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row and row[0] == "姓名")
    assert rows[header][3:7] == ("入班日期", "出勤次数", "入班后上课次数", "出勤率（%）")
    by_joining = {row[3]: row[4:7] for row in rows[header + 1 :] if row and row[0]}
    assert by_joining == {
        early.joined_on.isoformat(): (2, 6, 33.33),
        late.joined_on.isoformat(): (4, 4, 100.0),
    }


def test_a_session_on_the_joining_day_counts_and_an_earlier_one_does_not(world, late_joiner):
    course, early, late = late_joiner
    rows = {row.enrolment.pk: row for row in roster_rows(course)}
    assert (rows[late.pk].present, rows[late.pk].held) == (4, 4)  # from the third day on
    assert (rows[early.pk].present, rows[early.pk].held) == (2, 6)


def test_the_case_file_shows_the_rate_the_result_was_judged_on(world, late_joiner):
    course, _early, late = late_joiner
    entry = ResultEntry(late.pk, "passed", "skill_level", "CERT-LATE")
    course_results_complete(actor=world.trainer, course=course, entries=[entry])
    household = late.member.household
    shown = casefile_data(household, viewer=world.manager).enrolments
    assert [(e.pk, e.attendance_rate) for e in shown] == [(late.pk, Decimal("100.00"))]
