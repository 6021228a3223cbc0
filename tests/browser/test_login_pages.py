"""The login pages on a desktop and a phone-sized screen: Chinese, nothing wider than the
screen. A lockout, the code enrolment, the code page, the lockouts page, the password page."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=device.drift):06d}"


def _shot(page, artifacts, name, screen):
    assert _fits(page), name
    page.screenshot(path=str(artifacts / f"browser-{name}-{screen}.png"), full_page=True)


@pytest.mark.parametrize("screen", SCREENS)
def test_the_login_pages_fit_the_screen(live_server, browser, artifacts, world, settings, screen):
    settings.TWO_FACTOR_REQUIRED = True
    settings.AXES_FAILURE_LIMIT = 2
    base = live_server.url
    context = browser.new_context(locale="zh-CN", viewport=SCREENS[screen])
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{base}/accounts/login/")
        assert "忘记密码？请联系系统管理员" in page.content()
        _shot(page, artifacts, "login", screen)
        for _n in range(2):
            sign_in(page, base, "caseworker2", "wrong-password-1", refused=True)
        assert "已锁定" in page.inner_text("body")
        _shot(page, artifacts, "lockout", screen)

        sign_in(page, base, "manager", factories.PASSWORD)
        page.wait_for_url(lambda url: "/accounts/code/enrol/" in url)
        assert "设置两步验证" in page.inner_text("body")
        assert page.locator("[data-test=otp-qr] svg").count() == 1
        _shot(page, artifacts, "otp-enrol", screen)
        device = TOTPDevice.objects.get(user=world.manager)
        page.fill("input[name=token]", _code(device))
        page.click("form.vf-form button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/code" not in url)
        context.clear_cookies()

        sign_in(page, base, "manager", factories.PASSWORD)
        page.wait_for_url(lambda url: "/accounts/code/" in url)
        assert "验证码" in page.inner_text("body")
        _shot(page, artifacts, "otp-verify", screen)
        context.clear_cookies()

        admin_device = TOTPDevice.objects.create(user=world.admin, name="TOTP", confirmed=True)
        sign_in(page, base, "admin", factories.PASSWORD)
        page.fill("input[name=token]", _code(admin_device))
        page.click("form.vf-form button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/code" not in url)
        page.goto(f"{base}/logins/")
        assert "解除锁定" in page.inner_text("body") and "caseworker2" in page.content()
        _shot(page, artifacts, "logins", screen)
        page.goto(f"{base}/logins/users/{world.caseworker1.pk}/password/")
        assert "设置新密码" in page.inner_text("body")
        _shot(page, artifacts, "password-set", screen)
    finally:
        context.close()
