"""/admin/ speaks Chinese where the county uses it: titles, permission names, the authenticator
apps page; viewflow's raw tables and the worker's job results are not offered."""

import pytest
from django.contrib.auth.models import Permission
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import login
from tests.i18n.english import english_in

pytestmark = pytest.mark.django_db


def test_the_admin_is_titled_in_chinese(client, world):
    login(client, world.admin)
    html = client.get("/admin/").content.decode()
    assert "就业帮扶系统管理" in html and "Django" not in html
    assert "/admin/viewflow/" not in html and "/admin/django_tasks_database/" not in html


def test_permissions_are_named_in_chinese(client, world):
    world.caseworker1.user_permissions.add(Permission.objects.get(codename="view_household"))
    login(client, world.admin)
    html = client.get(f"/admin/auth/user/{world.caseworker1.pk}/change/").content.decode()
    assert "| 搬迁户 | 可以查看" in html  # app | model | action
    assert "Can add" not in html and "Can view" not in html


def test_the_authenticator_apps_page_is_chinese(client, world):
    device = TOTPDevice.objects.create(user=world.manager, name="王书记的手机", confirmed=True)
    login(client, world.admin)
    listing = client.get("/admin/otp_totp/totpdevice/")
    assert listing.status_code == 200 and english_in(listing.content.decode()) == []
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200 and english_in(page.content.decode()) == []
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 403
