"""The household list exports to Excel as the user filtered it: the page's rows, scoped and
masked as on the page, recorded; full identifiers only for holders of the right, and only
for the grids they work. The menu's link (a GET) only asks; its form POSTs the list's search
and filters, and only the POST makes and records a file."""

import io
import re
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from casework.audit.models import AuditEvent
from casework.registry.list_export import HEADERS
from casework.registry.validators import mask_document_number
from tests import factories
from tests.conftest import login

EXPORT = "registry:household:list_export"


def _export(client, params=None, **extra):
    """What the confirmation page's form sends: the list's search and filters, as POST."""
    return client.post(reverse(EXPORT), {**(params or {}), **extra})


def _rows(response) -> list[tuple]:
    assert response.status_code == 200, response.status_code
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADERS
    return rows[1:]


def _page_numbers(client, params) -> list[str]:
    page = client.get(reverse("registry:household:index"), params)
    return [household.number for household in page.context["object_list"]]


def test_the_export_holds_the_rows_of_the_filtered_page_in_its_order(client, world):
    factories.household(world.admin, world.grid_a2, number="A2-0002", colour="red")
    login(client, world.manager)
    for params in ({}, {"grid": world.grid_a2.pk}, {"_search": "乙户主"}, {"colour": "red"}):
        numbers = [row[0] for row in _rows(_export(client, params))]
        assert numbers == _page_numbers(client, params), params
    assert [r[0] for r in _rows(_export(client, {"grid": world.grid_a2.pk}))] == [
        "A2-0001",
        "A2-0002",
    ]


def test_a_grid_outside_the_jurisdiction_exports_nothing(client, world):
    login(client, world.caseworker1)
    assert _rows(_export(client, {"grid": world.grid_b1.pk})) == []


def test_identifiers_are_masked_as_on_the_page(client, world):
    login(client, world.caseworker1)
    (row,) = _rows(_export(client))
    head = world.h_a1.members.get(relationship="head")
    assert row[:3] == ("A1-0001", "甲户主", mask_document_number(head.document_number))
    assert head.document_number not in str(row)
    assert row[7:9] == (3, row[8])  # members / labour as two columns


def test_a_helper_exports_only_the_paired_households(client, world):
    login(client, world.helper)
    assert [row[0] for row in _rows(_export(client))] == ["A1-0001"]


def test_each_export_is_recorded_with_its_list_filters_and_rows(client, world):
    login(client, world.manager)
    _export(client, {"grid": world.grid_a1.pk, "_search": "甲"})
    event = AuditEvent.objects.get(action="registry.list_export")
    assert event.actor == world.manager
    changes = event.changes
    assert changes["list"][1] == "households"
    assert changes["filters"][1] == f"grid={world.grid_a1.pk}; search=甲"
    assert changes["rows"][1] == 1


def test_the_file_has_a_chinese_name(client, world):
    login(client, world.manager)
    response = _export(client)
    disposition = unquote(response["Content-Disposition"])
    assert "搬迁户名单-" in disposition and disposition.endswith(".xlsx")
    assert response["Cache-Control"] == "no-store"


def test_full_identifiers_only_with_the_right_and_only_for_the_grids_worked(client, world):
    login(client, world.caseworker1)
    assert client.post(reverse(EXPORT), {"unmasked": "1"}).status_code == 403
    assert client.get(reverse("registry:household:list_export_full")).status_code == 403
    login(client, world.admin)
    rows = _rows(client.post(reverse(EXPORT), {"unmasked": "1"}))
    shown = {row[0]: row[2] for row in rows}
    for household in (world.h_a1, world.h_b1):  # the superuser works every grid
        head = household.members.get(relationship="head")
        assert shown[household.number] == head.document_number
    assert AuditEvent.objects.filter(action="registry.list_export_unmasked").count() == 1


def test_a_manager_gets_full_numbers_of_the_managed_site_only(client, world):
    factories.household(world.admin, world.grid_b1, number="B1-0002")
    login(client, world.manager)
    rows = _rows(client.post(reverse(EXPORT), {"unmasked": "1"}))
    head = world.h_a1.members.get(relationship="head")
    assert {row[0] for row in rows} == {"A1-0001", "A2-0001"}  # site B is not the manager's
    assert {row[0]: row[2] for row in rows}["A1-0001"] == head.document_number


def _hidden_fields(text: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', text))


def test_the_confirmation_page_posts_the_current_filters(client, world):
    login(client, world.manager)
    params = {"colour": "red", "_search": "甲", "page": "2"}
    page = client.get(reverse("registry:household:list_export_full"), params)
    text = page.content.decode()
    assert page.status_code == 200
    assert f'method="POST" action="{reverse(EXPORT)}"' in text
    fields = _hidden_fields(text)
    assert fields.pop("csrfmiddlewaretoken")
    assert fields == {"_search": "甲", "colour": "red", "unmasked": "1"}  # not the page number


def test_a_get_only_asks_and_exports_nothing(client, world):
    """The menu's link: viewflow's menu fetches it with Turbo (twice for a file), and any site
    could put it in an <img>; neither may make a file or record an export."""
    login(client, world.manager)
    page = client.get(reverse(EXPORT), {"grid": world.grid_a1.pk, "_search": "甲"})
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in page
    assert not AuditEvent.objects.filter(action__startswith="registry.list_export").exists()
    text = page.content.decode()
    assert 'data-test="export-confirm"' in text
    fields = _hidden_fields(text)
    assert fields.pop("csrfmiddlewaretoken")
    assert fields == {"_search": "甲", "grid": str(world.grid_a1.pk)}
    # The form's fields export the list the page asked about.
    numbers = [row[0] for row in _rows(_export(client, fields))]
    assert numbers == _page_numbers(client, {"grid": world.grid_a1.pk, "_search": "甲"})
    assert AuditEvent.objects.filter(action="registry.list_export").count() == 1


def test_the_export_needs_the_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    login(client, world.manager)
    assert client.post(reverse(EXPORT)).status_code == 403
    assert not AuditEvent.objects.filter(action="registry.list_export").exists()


def test_someone_without_the_list_may_not_export(client, world):
    login(client, world.trainer)
    assert client.get(reverse(EXPORT)).status_code == 403
    assert _export(client).status_code == 403


def _export_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        _rows(_export(client))
    return len(queries)


@pytest.mark.parametrize("persona", ["caseworker1", "manager"])
def test_export_queries_do_not_grow_with_the_rows(client, world, persona):
    login(client, getattr(world, persona))
    for _ in range(9):
        factories.household(world.admin, world.grid_a1, members=1)
    _export_queries(client)  # warm process-wide caches
    at_10 = _export_queries(client)
    for _ in range(10):
        factories.household(world.admin, world.grid_a1, members=1)
    assert _export_queries(client) == at_10


def test_the_list_menu_offers_the_export_with_the_filters_and_the_ledgers(client, world):
    login(client, world.manager)
    text = client.get(reverse("registry:household:index"), {"colour": "red"}).content.decode()
    assert f'{reverse(EXPORT)}?colour=red"' in text
    assert reverse("registry:household:register_export") in text
    assert reverse("registry:household:ledger") in text
    login(client, world.caseworker1)
    text = client.get(reverse("registry:household:index")).content.decode()
    assert reverse(EXPORT) in text
    assert reverse("registry:household:list_export_full") not in text
    assert reverse("registry:household:register_export") not in text
