"""The password pages (reset by mail, change) are ours and Chinese, titled with the system's
name, never Django admin's "Django 站点管理员"."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.http import urlsafe_base64_encode

from tests.conftest import login
from tests.i18n.english import english_in

pytestmark = pytest.mark.django_db


def _reset_link(user) -> str:
    uid = urlsafe_base64_encode(str(user.pk).encode())
    return f"/accounts/reset/{uid}/{default_token_generator.make_token(user)}/"


def _assert_ours_and_chinese(response, title: str) -> None:
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"<title>\s*" + re.escape(title) + r" - 就业帮扶\s*</title>", html), html[:400]
    assert "Django" not in html.split("<body", 1)[1] and "Django" not in html.split("</title>")[0]
    assert english_in(html) == []


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/accounts/password_reset/", "重置密码"),
        ("/accounts/password_reset/done/", "链接已发送"),
        ("/accounts/reset/MQ/bad-token/", "链接已失效"),
        ("/accounts/reset/done/", "新密码已设置"),
    ],
)
def test_the_reset_pages_are_chinese(client, world, settings, url, title):
    settings.EMAIL_HOST = "mail.example"
    _assert_ours_and_chinese(client.get(url), title)


def test_a_valid_reset_link_asks_for_the_new_password_in_chinese(client, world, settings):
    settings.EMAIL_HOST = "mail.example"
    response = client.get(_reset_link(world.caseworker1), follow=True)
    _assert_ours_and_chinese(response, "设置新密码")
    assert 'name="new_password1"' in response.content.decode()


def test_the_change_pages_are_chinese(client, world):
    login(client, world.caseworker1)
    _assert_ours_and_chinese(client.get("/accounts/password_change/"), "修改密码")
    _assert_ours_and_chinese(client.get("/accounts/password_change/done/"), "密码已修改")
