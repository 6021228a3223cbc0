"""The working-day calendar with the real schedule (issue 21, item 1): seeded from the
chinese-calendar library, a five-working-day step created on 2026-09-30 falls due after the
National Day holiday, a make-up Saturday counts, a year with no schedule is refused with a
clear message, and the administrator enters a year through the page."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from casework.audit.models import AuditEvent
from casework.policy.calendar_seed import calendar_seed
from casework.policy.models import WorkCalendarDay, WorkCalendarYear
from casework.policy.workdays import (
    CalendarMissing,
    calendar_forget,
    is_working_day,
    working_days_after,
)
from workflows.nodes import step_due_at

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar_forget()
    yield
    calendar_forget()


def test_the_library_years_are_seeded_once(db):
    year = WorkCalendarYear.objects.get(year=2026)
    assert year.source == WorkCalendarYear.Source.LIBRARY
    assert WorkCalendarDay.objects.get(day=datetime.date(2026, 10, 1)).name == "国庆节"
    assert calendar_seed() == 0  # nothing twice


def test_five_working_days_from_30_september_2026_fall_after_national_day(db):
    created = datetime.datetime(2026, 9, 30, 16, 0, tzinfo=SHANGHAI)
    due = step_due_at(created, 5, working=True)
    # 10-01..10-07 are the holiday; 10-10 (Saturday) is worked: 8, 9, 10, 12, 13.
    assert due.astimezone(SHANGHAI).date() == datetime.date(2026, 10, 13)
    calendar_days = step_due_at(created, 5)
    assert calendar_days.astimezone(SHANGHAI).date() == datetime.date(2026, 10, 5)


def test_a_make_up_saturday_is_a_working_day_and_a_weekday_holiday_is_not(db):
    assert is_working_day(datetime.date(2026, 10, 10))  # Saturday, worked for National Day
    assert not is_working_day(datetime.date(2026, 10, 11))  # an ordinary Sunday
    assert not is_working_day(datetime.date(2026, 10, 2))  # Friday, National Day
    assert working_days_after(datetime.date(2026, 10, 9), 1) == datetime.date(2026, 10, 10)
    assert working_days_after(datetime.date(2026, 9, 18), 1) == datetime.date(2026, 9, 20)


def test_a_year_with_no_schedule_is_refused_with_a_message_for_the_administrator(db):
    WorkCalendarYear.objects.filter(year=2027).delete()
    with translation.override("zh-hans"), pytest.raises(CalendarMissing) as refused:
        working_days_after(datetime.date(2026, 12, 28), 5)
    message = " ".join(refused.value.messages)
    assert refused.value.year == 2027 and "2027" in message and "管理员" in message


def test_the_administrator_enters_a_year_and_it_counts_at_once(
    client, world, django_capture_on_commit_callbacks
):
    next_year = timezone.localdate().year + 1
    WorkCalendarYear.objects.filter(year=next_year).delete()
    client.force_login(world.admin)
    page = client.get(reverse("manage:calendar:index")).content.decode()
    assert f"{next_year} 年的节假日尚未录入" in page
    parameters = client.get(reverse("manage:policy:index")).content.decode()
    assert f"{next_year} 年的节假日尚未录入" in parameters  # the administrator's page warns too
    # 2027 known but empty, and already read by this process: the entry must replace it.
    WorkCalendarYear.objects.filter(year=2027).delete()
    WorkCalendarDay.objects.filter(day__year=2027).delete()
    WorkCalendarYear.objects.create(year=2027, source=WorkCalendarYear.Source.ADMINISTRATOR)
    assert is_working_day(datetime.date(2027, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("manage:calendar:year"),
            {"year": "2027", "holidays": "2027-01-01 元旦\n2027-10-01~2027-10-07 国庆节",
             "workdays": "2027-10-09 国庆节"},
        )  # fmt: skip
    assert response.status_code == 302
    assert WorkCalendarYear.objects.get(year=2027).confirmed_by == world.admin
    assert not is_working_day(datetime.date(2027, 1, 1))
    assert is_working_day(datetime.date(2027, 10, 9))  # a Saturday worked
    assert working_days_after(datetime.date(2026, 12, 31), 1) == datetime.date(2027, 1, 4)
    event = AuditEvent.objects.get(action="calendar.year_set")
    assert (
        "2027-01-01休" in event.changes["days"][1] and "2027-10-09上班" in event.changes["days"][1]
    )
    bad = client.post(
        reverse("manage:calendar:year"), {"year": "2027", "holidays": "2027-13-01 元旦"}
    )
    assert bad.status_code == 200 and "第 1 行" in bad.content.decode()
    client.force_login(world.manager)
    assert client.get(reverse("manage:calendar:year")).status_code == 403
