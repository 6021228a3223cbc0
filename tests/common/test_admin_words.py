"""/admin/ shows people words, not codes: role groups by their role's name (the group keeps its
code, which roles are found by), permissions in Chinese, the password as set or not, audit
events by their action's label, policy parameters by name. Accounts, groups and parameters are
read-only here."""

import datetime
import json

import pytest
from django.contrib.auth.models import Group

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
    assert "| 搬迁户 | 可以查看" in change  # its permissions, in words
    assert 'name="name"' not in change and 'name="permissions"' not in change  # read-only
    kept = list(group.permissions.values_list("pk", flat=True))
    response = client.post(f"/admin/auth/group/{group.pk}/change/", {"permissions": kept[:1]})
    assert response.status_code == 403
    group.refresh_from_db()
    assert group.name == roles.CASEWORKER and group.permissions.count() == len(kept)
    assert roles.user_roles(world.caseworker1) == [roles.CASEWORKER]


def test_another_group_is_shown_by_its_own_name(client, world):
    login(client, world.admin)
    group = Group.objects.create(name="街道联络员")
    change = _page(client, f"/admin/auth/group/{group.pk}/change/")
    assert "街道联络员" in change and 'name="name"' not in change


def test_accounts_and_groups_are_read_only_here_even_for_a_superuser(client, world):
    """Accounts, roles and grants change on the product's pages (系统管理), whose services
    record each change in the audit chain; /admin/ only shows them."""
    login(client, world.admin)
    group = Group.objects.get(name=roles.CASEWORKER)
    user = world.caseworker1
    for url in (
        "/admin/auth/group/add/",
        f"/admin/auth/group/{group.pk}/delete/",
        "/admin/auth/user/add/",
        f"/admin/auth/user/{user.pk}/delete/",
        f"/admin/auth/user/{user.pk}/password/",
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(
        f"/admin/auth/user/{user.pk}/change/", {"username": "renamed", "is_superuser": "on"}
    )
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.username == "caseworker1" and not user.is_superuser


def test_the_user_page_shows_whether_a_password_is_set_not_its_hash(client, world, settings):
    login(client, world.admin)
    page = _page(client, f"/admin/auth/user/{world.caseworker1.pk}/change/")
    assert "已设置密码" in page
    for hasher in ("md5", "pbkdf2", "argon2", "salt", "盐"):
        assert hasher not in page.lower()
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
