"""Acceptance 1 of issue 18: a county sets itself up through its own pages, from an empty
database with one administrator (the administrator role, not a superuser), to a caseworker
deactivated and their open tasks in a colleague's 我的待办.

Only the administrator is created here in code; everything else is done in the browser, and the
database is read after each step: the objects, the grants, the pairings, the tasks' owners, and
exactly one audit event with its actor for each administrative action. Screenshots at 1366 px
go to test-artifacts/county-<step>.png."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework import permissions
from casework.audit.models import AuditEvent
from casework.pairing.models import Pairing
from casework.permissions import roles
from casework.policy.models import Code
from casework.registry.models import Grid, Household, Region, Site
from tests import factories
from tests.browser.conftest import sign_in
from workflows.flows import HouseholdFlow

pytestmark = pytest.mark.django_db(transaction=True)

User = get_user_model()
ADMIN_PASSWORD = "Xihe-admin-2026"
PASSWORD = "Chengguan-2026-pass"
HOUSEHOLDS = ("6212260030001", "6212260030002", "6212260030003")


def _choose(page, name, label):
    """Pick ``label`` in the Material select of field ``name``."""
    page.locator(f"vf-field-select[name={name}] .mdc-select__anchor").click()
    page.locator(f"vf-field-select[name={name}] li", has_text=label).first.click()


def _submit(page, button, *, turbo=False):
    """Press a form's button; the POST must redirect (a form shown again names its errors).
    Waits for the page it leads to: its load, or with ``turbo`` (a form Turbo submits by
    fetch) the fetch of the page redirected to."""
    if turbo:
        with (
            page.expect_response(lambda r: r.request.method == "POST") as posted,
            page.expect_response(lambda r: r.request.redirected_from is not None),
        ):
            button.click()
        page.wait_for_load_state("networkidle")
    else:
        with (
            page.expect_event("load"),
            page.expect_response(lambda r: r.request.method == "POST") as posted,
        ):
            button.click(no_wait_after=True)
    response = posted.value
    errors = page.locator(
        ".mdc-text-field-helper-text--validation-msg, .errorlist, .vf-form__errors"
    )
    assert response.status == 302, (response.url, errors.all_inner_texts())


def _save(page):
    _submit(page, page.get_by_role("button", name="保存", exact=True))


def _events(action, actor, count=1):
    """Exactly ``count`` audit events ``action``, each with ``actor`` as its actor."""
    events = list(AuditEvent.objects.filter(action=action))
    assert len(events) == count, (action, len(events))
    assert all(event.actor_id == actor.pk for event in events), action
    return events


def _switch(page, base, username, password=PASSWORD):
    page.context.clear_cookies()
    sign_in(page, base, username, password)


def _create_user(page, base, username, full_name, role_label):
    page.goto(f"{base}/manage/users/add/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("姓名").fill(full_name)
    page.get_by_label("初始密码", exact=True).fill(PASSWORD)
    page.get_by_label("再次输入初始密码").fill(PASSWORD)
    page.get_by_label(role_label, exact=True).check()
    _save(page)
    assert "账号已创建" in page.content()
    return User.objects.get(username=username)


def _give_grid(page, grid_label):
    page.get_by_label("网格").select_option(label=grid_label)
    _submit(page, page.get_by_role("button", name="分配网格"))
    assert "已保存" in page.content()


def _register(page, base, number, head_name):
    page.goto(f"{base}/registry/household/add/")
    page.locator("input[name=number]").fill(number)
    _choose(page, "grid", "第一网格")
    page.locator("input[name=building]").fill("3")
    page.locator("input[name=room]").fill(number[-3:])
    page.locator("input[name=head_name]").fill(head_name)
    page.locator("input[name=head_document_number]").fill(factories.resident_id("621226"))
    page.locator("input[name=head_phone]").fill("1389300" + number[-4:])
    row = page.locator("[data-row]").nth(0)
    row.locator("input[name$='-name']").fill(head_name[0] + "秀英")
    row.locator("input[name$='-document_number']").fill(factories.resident_id("621226", sex="F"))
    row.locator("select[name$='-relationship']").select_option("spouse")
    _submit(page, page.locator("[data-test=register]"), turbo=True)
    page.wait_for_url(lambda url: "/add/" not in url)
    return Household.objects.get(number=number)


def test_a_county_sets_itself_up_and_hands_a_caseworkers_tasks_on(live_server, page, artifacts):
    base = live_server.url
    assert not User.objects.exists() and not Site.objects.exists()
    # The code lists are there as migrate leaves them (an earlier test's flush refills them).
    assert Code.objects.filter(list_name="pairing_type", code="party").exists()
    admin = User.objects.create_user("xhadmin", password=ADMIN_PASSWORD, first_name="县管理员")
    admin.groups.add(Group.objects.get(name=roles.ADMIN))
    assert not admin.is_superuser and not admin.is_staff

    # 1. The administrator: a county, a site, two grids.
    sign_in(page, base, "xhadmin", ADMIN_PASSWORD)
    page.goto(f"{base}/manage/regions/add/")
    page.get_by_label("区划代码").fill("621226000000")
    page.get_by_label("名称").fill("西和县")
    _choose(page, "level", "县（区）")
    _save(page)
    county = Region.objects.get(code="621226000000", level=Region.Level.COUNTY)
    _events("region.create", admin)

    page.goto(f"{base}/manage/sites/add/")
    page.get_by_label("安置点编码").fill("XH-CG-01")
    page.get_by_label("名称").fill("城关安置社区")
    _choose(page, "county", "西和县")
    page.get_by_label("乡镇").fill("城关镇")
    page.get_by_label("规划户数").fill("300")
    _save(page)
    site = Site.objects.get(code="XH-CG-01", county=county)
    _events("site.create", admin)

    grids = {}
    for code, name in (("G01", "第一网格"), ("G02", "第二网格")):
        page.goto(f"{base}/manage/sites/{site.pk}/")
        page.get_by_role("link", name="新增网格").click()
        page.wait_for_url(lambda url: "/manage/grids/add/" in url)
        page.get_by_label("网格编码").fill(code)
        page.get_by_label("名称").fill(name)
        _save(page)
        grids[code] = Grid.objects.get(site=site, code=code, name=name)
    _events("grid.create", admin, count=2)
    page.goto(f"{base}/manage/sites/{site.pk}/")
    page.screenshot(path=str(artifacts / "county-site.png"), full_page=True)

    # 2. The accounts, their grids and the site's manager.
    manager = _create_user(page, base, "wangli", "王丽", "社区负责人")
    page.get_by_label("安置点").select_option(label="城关安置社区")
    _submit(page, page.get_by_role("button", name="设为安置点负责人"))
    worker_a = _create_user(page, base, "zhangwei", "张伟", "社区工作者")
    _give_grid(page, "城关安置社区 · 第一网格")
    worker_b = _create_user(page, base, "lina", "李娜", "社区工作者")
    _give_grid(page, "城关安置社区 · 第一网格")
    helper = _create_user(page, base, "liuqiang", "刘强", "结对帮扶责任人")
    page.screenshot(path=str(artifacts / "county-user.png"), full_page=True)

    _events("account.user_create", admin, count=4)
    assert [roles.user_roles(u) for u in (manager, worker_a, worker_b, helper)] == [
        [roles.MANAGER],
        [roles.CASEWORKER],
        [roles.CASEWORKER],
        [roles.HELPER],
    ]
    assert list(permissions.sites_managed_by(manager)) == [site]
    _events("jurisdiction.grant_site", admin)
    assert list(permissions.grids_worked_by(worker_a)) == [grids["G01"]]
    assert list(permissions.grids_worked_by(worker_b)) == [grids["G01"]]
    _events("jurisdiction.grant_grid", admin, count=2)

    # 3. Caseworker A registers three households; the manager pairs them with the helper.
    _switch(page, base, "zhangwei")
    households = [
        _register(page, base, number, head)
        for number, head in zip(HOUSEHOLDS, ("马登科", "杨建军", "赵永福"), strict=True)
    ]
    assert all(h.grid == grids["G01"] and h.members.count() == 2 for h in households)
    assessments = Task.objects.filter(
        flow_task=HouseholdFlow.assess,
        process__householdprocess__household_case__household__in=households,
    )
    assert assessments.count() == 3
    assert set(assessments.values_list("status", flat=True)) == {STATUS.NEW}

    _switch(page, base, "wangli")
    for household in households:
        page.goto(f"{base}/manage/pairings/")
        page.locator("input[name=household]").fill(household.number)  # typed, not a list
        _choose(page, "kind", "党员结对")
        _choose(page, "helper", "刘强")
        _submit(page, page.locator("form.vf-form button[type=submit]"))
        assert "已保存" in page.content()
    page.screenshot(path=str(artifacts / "county-pairings.png"), full_page=True)
    pairings = Pairing.objects.filter(helper=helper, end_date__isnull=True)
    assert sorted(p.household.number for p in pairings) == sorted(HOUSEHOLDS)
    assert {p.kind for p in pairings} == {"party"}
    _events("pairing.create", manager, count=3)

    # 4. Caseworker A claims the three assessments from the queue (认领所选).
    _switch(page, base, "zhangwei")
    page.goto(f"{base}/workflow/queue/")
    for task in assessments:
        page.locator(f"input.wf-bulk__box[value='{task.pk}']").check()
    _submit(page, page.locator("[data-test=bulk-claim]"), turbo=True)
    page.goto(f"{base}/workflow/inbox/")
    page.screenshot(path=str(artifacts / "county-inbox-a.png"), full_page=True)
    assert set(assessments.values_list("owner", flat=True)) == {worker_a.pk}
    assert set(assessments.values_list("status", flat=True)) == {STATUS.ASSIGNED}

    # 5. The manager deactivates caseworker A, handing the open tasks to caseworker B.
    _switch(page, base, "wangli")
    page.goto(f"{base}/manage/users/{worker_a.pk}/")
    page.get_by_role("link", name="停用账号").click()
    page.wait_for_url(lambda url: url.endswith(f"/manage/staff/{worker_a.pk}/deactivate/"))
    for household in households:
        assert household.number in page.locator("[data-test=tasks]").inner_text()
    _choose(page, "tasks_to", "李娜（lina）")
    page.screenshot(path=str(artifacts / "county-deactivate.png"), full_page=True)
    _submit(page, page.locator("[data-test=deactivate]"))
    worker_a.refresh_from_db()
    assert not worker_a.is_active
    assert set(assessments.values_list("owner", flat=True)) == {worker_b.pk}
    assert set(assessments.values_list("status", flat=True)) == {STATUS.ASSIGNED}
    (reassigned,) = _events("staff.tasks_reassign", manager)
    assert reassigned.object_id == str(worker_a.pk)
    _events("account.user_deactivate", manager)

    # 6. B finds the tasks in 我的待办; A can no longer sign in.
    _switch(page, base, "lina")
    page.goto(f"{base}/workflow/inbox/")
    page.screenshot(path=str(artifacts / "county-inbox-b.png"), full_page=True)
    for task in assessments:
        link = page.locator(f"a[href*='/{task.process_id}/{task.flow_task.name}/{task.pk}/']")
        assert link.count() >= 1, task.pk
    page.context.clear_cookies()
    sign_in(page, base, "zhangwei", refused=True)

    call_command("audit_verify", stdout=io.StringIO())
