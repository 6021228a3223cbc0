"""Acceptance item 3: lockouts keyed on username and address, every attempt audited, the
idle timeout, the password length; through the login page with real POSTs."""

from datetime import timedelta
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from casework.accounts.middleware import LAST_ACTIVITY_KEY
from casework.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

OFFICE = "10.1.2.3"
HOME = "10.9.9.9"
LOGIN = "/accounts/login/"


def attempt(username, password, address=OFFICE, client=None):
    client = client or Client(REMOTE_ADDR=address)
    return client, client.post(LOGIN, {"username": username, "password": password})


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


@override_settings(AXES_FAILURE_LIMIT=3)
def test_failures_lock_out_the_username_at_that_address_even_with_the_right_password(world):
    for _n in range(3):
        _client, response = attempt("caseworker1", "wrong-password-1")
        assert response.status_code in (200, 429)
    _client, response = attempt("caseworker1", factories.PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in _client.session
    assert "已锁定" in response.content.decode()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_colleague_at_the_same_address_still_logs_in(world):
    for _n in range(3):
        attempt("caseworker1", "wrong-password-1")
    client, response = attempt("caseworker2", factories.PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.caseworker2.pk)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_locked_user_still_logs_in_from_another_address(world):
    for _n in range(3):
        attempt("caseworker1", "wrong-password-1")
    client, response = attempt("caseworker1", factories.PASSWORD, address=HOME)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.caseworker1.pk)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_every_attempt_is_audited_and_never_the_password(world):
    attempt("caseworker1", factories.PASSWORD)
    attempt("caseworker1", "wrong-password-1")
    attempt("nobody-" + "x" * 300, "wrong-password-2")
    attempt("caseworker1", "wrong-password-3")
    attempt("caseworker1", "wrong-password-4")  # the third failure: locked out
    attempt("caseworker1", factories.PASSWORD)  # refused unchecked

    (success,) = events("login.success")
    assert success.actor_id == world.caseworker1.pk
    assert success.changes["address"] == ["", OFFICE]
    failures = events("login.failure")
    assert [e.changes["username"][1] for e in failures] == [
        "caseworker1", "nobody-" + "x" * 143, "caseworker1", "caseworker1",
    ]  # fmt: skip
    assert {e.changes["address"][1] for e in failures} == {OFFICE}
    (lockout,) = events("login.lockout")
    assert lockout.changes["username"] == ["", "caseworker1"]
    (refused,) = events("login.refused")
    assert refused.changes == {"username": ["", "caseworker1"], "address": ["", OFFICE]}
    recorded = str([e.changes for e in AuditEvent.objects.all()]) + str(
        [e.reason for e in AuditEvent.objects.all()]
    )
    assert "wrong-password" not in recorded and factories.PASSWORD not in recorded


def test_logout_is_audited(world):
    client, _response = attempt("caseworker1", factories.PASSWORD)
    assert client.post(reverse("logout")).status_code == 302
    (logout,) = events("login.logout")
    assert logout.actor_id == world.caseworker1.pk and logout.reason == ""


def test_a_session_idle_too_long_is_ended_and_the_user_returns_to_the_page_after_login(world):
    client, _response = attempt("caseworker1", factories.PASSWORD)
    assert client.get("/registry/household/").status_code == 200
    session = client.session
    session[LAST_ACTIVITY_KEY] -= 31 * 60
    session.save()

    response = client.get("/registry/household/")
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next=/registry/household/"
    assert "_auth_user_id" not in client.session
    (logout,) = events("login.logout")
    assert logout.reason == "idle"
    page = client.get(response.url).content.decode()
    assert "长时间未操作" in page

    again = client.post(response.url, {"username": "caseworker1", "password": factories.PASSWORD})
    assert again.url == "/registry/household/"


def test_activity_is_written_at_most_once_a_minute(world):
    client, _response = attempt("caseworker1", factories.PASSWORD)
    client.get("/")
    first = client.session[LAST_ACTIVITY_KEY]
    session = client.session
    session[LAST_ACTIVITY_KEY] = first - 30  # half a minute ago: not rewritten
    session.save()
    client.get("/")
    assert client.session[LAST_ACTIVITY_KEY] == first - 30
    session = client.session
    session[LAST_ACTIVITY_KEY] = first - 90  # a minute and a half: rewritten
    session.save()
    client.get("/")
    assert client.session[LAST_ACTIVITY_KEY] >= first


