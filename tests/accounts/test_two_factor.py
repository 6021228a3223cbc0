"""Acceptance item 3: a manager who must give a TOTP code reaches no page without it."""

from base64 import b32decode

import pytest
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.audit.models import AuditEvent
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor")]

PAGES = ["/", "/registry/household/", "/workflow/", "/admin/", "/accounts/profile/"]


@pytest.fixture
def two_factor():
    with override_settings(TWO_FACTOR_REQUIRED=True):
        yield


def password_login(username):
    client = Client(REMOTE_ADDR="10.1.2.3")
    response = client.post(
        "/accounts/login/", {"username": username, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    return client


def code_for(device, offset=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=offset):06d}"


def test_a_manager_without_the_code_reaches_no_page(world):
    TOTPDevice.objects.create(user=world.manager, name="TOTP", confirmed=True)
    client = password_login("manager")
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response.url.startswith("/accounts/code/?next="), page


def test_a_wrong_code_is_refused_and_audited(world):
    TOTPDevice.objects.create(user=world.manager, name="TOTP", confirmed=True)
    client = password_login("manager")
    response = client.post("/accounts/code/?next=/registry/household/", {"token": "000000"})
    assert response.status_code == 200
    assert "验证码错误" in response.content.decode()
    assert client.get("/registry/household/").status_code == 302
    assert AuditEvent.objects.filter(action="otp.failure", actor_id=world.manager.pk).exists()


def test_with_a_valid_code_the_manager_reaches_the_page_asked_for(world):
    device = TOTPDevice.objects.create(user=world.manager, name="TOTP", confirmed=True)
    client = password_login("manager")
    page = client.get("/registry/household/")
    response = client.post(page.url, {"token": code_for(device)})
    assert response.status_code == 302 and response.url == "/registry/household/"
    for url in ("/registry/household/", "/accounts/profile/"):
        assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(action="otp.verify", actor_id=world.manager.pk).exists()


def test_a_manager_without_a_device_enrols_with_a_first_code(world):
    client = password_login("manager")
    verify = client.get(client.get("/registry/household/").url)
    assert verify.status_code == 302 and verify.url.startswith("/accounts/code/enrol/")
    page = client.get(verify.url)
    html = page.content.decode()
    assert "<svg" in html and "设置两步验证" in html
    device = TOTPDevice.objects.get(user=world.manager, confirmed=False)
    secret = b32decode(device.config_url.split("secret=")[1].split("&")[0])
    assert secret == device.bin_key
    assert client.get("/registry/household/").status_code == 302  # not yet confirmed
    response = client.post(verify.url, {"token": code_for(device)})
    assert response.status_code == 302 and response.url == "/registry/household/"
    assert client.get("/registry/household/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="otp.enrol", actor_id=world.manager.pk).exists()


def test_caseworkers_and_an_unset_setting_need_no_code(world, settings):
    assert password_login("caseworker1").get("/registry/household/").status_code == 200
    settings.TWO_FACTOR_REQUIRED = False
    assert password_login("manager").get("/registry/household/").status_code == 200


def test_repeated_wrong_codes_are_throttled(world):
    device = TOTPDevice.objects.create(user=world.manager, name="TOTP", confirmed=True)
    client = password_login("manager")
    client.post("/accounts/code/", {"token": "000000"})
    client.post("/accounts/code/", {"token": "000001"})
    # Right code, but straight after two failures: refused until the delay has passed.
    response = client.post("/accounts/code/", {"token": code_for(device)})
    assert "请稍等片刻再试" in response.content.decode()
    assert client.get("/registry/household/").status_code == 302


def test_the_page_asked_for_keeps_its_whole_query_through_the_enrolment(world):
    client = password_login("manager")
    asked = "/registry/household/?grid=1&page=2"
    verify = client.get(client.get(asked).url)
    assert verify.url.startswith("/accounts/code/enrol/")
    client.get(verify.url)
    device = TOTPDevice.objects.get(user=world.manager, confirmed=False)
    response = client.post(verify.url, {"token": code_for(device)})
    assert response.status_code == 302 and response.url == asked
