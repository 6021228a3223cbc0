"""系统管理 in a real browser at 390×844, as the site's manager: every page fits the screen
with no Content-Security-Policy violation, and a new caseworker is created and given a grid by
filling the forms by their labels and pressing their buttons (the way acceptance 1 of issue 18
drives them). Screenshots go to test-artifacts/phone-admin-<page>.png."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from casework import permissions
from casework.registry.models import Grid
from casework.training.models import Course
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
NEW_PASSWORD = "Ganquan-2026-pass"


def test_the_managers_administration_pages_on_a_phone(live_server, browser, artifacts):
    call_command("seed_demo", stdout=io.StringIO())
    base = live_server.url
    context = browser.new_context(locale="zh-CN", **PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    sign_in(page, base, "manager")

    grid = Grid.objects.order_by("code").first()
    caseworker = get_user_model().objects.get(username="caseworker1")
    pages = {
        "sites": "/manage/sites/",
        "site": f"/manage/sites/{grid.site_id}/",
        "grids": "/manage/grids/",
        "grid": f"/manage/grids/{grid.pk}/",
        "users": "/manage/users/",
        "user": f"/manage/users/{caseworker.pk}/",
        "user-add": "/manage/users/add/",
        "courses": "/manage/courses/",
        "course": f"/manage/courses/{Course.objects.first().pk}/",
    }
    for name, path in pages.items():
        response = page.goto(base + path)
        assert response is not None and response.status == 200, name
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(artifacts / f"phone-admin-{name}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name

    # A new caseworker, by the form's labels and buttons.
    page.goto(f"{base}/manage/users/add/")
    page.get_by_label("用户名").fill("wangfang")
    page.get_by_label("姓名").fill("王芳")
    page.get_by_label("初始密码", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("再次输入初始密码").fill(NEW_PASSWORD)
    page.get_by_label("社区工作者").check()
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(lambda url: "/add/" not in url)
    assert "账号已创建" in page.content()
    page.get_by_label("网格").select_option(label=f"{grid.site.name} · {grid.name}")
    page.get_by_role("button", name="分配网格").click()
    page.wait_for_load_state("networkidle")
    assert "已保存" in page.content()
    account = get_user_model().objects.get(username="wangfang")
    assert account.check_password(NEW_PASSWORD)
    assert grid in permissions.grids_worked_by(account)
    assert violations == []
    context.close()
