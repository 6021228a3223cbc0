"""The API's documentation page (issue 22, acceptance 1): it loads in a real browser, draws the
schema's operations, and no request leaves the machine (its scripts and styles are the
project's own static files) and none is blocked by the Content-Security-Policy."""

from urllib.parse import urlparse

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_docs_page_loads_from_this_machine_only(live_server, page, django_user_model):
    base = live_server.url
    django_user_model.objects.create_superuser("docs_admin", password="docs-pass-2026")
    outside, blocked = [], []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if urlparse(request.url).netloc not in ("", urlparse(base).netloc)
            and not request.url.startswith(("data:", "blob:"))
            else None
        ),
    )
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    sign_in(page, base, "docs_admin", "docs-pass-2026")
    page.goto(base + "/api/v1/docs/")
    page.wait_for_selector(".opblock", timeout=20000)  # an operation drawn from the schema
    assert "/api/v1/households/" in page.content()
    assert page.title()
    assert outside == [] and blocked == []
