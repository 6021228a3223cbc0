"""A household's history on a phone and a desktop: nothing runs past the screen or is cut off,
however long its details (issue 17: the 详情 column was cut at 390 and at 1366 pixels)."""

import io

import pytest
from django.core.management import call_command

from casework.placement.models import Placement
from casework.registry.models import Household
from casework.training.models import Enrolment
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# Elements in the history whose content is wider than they are and hidden or scrolled.
CLIPPED = """() => [...document.querySelectorAll('[data-test=history] *')].filter(e => {
  const style = getComputedStyle(e);
  return e.scrollWidth > e.clientWidth + 1 && style.overflowX !== 'visible';
}).length"""
# Elements whose right edge runs past the history's own.
OUTSIDE = """() => {
  const box = document.querySelector('[data-test=history]').getBoundingClientRect();
  return [...document.querySelectorAll('[data-test=history] *')]
    .filter(e => e.getBoundingClientRect().right > box.right + 1).length;
}"""


def test_the_history_fits_a_phone_and_a_desktop(live_server, browser, artifacts):
    call_command("seed_demo", stdout=io.StringIO())
    household = (
        Household.objects.filter(
            members__enrolments__in=Enrolment.objects.filter(result_at__isnull=False),
            members__placements__in=Placement.objects.all(),
        )
        .distinct()
        .first()
    )
    for width, height, name in ((390, 844, "phone"), (1366, 900, "desktop")):
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
        page = context.new_page()
        sign_in(page, live_server.url, "manager")
        page.goto(f"{live_server.url}/registry/household/{household.pk}/history/")
        page.locator("[data-test=history]").wait_for()
        assert page.locator("[data-test=history] li").count() > 20
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
        assert page.evaluate(CLIPPED) == 0, name
        assert page.evaluate(OUTSIDE) == 0, name
        page.screenshot(path=str(artifacts / f"history-{name}.png"))
        context.close()
