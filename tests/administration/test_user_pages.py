"""The account pages under 系统管理: each write answers with a redirect, changes the database
and leaves exactly one audit event naming its actor; a manager reaches only the accounts
working in their sites, gives only caseworker, helper and trainer roles, and only their grids."""

import pytest
from django.contrib.auth.models import Group, User

from casework import permissions
from casework.permissions import roles
from casework.registry.services import jurisdiction_grant_grid
from tests import factories
from tests.conftest import login

pytestmark = pytest.mark.django_db

PASSWORD = "Ganquan-2026-pass"


def _new_user(**overrides):
    data = {"username": "wangfang", "full_name": "王芳", "email": "",
            "password1": PASSWORD, "password2": PASSWORD, "role_caseworker": "on"}  # fmt: skip
    data.update(overrides)
    return data


def test_a_manager_creates_a_caseworker(client, world, recorded):
    login(client, world.manager)
    with recorded() as events:
        response = client.post("/manage/users/add/", _new_user())
    account = User.objects.get(username="wangfang")
    assert response.status_code == 302 and response["Location"] == f"/manage/users/{account.pk}/"
    assert account.first_name == "王芳" and account.is_active and account.check_password(PASSWORD)
    assert roles.user_roles(account) == [roles.CASEWORKER]
    event = events.one("account.user_create", world.manager)
    assert event.changes["roles"] == [None, "caseworker"] and PASSWORD not in str(event.changes)
    assert permissions.may_edit_user(world.manager, account)


def test_a_manager_cannot_create_a_manager(client, world):
    login(client, world.manager)
    page = client.get("/manage/users/add/").content.decode()
    assert 'name="role_caseworker"' in page and 'name="role_manager"' not in page
    client.post("/manage/users/add/", _new_user(role_caseworker="", role_manager="on"))
    assert roles.user_roles(User.objects.get(username="wangfang")) == []


def test_a_taken_username_and_a_weak_password_are_refused(client, world):
    login(client, world.admin)
    response = client.post("/manage/users/add/", _new_user(username="caseworker1"))
    assert response.status_code == 200 and "已被使用" in response.content.decode()
    response = client.post("/manage/users/add/", _new_user(password1="12345", password2="12345"))
    assert response.status_code == 200 and not User.objects.filter(username="wangfang").exists()


def test_the_list_is_scoped_searched_and_filtered(client, world):
    login(client, world.manager)
    page = client.get("/manage/users/").content.decode()
    assert "caseworker1" in page and "helper" in page
    assert ">admin<" not in page and ">trainer<" not in page and "outsider" not in page
    page = client.get("/manage/users/", {"role": roles.HELPER}).content.decode()
    assert "helper" in page and "caseworker1" not in page
    page = client.get("/manage/users/", {"q": "caseworker2"}).content.decode()
    assert "caseworker2" in page and "caseworker1" not in page


def test_it_changes_a_name(client, world, recorded):
    login(client, world.manager)
    with recorded() as events:
        response = client.post(
            f"/manage/users/{world.caseworker1.pk}/", {"full_name": "李 晓", "email": ""}
        )
    assert response.status_code == 302
    world.caseworker1.refresh_from_db()
    assert world.caseworker1.first_name == "李晓"
    events.one("account.user_update", world.manager)


def test_it_sets_roles_keeping_those_the_actor_may_not_give(client, world, recorded):
    world.caseworker1.groups.add(Group.objects.get(name=roles.ADMIN))  # given by someone above
    login(client, world.manager)
    # The manager no longer administers an administrator: 404.
    url = f"/manage/users/{world.caseworker1.pk}/roles/"
    assert client.post(url, {"role_helper": "on"}).status_code == 404
    login(client, world.admin)
    with recorded() as events:
        response = client.post(url, {"role_helper": "on", "role_admin": "on"})
    assert response.status_code == 302
    assert roles.user_roles(world.caseworker1) == [roles.HELPER, roles.ADMIN]
    event = events.one("account.user_roles", world.admin)
    assert event.changes["roles"] == ["admin、caseworker", "admin、helper"]


