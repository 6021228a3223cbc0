"""The ledger pages: a manager uploads a ledger, the scheduler's worker checks and imports it,
and the page shows the progress and the report; others may not."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from casework.audit.models import AuditEvent
from casework.common.jobs import private_storage
from casework.ledgers.household.template import NOTES_TITLE, SHEET_TITLE
from casework.ledgers.models import LedgerImport
from casework.ledgers.services import ledger_imports_run
from casework.registry.models import Household
from tests.ledgers.household.books import book, clean_rows, messy_rows

pytestmark = pytest.mark.django_db


def _upload(client, user, rows, dry_run=False):
    client.force_login(user)
    content = book(rows)
    content.name = "台账.xlsx"
    data = {"file": content}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("registry:household:ledger_import"), data)


def test_a_manager_uploads_a_clean_ledger_and_the_worker_imports_it(client, world):
    response = _upload(client, world.manager, clean_rows())
    job = LedgerImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("registry:household:ledger_import_status", args=[job.pk])
    page = client.get(response.url)
    assert "排队" in page.content.decode() or "queued" in page.content.decode()
    stored = job.upload_name
    assert stored and private_storage().exists(stored)
    assert ledger_imports_run() == 1
    job.refresh_from_db()
    assert job.status == LedgerImport.Status.DONE
    assert (job.households_created, job.members_created) == (3, 6)
    assert not private_storage().exists(stored)  # the uploaded file is not kept
    assert job.upload_name == "" and job.attempts == 1
    assert Household.objects.filter(number__startswith="N-").count() == 3
    text = client.get(response.url).content.decode()
    assert "已导入 3 户" in text


def test_a_messy_ledger_is_rejected_with_every_bad_row_on_the_page(client, world):
    before = Household.objects.count()
    _upload(client, world.manager, messy_rows())
    ledger_imports_run()
    job = LedgerImport.objects.get()
    assert job.status == LedgerImport.Status.REJECTED
    assert Household.objects.count() == before
    text = client.get(reverse("registry:household:ledger_import_status", args=[job.pk])).content
    text = text.decode()
    assert "没有导入任何数据" in text
    for row in ("8", "9", "11", "13", "14"):
        assert f'<td class="vf-list__table-cell">{row}</td>' in text


def test_check_only_imports_nothing(client, world):
    _upload(client, world.manager, clean_rows(), dry_run=True)
    ledger_imports_run()
    job = LedgerImport.objects.get()
    assert job.status == LedgerImport.Status.CHECKED
    assert not Household.objects.filter(number__startswith="N-").exists()


def test_only_managers_may_import_and_only_their_own_imports_are_shown(client, world):
    for user in (world.caseworker1, world.helper, world.trainer):
        client.force_login(user)
        assert client.get(reverse("registry:household:ledger_import")).status_code == 403
        assert client.get(reverse("registry:household:ledger_template")).status_code == 403
    _upload(client, world.manager, clean_rows())
    job = LedgerImport.objects.get()
    other = type(world.manager).objects.create_user("manager2")
    other.groups.add(*world.manager.groups.all())
    from casework.registry import services

    services.jurisdiction_grant_site(actor=world.admin, user=other, site=world.site_b)
    client.force_login(other)
    url = reverse("registry:household:ledger_import_status", args=[job.pk])
    assert client.get(url).status_code == 404


def test_the_template_and_the_household_ledger_downloads(client, world):
    client.force_login(world.manager)
    response = client.get(reverse("registry:household:ledger_template"))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [SHEET_TITLE, NOTES_TITLE]
    assert workbook[SHEET_TITLE].max_row == 1  # headers only
    response = client.post(reverse("registry:household:register_export"))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    rows = list(load_workbook(io.BytesIO(response.content))[SHEET_TITLE].values)
    numbers = {row[rows[0].index("户编号")] for row in rows[1:]}
    assert numbers == {"A1-0001", "A2-0001"}  # site A only
    assert AuditEvent.objects.filter(action="ledger.export_unmasked", actor=world.manager).exists()
    client.force_login(world.caseworker1)  # no right to full ID numbers
    assert client.post(reverse("registry:household:register_export")).status_code == 403
