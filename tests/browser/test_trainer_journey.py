"""The demo trainer takes attendance and records results for a class, in a real browser."""

import io

import pytest
from django.core.management import call_command

from casework.training.models import Course, Enrolment, Session
from tests.browser.conftest import sign_in
from tests.workflows import helpers as h

pytestmark = pytest.mark.django_db(transaction=True)


def test_trainer_ticks_attendance_and_records_results(live_server, page, artifacts):
    call_command("seed_demo", stdout=io.StringIO())
    course = Course.objects.get()
    waiting = list(course.enrolments.filter(status=Enrolment.Status.ENROLLED).order_by("pk"))
    assert len(waiting) >= 2
    base = live_server.url
    sign_in(page, base, "trainer")

    page.goto(f"{base}/training/course/")
    page.screenshot(path=str(artifacts / "browser-courses.png"), full_page=True)
    page.get_by_role("link", name=course.name).first.click()
    page.wait_for_url(lambda url: url.rstrip("/").endswith(str(course.pk)))
    page.locator("a[data-test=attendance]").click()
    page.wait_for_url(lambda url: url.endswith("/attendance/"))
    absent = waiting[-1]
    page.locator(f"input[name=present][value='{absent.pk}']").uncheck()
    page.screenshot(path=str(artifacts / "browser-attendance.png"), full_page=True)
    sessions = Session.objects.count()
    page.locator("button[data-test=save]").click()
    page.wait_for_url(lambda url: not url.endswith("/attendance/"))
    assert Session.objects.count() == sessions + 1
    today = Session.objects.latest("pk")
    marks = dict(today.attendance.values_list("enrolment_id", "present"))
    assert marks[absent.pk] is False and all(marks[e.pk] for e in waiting[:-1])

    page.locator("a[data-test=results]").click()
    page.wait_for_url(lambda url: url.endswith("/results/"))
    for number, enrolment in enumerate(waiting):
        row = page.locator(f"tr[data-enrolment='{enrolment.pk}']")
        if number == 0:
            row.locator("select[name$='-result']").select_option("passed")
            row.locator("select[name$='-certificate_type']").select_option("skill_level")
            row.locator("input[name$='-certificate_number']").fill("6206000123456")
        else:
            row.locator("select[name$='-result']").select_option("failed")
    page.screenshot(path=str(artifacts / "browser-results.png"), full_page=True)
    page.locator("button[data-test=save]").click()
    page.wait_for_url(lambda url: not url.endswith("/results/"))
    page.screenshot(path=str(artifacts / "browser-course.png"), full_page=True)

    passed, *failed = [Enrolment.objects.get(pk=e.pk) for e in waiting]
    assert (passed.status, passed.certificate_number) == ("passed", "6206000123456")
    assert all(e.status == "failed" for e in failed)
    assert h.open_nodes(h.employment_process(passed.case)) == ["placement"]
    assert all(h.open_nodes(h.employment_process(e.case)) == ["reassess"] for e in failed)
