"""Acceptance 5: from the workbench to a completed assessment in at most three page loads; and
the task lists' "+" button without a script error, and not over the list's page count."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework.cases.models import Assessment
from casework.placement.models import Vacancy
from casework.placement.selectors import open_vacancies, vacancy_placement_defaults
from tests.browser.conftest import sign_in
from workflows import scoping
from workflows.flows import EmploymentFlow, HouseholdFlow
from workflows.models import TaskDeadline

pytestmark = pytest.mark.django_db(transaction=True)


PHONE_SIZE = {"width": 390, "height": 844}


def _script_errors(page):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


def _fill_assessment(page):
    rows = page.locator("table[data-test=assessment-rows] tbody tr")
    for index in range(rows.count()):
        row = rows.nth(index)
        row.locator("select[name$='-category']").select_option(
            "capable" if index == 0 else "not_labour"
        )
        row.locator("select[name$='-work_willing']").select_option("yes" if index == 0 else "no")
        row.locator("select[name$='-training_willing']").select_option("no")
        if index:  # 非劳动力 needs a reason
            row.locator("input[name$='-reasons']").fill("在校或年老体弱")
    page.locator("select[name=colour]").select_option("yellow")
    return rows.count()


def test_workbench_to_completed_assessment_in_three_page_loads(live_server, page, artifacts):
    call_command("seed_demo", stdout=io.StringIO())
    base = live_server.url
    caseworker = get_user_model().objects.get(username="caseworker1")
    task = (
        Task.objects.filter(flow_task=HouseholdFlow.assess, status=STATUS.NEW)
        .filter(process__in=scoping.processes_visible_to(caseworker))
        .order_by("pk")
        .first()
    )
    # Long overdue, so it leads the workbench's free tasks (earliest deadline first).
    TaskDeadline.objects.filter(task=task).update(due_at=timezone.now() - timedelta(days=365))
    sign_in(page, base, "caseworker1")
    page.wait_for_load_state()
    # A page load is a document loaded in the tab (its "load" event), redirects included in it.
    loads = []
    page.on("load", lambda loaded: loads.append(loaded.url))
    # 1: the workbench, which offers the free tasks to take.
    page.goto(f"{base}/home/")
    page.wait_for_load_state()
    # 2: 认领并办理 on the task's card: one POST takes it and opens its form.
    page.locator(
        f"[data-test=claimable-tasks] form[action*='/{task.pk}/assign/'] "
        "button[data-test=claim-and-do]"
    ).click()
    page.wait_for_url(lambda url: url.endswith(f"/{task.pk}/execute/"))
    count = _fill_assessment(page)
    # 3: completing it shows the case, with the assessment done.
    page.locator("button[name=_continue]").click()
    page.wait_for_url(lambda url: "/execute/" not in url)
    page.wait_for_load_state()
    page.screenshot(path=str(artifacts / "fewer-clicks-assessed.png"), full_page=True)

    assert loads[0].endswith("/home/") and len(loads) <= 3, loads
    task.refresh_from_db()
    assert task.status == STATUS.DONE and task.owner == caseworker
    assert Assessment.objects.filter(household_case__processes=task.process_id).count() == count
    assert "入户评估" in page.content() and "已完成" in page.content()


def test_the_plus_button_of_the_task_lists_has_no_script_error(live_server, page):
    call_command("seed_demo", stdout=io.StringIO())
    base = live_server.url
    errors = _script_errors(page)
    sign_in(page, base, "caseworker1")
    for path in ("/workflow/queue/", "/workflow/inbox/", "/workflow/archive/"):
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        assert page.locator("vf-dialog").count() == 0
        fab = page.locator("a[data-test=start-register]")
        assert fab.inner_text().strip().endswith("登记搬迁户")
    fab.click()
    page.wait_for_url(lambda url: url.endswith("/household/add/"))
    assert errors == []


def test_choosing_a_vacancy_fills_the_job_and_hides_transport_for_local_work(
    live_server, page, artifacts
):
    call_command("seed_demo", stdout=io.StringIO())
    base = live_server.url
    caseworker = get_user_model().objects.get(username="caseworker1")
    errors = _script_errors(page)
    sign_in(page, base, "caseworker1")
    task = (
        Task.objects.filter(flow_task=EmploymentFlow.placement, status=STATUS.NEW)
        .filter(process__in=scoping.processes_visible_to(caseworker))
        .order_by("pk")
        .first()
    )
    page.goto(f"{base}/workflow/queue/")
    page.locator(f"button[data-test=claim-and-do][formaction*='/{task.pk}/assign/']").click()
    page.wait_for_url(lambda url: url.endswith(f"/{task.pk}/execute/"))
    vacancy = (
        Vacancy.objects.filter(
            pk__in=open_vacancies(
                task.process.coerced.case.member.household.grid.site_id, timezone.localdate()
            ),
            location_class="county",
        )
        .select_related("employer")
        .first()
    )
    defaults = vacancy_placement_defaults(vacancy)
    page.locator("vf-field-select[name=vacancy] .mdc-select__anchor").click()
    page.locator(f"vf-field-select[name=vacancy] li[data-value='{vacancy.pk}']").click()
    page.wait_for_function(
        "v => document.querySelector('input[name=employer_name]').value === v",
        arg=defaults["employer_name"],
    )
    assert (
        page.locator("vf-field-select[name=channel] input[name=channel]").input_value()
        == (defaults["channel"])
    )
    transport = page.locator("vf-field-select[name=organised_transport]")
    assert not transport.is_visible()
    page.screenshot(path=str(artifacts / "fewer-clicks-vacancy.png"), full_page=True)
    assert errors == []


def _overlap(one: dict, other: dict) -> bool:
    return not (
        one["x"] + one["width"] <= other["x"]
        or other["x"] + other["width"] <= one["x"]
        or one["y"] + one["height"] <= other["y"]
        or other["y"] + other["height"] <= one["y"]
    )


def test_the_plus_button_leaves_the_lists_page_count_in_sight(live_server, page, artifacts):
    """At the end of a task list the floating 登记搬迁户 button rests below the list's page
    count and arrows instead of over them, on a desktop and at 390 px."""
    call_command("seed_demo", stdout=io.StringIO())
    base = live_server.url
    sign_in(page, base, "caseworker1")
    for name, size in (("desktop", {"width": 1280, "height": 900}), ("phone", PHONE_SIZE)):
        page.set_viewport_size(size)
        page.goto(f"{base}/workflow/queue/")
        page.wait_for_load_state("networkidle")
        summary = page.locator(".vf-list__pagination").first
        summary.scroll_into_view_if_needed()
        page.evaluate(
            "document.scrollingElement.scrollBy(0, 10000); document.body.scrollBy(0, 10000)"
        )
        page.screenshot(path=str(artifacts / f"browser-queue-end-{name}.png"))
        fab = page.locator("a[data-test=start-register]").bounding_box()
        shown = summary.bounding_box()
        assert fab and shown and shown["y"] + shown["height"] <= size["height"], (name, shown)
        assert not _overlap(fab, shown), (name, fab, shown)
