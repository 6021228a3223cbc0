"""The household list's menu exports as a person uses it: the entry opens a page that asks, its
button downloads the file, and exactly one export is recorded per download (viewflow's menu
opens links with Turbo, which fetched a file twice when the entry itself was the download)."""

import io

import pytest
from django.core.management import call_command

from casework.audit.models import AuditEvent
from casework.registry.models import Grid
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _menu_download(page, entry_url: str, name: str, artifacts) -> str:
    """Open the list's card menu, choose the entry, confirm; the downloaded file's name."""
    page.click(".vf-card__menu-trigger")
    page.click(f"li[data-card-menu-href='{entry_url}']")
    page.wait_for_selector("[data-test=export-confirm]")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(artifacts / f"export-confirm-{name}.png"), full_page=True)
    with page.expect_download() as download:
        page.click("[data-test=export-confirm] [data-test=download]")
    page.wait_for_load_state("networkidle")
    return download.value.suggested_filename


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def test_each_menu_export_is_made_and_recorded_once(live_server, page, artifacts):
    call_command("seed_demo", stdout=io.StringIO())
    grid = Grid.objects.order_by("pk").first()
    base = live_server.url
    sign_in(page, base, "manager")

    page.goto(f"{base}/registry/household/?grid={grid.pk}")
    name = _menu_download(page, f"/registry/household/export/?grid={grid.pk}", "list", artifacts)
    assert name.startswith("搬迁户名单-") and name.endswith(".xlsx")
    (event,) = _events("registry.list_export")
    assert event.changes["filters"][1] == f"grid={grid.pk}"

    page.goto(f"{base}/registry/household/")
    name = _menu_download(page, "/registry/household/ledger/", "ledger", artifacts)
    assert name.startswith("就业台账-") and name.endswith(".xlsx")
    assert len(_events("ledger.export")) == 1
    assert len(_events("registry.list_export")) == 1

    # The page that asks fits a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/registry/household/export/?grid={grid.pk}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(artifacts / "export-confirm-phone.png"), full_page=True)
    assert len(_events("registry.list_export")) == 1