def test_nobody_changes_their_own_roles(client, world):
    login(client, world.admin)
    client.post(f"/manage/users/{world.admin.pk}/roles/", {})
    assert roles.user_roles(world.admin) == [roles.ADMIN]


def test_it_gives_and_takes_back_grids_on_the_users_page(client, world, recorded):
    login(client, world.manager)
    with recorded() as events:
        response = client.post(
            f"/manage/users/{world.caseworker1.pk}/grids/add/", {"grid": world.grid_a2.pk}
        )
    assert response.status_code == 302
    assert world.grid_a2 in permissions.grids_worked_by(world.caseworker1)
    events.one("jurisdiction.grant_grid", world.manager)
    with recorded() as events:
        client.post(f"/manage/users/{world.caseworker1.pk}/grids/{world.grid_a1.pk}/revoke/")
    assert world.grid_a1 not in permissions.grids_worked_by(world.caseworker1)
    events.one("jurisdiction.revoke_grid", world.manager)


def test_a_manager_cannot_give_another_sites_grid(client, world, recorded):
    login(client, world.manager)
    with recorded() as events:
        client.post(f"/manage/users/{world.caseworker1.pk}/grids/add/", {"grid": world.grid_b1.pk})
    assert events.events == []
    assert world.grid_b1 not in permissions.grids_worked_by(world.caseworker1)


def test_an_administrator_makes_a_manager_of_a_site_a_manager_cannot(client, world, recorded):
    boss = factories.user("boss", roles.MANAGER)
    login(client, world.manager)
    assert client.post(f"/manage/users/{world.caseworker1.pk}/sites/add/",
                       {"site": world.site_a.pk}).status_code == 403  # fmt: skip
    login(client, world.admin)
    with recorded() as events:
        client.post(f"/manage/users/{boss.pk}/sites/add/", {"site": world.site_b.pk})
    assert list(permissions.sites_managed_by(boss)) == [world.site_b]
    events.one("jurisdiction.grant_site", world.admin)
    with recorded() as events:
        client.post(f"/manage/users/{boss.pk}/sites/{world.site_b.pk}/revoke/")
    assert not permissions.sites_managed_by(boss).exists()
    events.one("jurisdiction.revoke_site", world.admin)


def test_a_manager_neither_sees_nor_edits_an_account_of_another_site(client, world):
    stranger = factories.user("stranger", roles.CASEWORKER)
    jurisdiction_grant_grid(actor=world.admin, user=stranger, grid=world.grid_b1)
    login(client, world.manager)
    assert "stranger" not in client.get("/manage/users/").content.decode()
    assert client.get(f"/manage/users/{stranger.pk}/").status_code == 404
    response = client.post(f"/manage/users/{stranger.pk}/", {"full_name": "改名"})
    assert response.status_code == 404
    assert client.get(f"/manage/users/{world.admin.pk}/").status_code == 404


def test_it_sets_a_new_password(client, world, recorded):
    login(client, world.manager)
    new = "Lanzhou-2026-new"
    with recorded() as events:
        response = client.post(
            f"/manage/users/{world.caseworker1.pk}/password/",
            {"new_password1": new, "new_password2": new},
        )
    assert response.status_code == 302
    world.caseworker1.refresh_from_db()
    assert world.caseworker1.check_password(new)
    events.one("password.set", world.manager)


def test_it_reactivates_an_account(client, world, recorded):
    world.caseworker1.is_active = False
    world.caseworker1.save()
    login(client, world.manager)
    with recorded() as events:
        response = client.post(f"/manage/users/{world.caseworker1.pk}/reactivate/")
    assert response.status_code == 302
    world.caseworker1.refresh_from_db()
    assert world.caseworker1.is_active
    events.one("account.user_reactivate", world.manager)


def test_the_users_page_shows_roles_grids_and_actions(client, world):
    login(client, world.manager)
    page = client.get(f"/manage/users/{world.caseworker1.pk}/").content.decode()
    assert "caseworker1" in page and "社区工作者" in page and "A网格1" in page
    assert f"/manage/users/{world.caseworker1.pk}/password/" in page
    assert "重新启用账号" not in page  # active: no reactivation button
