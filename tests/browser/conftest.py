"""A real browser: Debian's chromium driven by Playwright (installed by ``make browser``)."""

import os
import shutil
from pathlib import Path

import pytest

from casework.ops.management.commands.seed_demo import DEMO_PASSWORD

# Screenshots; a second run at the same time (scripts/test-both) names a folder of its own.
ARTIFACTS = Path(
    os.environ.get("TEST_ARTIFACTS") or Path(__file__).resolve().parents[2] / "test-artifacts"
)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LOGIN_PATH = "/accounts/login/"


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail("chromium is not installed: run `make browser` (scripts/apt-install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; Django must allow ORM calls from the test body.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
            ],  # fmt: skip
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def sign_in(page, base, username, password=DEMO_PASSWORD, *, refused=False):
    """Sign in through the login form; returns the response to the form's POST.

    The waits are explicit and in order, each within the page's timeout, so that a timeout
    names the slow step: the POST's own response, then the load of the page it leads to (after
    a sign-in the landing page, by default the workbench, which is rendered before the browser
    gets any of it). The click itself does not wait for the navigation it starts.
    With ``refused`` the login is meant to fail (a wrong password, a lockout): the login page
    answers itself instead of redirecting.
    """
    page.goto(f"{base}{LOGIN_PATH}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with (
        page.expect_event("load"),
        page.expect_response(
            lambda r: r.request.method == "POST" and r.url.endswith(LOGIN_PATH)
        ) as posted,
    ):
        page.click("button[type=submit]", no_wait_after=True)
    response = posted.value
    if refused:
        assert not 300 <= response.status < 400, f"{username} was let in"
        assert page.url.endswith(LOGIN_PATH), page.url
    else:
        assert response.status == 302, f"{username}: the login answered {response.status}"
        assert LOGIN_PATH not in page.url, page.url
    return response