def test_activity_does_not_push_back_the_absolute_limit_counted_from_the_login(world, settings):
    from django.contrib.sessions.models import Session

    client, _response = attempt("caseworker1", factories.PASSWORD)
    client.get("/")
    key = client.session.session_key
    ends = Session.objects.get(session_key=key).expire_date
    assert abs((ends - timezone.now()).total_seconds() - settings.SESSION_COOKIE_AGE) < 60
    session = client.session
    session[LAST_ACTIVITY_KEY] -= 90  # the next page writes the activity: a session save
    session.save()
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(hours=2)):
        assert client.get("/registry/household/").status_code == 200
    assert client.session[LAST_ACTIVITY_KEY] > session[LAST_ACTIVITY_KEY]  # it was saved
    assert Session.objects.get(session_key=key).expire_date == ends


def test_a_password_of_eleven_characters_is_refused(world, client):
    client.force_login(world.admin)
    url = reverse("logins:password", args=[world.caseworker1.pk])
    response = client.post(url, {"new_password1": "kx7-pq2-w9z", "new_password2": "kx7-pq2-w9z"})
    assert response.status_code == 200
    assert "密码长度太短" in response.content.decode()
    world.caseworker1.refresh_from_db()
    assert world.caseworker1.check_password(factories.PASSWORD)
    assert events("password.set") == []


def test_the_administrator_sets_a_new_password_and_it_is_audited(world, client):
    client.force_login(world.admin)
    url = reverse("logins:password", args=[world.caseworker1.pk])
    new = "kx7-pq2-w9z-44"
    response = client.post(url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    world.caseworker1.refresh_from_db()
    assert world.caseworker1.check_password(new)
    (event,) = events("password.set")
    assert event.actor_id == world.admin.pk and event.object_id == str(world.caseworker1.pk)
    assert new not in str(event.changes)


def test_others_may_not_set_passwords_nor_see_lockouts(world, client):
    client.force_login(world.manager)
    assert client.get(reverse("logins:index")).status_code == 403
    url = reverse("logins:password", args=[world.caseworker1.pk])
    assert (
        client.post(url, {"new_password1": "x" * 14, "new_password2": "x" * 14}).status_code == 403
    )


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_administrator_releases_a_lockout_and_it_is_audited(world, client):
    for _n in range(3):
        attempt("caseworker1", "wrong-password-1")
    client.force_login(world.admin)
    page = client.get(reverse("logins:index")).content.decode()
    assert "caseworker1" in page and "解除锁定" in page
    (locked,) = AccessAttempt.objects.all()
    response = client.post(reverse("logins:release", args=[locked.pk]))
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    (event,) = events("login.unlock")
    assert event.actor_id == world.admin.pk
    assert event.changes["username"] == ["caseworker1", ""]
    _c, response = attempt("caseworker1", factories.PASSWORD)
    assert response.status_code == 302


def test_without_a_mail_server_the_reset_pages_send_people_to_their_administrator(client):
    login_page = client.get(LOGIN).content.decode()
    assert "忘记密码？请联系系统管理员" in login_page
    assert reverse("password_reset") not in login_page
    for url in (reverse("password_reset"), reverse("password_reset_done")):
        page = client.get(url).content.decode()
        assert "忘记密码？请联系系统管理员" in page and "电子邮件" not in page
    response = client.post(reverse("password_reset"), {"email": "a@example.com"})
    assert "忘记密码？请联系系统管理员" in response.content.decode()


@override_settings(EMAIL_HOST="mail.example.org")
def test_with_a_mail_server_the_reset_flow_sends_a_mail(world, client, mailoutbox):
    world.caseworker1.email = "cw1@example.org"
    world.caseworker1.save()
    assert reverse("password_reset") in client.get(LOGIN).content.decode()
    response = client.post(reverse("password_reset"), {"email": "cw1@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
