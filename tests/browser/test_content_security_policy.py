"""Every kind of page works under the Content-Security-Policy: a real browser, signed in as each
demo persona, opens the pages its menus and first-level links lead to (full loads, and Turbo's
in-page visits) and reports no blocked script, style, font or image."""

import io
from urllib.parse import urlparse

import pytest
from django.core.management import call_command

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

# Not pages: downloads, the logout form's target, and the language switch.
SKIP = ("/accounts/logout/", "/i18n/", "download", "/casefile/", "/ledger/", "export")
MAX_PAGES = 20


def _violations(page) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return found


def _links(page, base) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    paths = []
    for href in hrefs:
        url = urlparse(href)
        if f"{url.scheme}://{url.netloc}" != base or any(part in url.path for part in SKIP):
            continue
        paths.append(url.path)
    return paths


@pytest.mark.parametrize("username", ["manager", "caseworker1", "trainer", "helper", "admin"])
def test_pages_load_without_a_policy_violation(live_server, page, username):
    call_command("seed_demo", stdout=io.StringIO())
    base = live_server.url
    violations = _violations(page)
    sign_in(page, base, username)

    start = ["/home/", "/workflow/inbox/", "/workflow/queue/", "/registry/household/"]
    if username == "admin":
        start.append("/admin/")
    seen: set[str] = set()
    queue = list(start)
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = page.goto(base + path)
        assert response is not None and response.status < 500, path
        page.wait_for_load_state("networkidle")
        if path in start:  # one level down from the menus and lists
            queue += _links(page, base)
    assert len(seen) >= 5, seen

    # Turbo's in-page visits: the menu entries opened by clicks, not page loads.
    page.goto(f"{base}/home/")
    for path in start[1:]:
        link = page.locator(f"a[href='{path}']:visible")
        if not link.count():
            continue
        link.first.click()
        page.wait_for_url(lambda url, path=path: url.endswith(path))
        page.wait_for_load_state("networkidle")

    assert violations == [], violations
    # The policy is in force and a refusal would have been seen: an inline style is refused.
    page.evaluate(
        "() => { const s = document.createElement('style'); s.textContent = 'body {}';"
        " document.head.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert len(violations) == 1 and "style" in violations[0], violations
