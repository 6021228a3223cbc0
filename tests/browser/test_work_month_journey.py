"""A caseworker enters last month's work for their grid in a real browser: the work fields show
only for a member marked working, the whole grid is saved at once, and the manager closes it."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from casework.monitoring.models import MonthlyWorkRecord, WorkMonthClosure
from casework.monitoring.selectors import month_before, month_of
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_caseworker_enters_the_month_and_the_manager_closes_it(live_server, page, artifacts):
    call_command("seed_demo", stdout=io.StringIO())
    month = f"{month_before(month_of(timezone.localdate())):%Y-%m}"
    base = live_server.url
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
    sign_in(page, base, "caseworker1")
    page.goto(f"{base}/work_months/?month={month}")
    href = page.locator("a[data-test=enter]").first.get_attribute("href")
    page.goto(f"{base}{href}")
    lines = page.locator("fieldset.wm-line")
    count = lines.count()
    assert count > 1
    first = lines.nth(0)
    assert not first.locator("input[name$='-monthly_income']").is_visible()
    first.locator("select[name$='-working']").select_option("1")
    assert first.locator("input[name$='-monthly_income']").is_visible()
    assert not first.locator("select[name$='-not_working_reason']").is_visible()
    first.locator("select[name$='-location_class']").select_option("county")
    first.locator("select[name$='-channel']").select_option("workshop")
    first.locator("input[name$='-employer_name']").fill("城关社区工厂")
    first.locator("input[name$='-monthly_income']").fill("2600")
    first.locator("input[name$='-days_worked']").fill("22")
    for index in range(1, count):  # lines pre-filled as working (a job, a post) stay as they are
        reason = lines.nth(index).locator("select[name$='-not_working_reason']")
        if reason.is_visible():
            reason.select_option("care")
    page.screenshot(path=str(artifacts / "browser-work-month.png"), full_page=True)
    page.locator("button[data-test=save]").click()
    page.wait_for_url(lambda url: "/work_months/?month=" in url)
    # The demo's year of records leaves this grid's last month to its caseworker.
    entered = MonthlyWorkRecord.objects.filter(
        month=f"{month}-01", recorded_by__username="caseworker1"
    )
    assert entered.count() == count
    assert entered.filter(employer_name="城关社区工厂", monthly_income=2600).count() == 1

    sign_in(page, base, "manager")
    page.goto(f"{base}/work_months/?month={month}")
    page.locator("[data-test=closable] a").first.click()
    page.wait_for_selector("[data-test=work-month-close]")
    page.locator("button[data-test=confirm-close]").click()
    page.wait_for_url(lambda url: "/work_months/?month=" in url)
    assert WorkMonthClosure.objects.filter(month=f"{month}-01").count() == 1
    page.goto(f"{base}{href}")
    assert page.locator("[data-test=closed]").is_visible()
    assert page.locator("button[data-test=save]").count() == 0
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "browser-work-month-closed-phone.png"), full_page=False)
    assert outside == []
