"""/admin/ shows people words, not codes: role groups by their role's name (the group keeps its
code, which roles are found by), permissions in Chinese and only those the county grants, the
password as set or not, the link rows of a delete page in words, audit events by their action's
label, policy parameters by name, read-only."""

import datetime
import json

import pytest
from django.contrib.auth.models import Group, Permission

from casework.audit.models import AuditEvent
from casework.permissions import roles
from casework.policy.models import Parameter
from casework.policy.services import parameter_set
from tests.conftest import login
from tests.i18n.english import english_in

pytestmark = pytest.mark.django_db


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_role_groups_are_shown_by_their_role_and_keep_their_code(client, world):
    login(client, world.admin)
    group = Group.objects.get(name=roles.CASEWORKER)
    listing = _page(client, "/admin/auth/group/")
    assert "社区工作者" in listing and ">caseworker<" not in listing
    change = _page(client, f"/admin/auth/group/{group.pk}/change/")
    assert english_in(change) == []
    assert 'name="name"' not in change  # a role's group name is not editable here
    kept = list(group.permissions.values_list("pk", flat=True))
    response = client.post(f"/admin/auth/group/{group.pk}/change/", {"permissions": kept})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == roles.CASEWORKER
    assert roles.user_roles(world.caseworker1) == [roles.CASEWORKER]


def test_another_group_keeps_an_editable_name(client, world):
    login(client, world.admin)
    group = Group.objects.create(name="街道联络员")
    change = _page(client, f"/admin/auth/group/{group.pk}/change/")
    assert 'name="name"' in change and "街道联络员" in change


def test_a_role_group_cannot_be_deleted_here(client, world):
    login(client, world.admin)
    group = Group.objects.get(name=roles.CASEWORKER)
    assert client.get(f"/admin/auth/group/{group.pk}/delete/").status_code == 403


def test_the_group_delete_page_names_permissions_and_members(client, world):
    login(client, world.admin)
    group = Group.objects.create(name="街道联络员")
    group.permissions.add(Permission.objects.get(codename="view_household"))
    world.caseworker1.groups.add(group)
    page = _page(client, f"/admin/auth/group/{group.pk}/delete/")
    assert "object (" not in page and "关系" not in page
    assert "组的权限：搬迁户台账 | 搬迁户 | 可以查看" in page
    assert "组成员：caseworker1 — 街道联络员" in page
    assert english_in(page) == []


def test_the_user_page_shows_whether_a_password_is_set_not_its_hash(client, world, settings):
    login(client, world.admin)
    page = _page(client, f"/admin/auth/user/{world.caseworker1.pk}/change/")
    assert "已设置密码" in page
    for hasher in ("md5", "pbkdf2", "argon2", "salt", "盐"):
        assert hasher not in page.lower()
    assert english_in(page) == []


def test_add_on_apps_permissions_are_not_offered(client, world):
    login(client, world.admin)
    page = _page(client, "/admin/auth/group/add/")
    guardian = Permission.objects.filter(content_type__app_label="guardian").first()
    assert guardian is not None and f'value="{guardian.pk}"' not in page
    manage = Permission.objects.get(codename="manage_householdprocess")
    assert f'value="{manage.pk}"' in page and "| 户帮扶流程 | 可以管理" in page
    assert english_in(page) == []


def test_the_password_page_warns_in_chinese(client, world):
    login(client, world.admin)
    page = _page(client, f"/admin/auth/user/{world.caseworker1.pk}/password/")
    assert 'id="id_unusable_warning"' in page and "当前的密码将失效" in page
    assert english_in(page) == []


def test_audit_events_are_listed_by_label_and_told_in_words(client, world):
    login(client, world.admin)
    listing = _page(client, "/admin/audit/auditevent/")
    assert "新增安置点" in listing and "安置点 #" in listing
    assert ">site.create" not in listing and ">registry.site" not in listing
    assert english_in(listing) == []
    assert listing.count(">新增安置点</a>") == 1  # each action once in the filter
    event = AuditEvent.objects.filter(action="household.register").first()
    page = _page(client, f"/admin/audit/auditevent/{event.pk}/change/")
    assert "户已登记" in page and "搬迁户 #" in page and "户编号：— → A1-0001" in page
    assert ">household.register" not in page and ">registry.household" not in page
    assert english_in(page) == []


def test_a_policy_parameter_is_shown_by_name_and_only_shown(client, world):
    """Parameters change on the policy pages (audited); /admin/ lists them by name, read-only."""
    parameter_set(
        actor=world.admin, key="deadline.assess", value=12, valid_from=datetime.date(2026, 1, 1)
    )
    login(client, world.admin)
    assert client.get("/admin/policy/parameter/add/").status_code == 403
    row = Parameter.objects.get(key="deadline.assess")
    page = _page(client, f"/admin/policy/parameter/{row.pk}/change/")
    assert "null" not in page and 'name="value"' not in page
    listing = _page(client, "/admin/policy/parameter/")
    assert "入户评估的办结天数" in listing and english_in(listing) == []


def test_the_two_box_chooser_speaks_chinese(client, world):
    """Its texts are written by the admin's script from the admin's JavaScript catalogue, where
    Django's Chinese lacks them."""
    login(client, world.admin)
    catalogue = _page(client, "/admin/jsi18n/")
    for chinese in ("选择全部%s", "移除全部%s", "选中要加入的%s", "选中要移除的%s"):
        assert json.dumps(chinese)[1:-1] in catalogue  # the catalogue escapes non-ASCII
