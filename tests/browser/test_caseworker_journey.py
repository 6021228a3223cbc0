"""The demo caseworker, in a real browser: registers a household of four on one page, assesses
a household and records a placement."""

import io

import pytest
from django.core.management import call_command
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework.cases.models import Assessment
from casework.placement.models import Placement
from casework.registry.models import Household
from tests import factories
from tests.browser.conftest import sign_in
from workflows import scoping
from workflows.flows import EmploymentFlow, HouseholdFlow

pytestmark = pytest.mark.django_db(transaction=True)


def _open_task(page, base, node, username):
    """Open the caseworker's first free task of ``node`` from the queue and take it."""
    task = (
        Task.objects.filter(flow_task=node, status=STATUS.NEW)
        .filter(process__in=_visible(username))
        .order_by("pk")
        .first()
    )
    page.goto(f"{base}/workflow/queue/")
    link = page.locator(f"a[href*='/{task.process_id}/{node.name}/{task.pk}/']").first
    link.click()
    page.wait_for_url(lambda url: url.endswith("/assign/"))
    page.locator(".vf-card__actions button.mdc-button--raised").click()  # confirm taking it
    page.wait_for_url(lambda url: not url.endswith("/assign/"))
    # Now it is in the inbox; its link opens the form.
    page.goto(f"{base}/workflow/inbox/")
    page.locator(f"a[href*='/{task.process_id}/{node.name}/{task.pk}/']").first.click()
    page.wait_for_url(lambda url: url.endswith("/execute/"))
    return task


def _choose(page, name, label):
    """Pick ``label`` in the Material select of field ``name``."""
    page.locator(f"vf-field-select[name={name}] .mdc-select__anchor").click()
    page.locator(f"vf-field-select[name={name}] li", has_text=label).first.click()


def _visible(username):
    from django.contrib.auth import get_user_model

    return scoping.processes_visible_to(get_user_model().objects.get(username=username))


def test_caseworker_assesses_a_household_and_records_a_placement(live_server, page, artifacts):
    call_command("seed_demo", stdout=io.StringIO())
    base = live_server.url
    sign_in(page, base, "caseworker1")

    # Assess a household: one row per member, then the three-colour label.
    task = _open_task(page, base, HouseholdFlow.assess, "caseworker1")
    rows = page.locator("table[data-test=assessment-rows] tbody tr")
    count = rows.count()
    assert count >= 1
    for index in range(count):
        row = rows.nth(index)
        category = "capable" if index == 0 else "not_labour"
        row.locator("select[name$='-category']").select_option(category)
        row.locator("select[name$='-work_willing']").select_option("yes" if index == 0 else "no")
        row.locator("select[name$='-training_willing']").select_option("no")
        if index:  # 非劳动力 needs a reason
            row.locator("input[name$='-reasons']").fill("在校或年老体弱")
    page.locator("select[name=colour]").select_option("yellow")
    page.screenshot(path=str(artifacts / "browser-assess.png"), full_page=True)
    page.locator("button[data-test=complete]").click()
    page.wait_for_url(lambda url: "/execute/" not in url)
    task.refresh_from_db()
    assert task.status == STATUS.DONE
    assert Assessment.objects.filter(household_case__processes=task.process_id).count() == count

    # Record a placement for a member waiting for one.
    task = _open_task(page, base, EmploymentFlow.placement, "caseworker1")
    _choose(page, "channel", "就业帮扶车间")
    page.locator("input[name=employer_name]").fill("城关镇就业帮扶车间")
    page.locator("input[name=start_date]").fill("2026-11-20")
    _choose(page, "location_class", "县内")
    page.locator("input[name=monthly_income]").fill("2800")
    page.locator("input[name=contract_months]").fill("12")
    page.locator("input[name=industry]").fill("纺织服装")
    # 点对点 transport does not apply to work in the county: hidden, and recorded as none.
    assert not page.locator("vf-field-select[name=organised_transport]").is_visible()
    page.screenshot(path=str(artifacts / "browser-placement.png"), full_page=True)
    page.locator("button[data-test=complete]").click()
    page.wait_for_url(lambda url: "/execute/" not in url)
    task.refresh_from_db()
    assert task.status == STATUS.DONE
    placement = Placement.objects.get(case__process=task.process_id)
    assert placement.employer_name == "城关镇就业帮扶车间"
    assert str(placement.monthly_income) == "2800.00"
    assert placement.organised_transport is False
    page.goto(f"{base}/workflow/archive/")
    page.screenshot(path=str(artifacts / "browser-archive.png"), full_page=True)
    assert "落实就业" in page.content()


def _fill_row(row, name, number, relationship):
    row.locator("input[name$='-name']").fill(name)
    row.locator("input[name$='-document_number']").fill(number)
    row.locator("select[name$='-relationship']").select_option(relationship)


def test_caseworker_registers_a_household_of_four_on_one_page(live_server, page, artifacts):
    call_command("seed_demo", stdout=io.StringIO())
    base = live_server.url
    sign_in(page, base, "caseworker1")
    page.goto(f"{base}/registry/household/add/")

    page.locator("input[name=number]").fill("6212260019001")
    _choose(page, "grid", "第一网格")
    page.locator("input[name=building]").fill("9")
    page.locator("input[name=room]").fill("902")
    page.locator("input[name=head_name]").fill("马登科")
    page.locator("input[name=head_document_number]").fill(factories.resident_id("620523"))
    page.locator("input[name=head_phone]").fill("13893001234")

    rows = page.locator("[data-row]")
    assert rows.count() == 1
    _fill_row(rows.nth(0), "马秀兰", factories.resident_id("620523", sex="F"), "spouse")
    for _ in range(3):
        page.locator("[data-test=add-row]").click()  # added in the page, not by the server
    assert rows.count() == 4
    _fill_row(rows.nth(1), "马小军", factories.resident_id("620523"), "son")
    rows.nth(2).locator("input[name$='-name']").fill("多余的一行")
    _fill_row(rows.nth(3), "马小花", factories.resident_id("620523", sex="F"), "daughter")
    rows.nth(3).locator("input[name$='-in_school']").check()
    rows.nth(2).locator("[data-remove-row]").click()
    assert rows.count() == 3
    assert [rows.nth(i).locator("legend").inner_text() for i in range(3)] == [
        "第1行",
        "第2行",
        "第3行",
    ]
    assert page.locator("input[name=members-TOTAL_FORMS]").input_value() == "3"
    assert rows.nth(2).locator("input[name=members-2-name]").input_value() == "马小花"

    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(artifacts / "browser-register-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(artifacts / "browser-register-390.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # nothing wider than the phone: the rows stack

    page.locator("[data-test=register]").click()
    page.wait_for_url(lambda url: "/add/" not in url)
    household = Household.objects.get(number="6212260019001")
    names = sorted(household.members.values_list("name", flat=True))
    assert names == sorted(["马登科", "马秀兰", "马小军", "马小花"])
    assert household.members.get(name="马小花").in_school
    content = page.content()
    assert all(name in content for name in names) and "多余的一行" not in content
    page.screenshot(path=str(artifacts / "browser-registered-390.png"), full_page=True)
    assert Task.objects.filter(
        process__in=_visible("caseworker1").filter(
            householdprocess__household_case__household=household
        ),
        flow_task=HouseholdFlow.assess,
        status=STATUS.NEW,
    ).exists()
