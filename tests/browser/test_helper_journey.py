"""On a phone-sized screen, the demo helper records a visit to a paired household."""

import io

import pytest
from django.core.management import call_command

from casework.pairing.models import ServiceRequest, Visit
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_helper_records_a_visit_on_a_phone(live_server, browser, artifacts):
    call_command("seed_demo", stdout=io.StringIO())
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
        device_scale_factor=2,
    )  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        base = live_server.url
        sign_in(page, base, "helper")
        page.goto(f"{base}/pairing/pairing/")
        rows = page.locator(".wf-visit-row")
        assert rows.count() == 3
        visits = Visit.objects.count()
        rows.nth(1).locator("a[data-test^=visit-]").click()
        page.wait_for_url(lambda url: url.endswith("/visit/"))
        page.check("input[name=mode][value=phone]")
        for name, answer in (("thinking_stable", "yes"), ("policy_understood", "yes"),
                             ("life_happy", "no"), ("industry_developing", "no"),
                             ("problems_solved", "no")):  # fmt: skip
            page.check(f"input[name={name}][value={answer}]")
        page.fill("textarea[name=raised]", "老人需要定期去医院，家里没人陪")
        page.fill("textarea[name=done]", "讲解了医保报销政策")
        page.check("input[name=concern]")
        page.fill("textarea[name=matter]", "协调社区志愿者陪同就医")
        page.screenshot(path=str(artifacts / "browser-helper-visit.png"), full_page=True)
        page.locator("button[data-test=save]").click()
        page.wait_for_url(lambda url: not url.endswith("/visit/"))
        page.screenshot(path=str(artifacts / "browser-helper-households.png"), full_page=True)
        assert Visit.objects.count() == visits + 1
        visit = Visit.objects.latest("pk")
        assert (visit.mode, visit.life_happy, visit.visitor.username) == ("phone", False, "helper")
        assert ServiceRequest.objects.get(visit=visit).matter == "协调社区志愿者陪同就医"
    finally:
        context.close()
