"""Printing: the household page and the visit record print on A4 without the menu, the top
bar or buttons, masked data as on screen."""

import io

import pytest
from django.core.management import call_command

from casework.pairing.models import Pairing
from casework.registry.validators import mask_document_number
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _hidden(page, selector):
    return page.evaluate(
        """(s) => [...document.querySelectorAll(s)].every(
               e => getComputedStyle(e).display === 'none' || e.offsetParent === null)""",
        selector,
    )


def test_household_page_and_visit_record_print_without_the_frame(live_server, page, artifacts):
    call_command("seed_demo", stdout=io.StringIO())
    pairing = Pairing.objects.filter(helper__username="helper").select_related("household").first()
    household = pairing.household
    head = household.members.get(relationship="head")
    base = live_server.url
    sign_in(page, base, "caseworker1")
    page.goto(f"{base}/registry/household/{household.pk}/")
    assert page.locator(".vf-page__menu").first.is_visible()  # on screen the menu is there
    page.emulate_media(media="print")
    for selector in (".vf-page__menu", ".vf-page__body-toolbar", ".mdc-button"):
        assert _hidden(page, selector), selector
    text = page.inner_text("body")
    assert mask_document_number(head.document_number) in text
    assert head.document_number not in text
    page.pdf(path=str(artifacts / "print-household.pdf"), format="A4")
    page.screenshot(path=str(artifacts / "print-household.png"), full_page=True)
    page.emulate_media(media="screen")
    context = page.context
    context.clear_cookies()
    sign_in(page, base, "helper")
    page.goto(f"{base}/pairing/pairing/household/{household.pk}/visit/")
    page.emulate_media(media="print")
    for selector in (".vf-page__menu", ".vf-page__body-toolbar", "button[type=submit]"):
        assert _hidden(page, selector), selector
    page.pdf(path=str(artifacts / "print-visit.pdf"), format="A4")
    page.screenshot(path=str(artifacts / "print-visit.png"), full_page=True)
