"""The demo caseworker's workbench counts lead to the sent-back assessment, on a desktop and a
phone-sized screen: the notice opens the task and is then read."""

import io

import pytest
from django.core.management import call_command

from tests.browser.conftest import sign_in
from workflows.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _count(page, name):
    return int(page.locator(f"[data-test=count-{name}] .wb-count__number").inner_text())


def _fits(page):
    """Nothing wider than the screen (no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("screen", SCREENS)
def test_the_workbench_counts_lead_to_the_sent_back_assessment(
    live_server, browser, artifacts, screen
):
    call_command("seed_demo", stdout=io.StringIO())
    context = browser.new_context(locale="zh-CN", viewport=SCREENS[screen])
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        base = live_server.url
        sign_in(page, base, "caseworker1")
        page.goto(f"{base}/home/")
        unread = _count(page, "unread")
        assert unread >= 1 and _count(page, "open") >= 1
        assert _fits(page)
        page.screenshot(path=str(artifacts / f"browser-workbench-{screen}.png"), full_page=True)

        page.locator("[data-test=count-unread]").click()
        page.wait_for_url(lambda url: url.endswith("/workflow/notifications/"))
        assert page.locator("strong[data-test=unread]", has_text="退回").count() >= 1
        assert _fits(page)
        page.screenshot(path=str(artifacts / f"browser-notices-{screen}.png"), full_page=True)

        notice = (
            Notification.objects.filter(
                recipient__username="caseworker1", kind=Notification.Kind.SENT_BACK
            )
            .select_related("task")
            .first()
        )
        page.locator(f"[data-test=open-{notice.pk}]").click()
        page.wait_for_url(lambda url: url.endswith(f"/assess/{notice.task_id}/execute/"))
        notice.refresh_from_db()
        assert notice.read_at is not None
        page.goto(f"{base}/home/")
        assert _count(page, "unread") == unread - 1
    finally:
        context.close()
