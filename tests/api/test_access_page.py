"""The API access page: a staff member makes a personal token there (shown once, on the answer
only), revokes it; an administrator makes a system client of a site; others are refused."""

import pytest
from django.urls import reverse

from casework.api.models import ApiClient
from casework.api.tokens import token_hash

pytestmark = pytest.mark.django_db


def test_a_helper_makes_a_personal_token_sees_it_once_and_revokes_it(client, world):
    client.force_login(world.helper)
    page = client.get(reverse("api_access:index"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "我的令牌" in text and "系统客户端" not in text  # no system clients for a helper

    made = client.post(
        reverse("api_access:index"),
        {"form": "personal", "name": "走访小程序", "access": "write", "days": "30"},
    )
    assert made.status_code == 200 and made["Cache-Control"] == "no-store"
    token = made.context["new_token"]
    row = ApiClient.objects.get(user=world.helper)
    assert row.token_hash == token_hash(token) and token in made.content.decode()
    assert "只显示这一次" in made.content.decode()
    # Shown once: the page afterwards holds the token's first letters only.
    again = client.get(reverse("api_access:index")).content.decode()
    assert token not in again and row.token_prefix in again

    revoked = client.post(reverse("api_access:index"), {"form": "revoke", "client": row.pk})
    assert revoked.status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None


def test_bad_input_is_refused_in_chinese_and_nothing_is_made(client, world):
    client.force_login(world.caseworker1)
    refused = client.post(
        reverse("api_access:index"),
        {"form": "personal", "name": "脚本", "access": "write", "days": "9999"},
    )
    assert refused.status_code == 200
    assert "令牌有效期须在 1 到" in refused.content.decode()
    assert not ApiClient.objects.exists()


def test_an_administrator_makes_a_system_client_and_others_cannot(client, world):
    client.force_login(world.admin)
    made = client.post(
        reverse("api_access:index"),
        {"form": "system", "name": "人社就业平台", "site": world.site_a.pk, "access": "read",
         "days": "90", "personal_data": "on"},
    )  # fmt: skip
    assert made.status_code == 200, made.content.decode()[:400]
    system = ApiClient.objects.get(kind="system")
    assert (system.site, system.personal_data) == (world.site_a, True)
    assert "人社就业平台" in client.get(reverse("api_access:index")).content.decode()

    client.force_login(world.manager)
    forged = client.post(
        reverse("api_access:index"),
        {"form": "system", "name": "x", "site": world.site_a.pk, "access": "read", "days": "9"},
    )
    assert forged.status_code == 403
    # Somebody else's client does not exist for the manager.
    assert (
        client.post(
            reverse("api_access:index"), {"form": "revoke", "client": system.pk}
        ).status_code
        == 404
    )
    client.force_login(world.trainer)
    assert client.get(reverse("api_access:index")).status_code == 403
