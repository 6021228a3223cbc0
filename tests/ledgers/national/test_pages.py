"""The national table through the pages, in Chinese: upload, the households waiting for a grid,
placing one, the differences of a second upload applied by the manager, and the export."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from casework.ledgers.models import LedgerImport, UnassignedHousehold
from casework.ledgers.services import ledger_imports_run
from casework.registry.models import Household, Member
from tests.ledgers.national.tables import HEADERS, book, households, read_back, rows

pytestmark = pytest.mark.django_db


def _upload(client, table_rows) -> LedgerImport:
    content = book(table_rows)
    content.name = "已脱贫人口名单.xlsx"
    response = client.post(
        reverse("registry:household:ledger_import"), {"file": content, "layout": "national"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ledger_imports_run() == 1
    return LedgerImport.objects.order_by("-pk").first()


def test_a_manager_imports_places_compares_applies_and_exports_through_the_pages(client, world):
    client.force_login(world.manager)
    upload_page = client.get(reverse("registry:household:ledger_import")).content.decode()
    assert "国家系统表无需安置点和网格列" in upload_page
    table = rows()
    job = _upload(client, table)
    status = client.get(reverse("registry:household:ledger_import_status", args=[job.pk]))
    text = status.content.decode()
    assert "已导入 2 户" in text and "3 户未写安置点或网格" in text, text

    waiting = client.get(reverse("registry:household:national_waiting")).content.decode()
    assert "等待分配网格的户" in waiting and waiting.count('data-test="place"') == 3
    assert "赵满仓" in waiting
    item = "62122610120100033"
    pk = UnassignedHousehold.objects.get(number=item).pk
    placed = client.post(
        reverse("registry:household:national_place", args=[pk]), {"grid": world.grid_a2.pk}
    )
    assert placed.status_code == 302
    assert Household.objects.get(number=item).grid == world.grid_a2
    after = client.get(reverse("registry:household:national_waiting")).content.decode()
    assert after.count('data-test="place"') == 2 and "已登记到" in after

    changed = [list(row) for row in table]
    changed[0][HEADERS.index("人联系电话")] = "13700001111"
    job = _upload(client, changed)
    assert job.status == LedgerImport.Status.DIFFERS
    page = client.get(reverse("registry:household:ledger_import_status", args=[job.pk]))
    text = page.content.decode()
    assert "与系统不同" in text and "137****1111" in text and "13700001111" not in text
    assert Member.objects.get(name="张国庆").phone != "13700001111"
    applied = client.post(reverse("registry:household:national_apply", args=[job.pk]))
    assert applied.status_code == 302
    assert Member.objects.get(name="张国庆").phone == "13700001111"
    assert "已应用 1" in client.get(applied.url).content.decode()

    export_page = client.get(reverse("registry:household:national_export")).content.decode()
    assert "基础表" in export_page and 'data-test="unmasked"' in export_page
    response = client.post(
        reverse("registry:household:national_export"), {"layout": "base", "unmasked": "1"}
    )
    assert response.status_code == 200
    exported = read_back(io.BytesIO(b"".join(response.streaming_content)))
    numbers = [row[HEADERS.index("户编号")] for row in exported]
    assert numbers.count("62122610120100011") == 4
    first = next(row for row in exported if row[HEADERS.index("姓名")] == "张国庆")
    assert first[HEADERS.index("人联系电话")] == "13700001111"
    assert first[HEADERS.index("证件号码")] == table[0][HEADERS.index("证件号码")]


def test_a_caseworker_sees_neither_the_queue_nor_full_numbers(client, world):
    client.force_login(world.caseworker1)
    assert client.get(reverse("registry:household:national_waiting")).status_code == 403
    page = client.get(reverse("registry:household:national_export")).content.decode()
    assert 'data-test="unmasked"' not in page and "脱敏" in page
    refused = client.post(
        reverse("registry:household:national_export"), {"layout": "base", "unmasked": "1"}
    )
    assert refused.status_code == 403


def test_the_full_field_layout_downloads(client, world):
    client.force_login(world.manager)
    _upload(client, rows(households()[:1]))
    response = client.post(reverse("registry:household:national_export"), {"layout": "full"})
    sheet = b"".join(response.streaming_content)
    values = list(load_workbook(io.BytesIO(sheet), read_only=True).worksheets[0].values)
    assert len(values[0]) == 49 and values[0][6] == "人口编号"
    head = next(row for row in values[1:] if row[7] == "张国庆")
    assert head[6] == "6212261012010001101" and "*" in head[11]  # masked without the right asked
