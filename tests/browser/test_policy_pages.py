"""The policy pages as an administrator uses them, at phone and desktop width: the list, a
parameter's page, its edit form refusing a bad value in Chinese, then saving a good one that
shows in the history. No page scrolls sideways."""

import io

import pytest
from django.core.management import call_command

from casework.ops.management.commands.seed_demo import DEMO_PASSWORD
from casework.policy.models import Parameter

pytestmark = pytest.mark.django_db(transaction=True)
KEY = "retention.followup_months"


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width, height", [(390, 844), (1366, 900)])
def test_an_administrator_sets_a_parameter_through_the_pages(
    live_server, page, artifacts, width, height
):
    call_command("seed_demo", stdout=io.StringIO())
    page.set_viewport_size({"width": width, "height": height})
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{base}/manage/policy/")
    assert page.locator("[data-test=parameter]").count() >= 20 and _fits(page)
    page.screenshot(path=str(artifacts / f"policy-list-{width}.png"), full_page=True)
    page.click(f"[data-key='{KEY}'] a")
    page.wait_for_selector("[data-test=history]")
    assert _fits(page)
    page.click("[data-test=edit]")
    page.wait_for_selector("form.vf-form")
    page.fill("input[name=value]", "1,3,99")
    page.click("form.vf-form button[type=submit]")
    page.wait_for_selector("text=不得大于 36个月。")
    assert _fits(page) and not Parameter.objects.exists()
    page.screenshot(path=str(artifacts / f"policy-edit-error-{width}.png"), full_page=True)
    page.fill("input[name=value]", "2,4")
    page.fill("input[name=note]", "县人社局通知")
    page.click("form.vf-form button[type=submit]")
    page.wait_for_selector("[data-test=period]")
    assert "县人社局通知" in page.inner_text("[data-test=history]") and _fits(page)
    page.screenshot(path=str(artifacts / f"policy-history-{width}.png"), full_page=True)
    assert Parameter.objects.get(key=KEY).value == [2, 4]
