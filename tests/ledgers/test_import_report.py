"""A rejected import's report downloads as a workbook of the uploaded rows with a 原因 column:
the caseworker corrects the bad rows in Excel and the corrected file imports. Reasons are
masked as the value column is, and the download is recorded."""

import io
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from casework.audit.models import AuditEvent
from casework.common.jobs import private_storage
from casework.ledgers.household.report_book import REASON_TITLE
from casework.ledgers.models import LedgerImport
from casework.ledgers.services import ledger_import_reports_expire, ledger_imports_run
from casework.registry.models import Household
from casework.registry.validators import mask_phone
from tests.ledgers.household.books import HEADER, book, id_number, messy_rows, row

pytestmark = pytest.mark.django_db
BAD_PHONE = "10012345678"  # 11 digits, not a mobile number


def _upload(client, user, content, name="台账.xlsx"):
    client.force_login(user)
    content.name = name
    client.post(reverse("registry:household:ledger_import"), {"file": content})
    ledger_imports_run()
    return LedgerImport.objects.filter(requested_by=user).first()


def _report(client, job):
    response = client.post(reverse("registry:household:ledger_import_report", args=[job.pk]))
    assert response.status_code == 200, response.status_code
    return response, b"".join(response.streaming_content)


def _rows_with_phone():
    rows = messy_rows()
    rows.append(row("N-009", "冯六", id_number("19940606", "131"), "户主", phone=BAD_PHONE))
    return rows


def test_the_report_holds_every_uploaded_row_with_the_reasons_of_the_bad_ones(client, world):
    job = _upload(client, world.manager, book(_rows_with_phone()))
    assert job.status == LedgerImport.Status.REJECTED and job.report_file
    response, content = _report(client, job)
    assert "台账-导入错误-" in unquote(response["Content-Disposition"])
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [*HEADER, REASON_TITLE]
    assert len(rows) - 1 == len(_rows_with_phone())
    reasons = {number: values[-1] for number, values in enumerate(rows[1:], start=2)}
    bad = {number for number, reason in reasons.items() if reason}
    assert bad == {p["row"] for p in job.report["errors"] if p["row"]}
    assert {8, 9, 11, 13, 14, 15} <= bad and not bad & {2, 3, 4, 5, 6, 7}
    assert "证件号码" in reasons[8]  # each reason names its column
    # the values are the uploaded ones, so that the corrected file imports
    assert rows[1][HEADER.index("证件号码")] == id_number("19800101", "011")


def test_a_reason_quoting_a_number_masks_it_as_the_value_column_does(client, world):
    job = _upload(client, world.manager, book(_rows_with_phone()))
    (problem,) = [p for p in job.report["errors"] if p["row"] == 15]
    assert problem["value"] == mask_phone(BAD_PHONE)
    assert BAD_PHONE not in problem["reason"] and mask_phone(BAD_PHONE) in problem["reason"]
    _response, content = _report(client, job)
    sheet = load_workbook(io.BytesIO(content)).active
    assert BAD_PHONE not in list(sheet.iter_rows(values_only=True))[14][-1]
    page = client.get(reverse("registry:household:ledger_import_status", args=[job.pk]))
    assert BAD_PHONE not in page.content.decode()


def test_a_corrected_report_imports(client, world):
    job = _upload(client, world.manager, book(messy_rows()))
    _response, content = _report(client, job)
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    column = {title: index + 1 for index, title in enumerate(HEADER)}
    fixes = {
        8: {"证件号码": id_number("19900101", "081")},
        9: {"证件号码": id_number("19910202", "091")},
        11: {"证件号码": id_number("19890909", "072"), "姓名": "周小三"},
        13: {"与户主关系": "配偶"},
        14: {"姓名": "王八"},
    }
    for number, cells in fixes.items():
        for title, value in cells.items():
            sheet.cell(row=number, column=column[title], value=value)
    fixed = io.BytesIO()
    workbook.save(fixed)
    fixed.seek(0)
    again = _upload(client, world.manager, fixed, name="台账-改.xlsx")
    assert again.pk != job.pk
    assert again.status == LedgerImport.Status.DONE, again.report["errors"]
    assert Household.objects.filter(number__startswith="N-").count() == 8
    assert not again.report_file


def test_the_download_is_recorded_and_only_the_uploader_gets_it(client, world):
    job = _upload(client, world.manager, book(messy_rows()))
    page = client.get(reverse("registry:household:ledger_import_status", args=[job.pk]))
    url = reverse("registry:household:ledger_import_report", args=[job.pk])
    assert url in page.content.decode()
    _report(client, job)
    event = AuditEvent.objects.get(action="ledger.import_report_download")
    assert event.actor == world.manager and event.object_id == str(job.pk)
    client.force_login(world.admin)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    client.force_login(world.caseworker1)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403


def test_a_get_of_the_report_only_asks(client, world):
    """The report holds full ID numbers: a link (or a cross-site <img>) never downloads it; the
    page it opens POSTs, and the status page's button POSTs too."""
    job = _upload(client, world.manager, book(messy_rows()))
    url = reverse("registry:household:ledger_import_report", args=[job.pk])
    status = client.get(reverse("registry:household:ledger_import_status", args=[job.pk]))
    assert f'method="POST" action="{url}"' in status.content.decode()
    page = client.get(url)
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in page
    assert f'method="POST" action="{url}"' in page.content.decode()
    assert not AuditEvent.objects.filter(action="ledger.import_report_download").exists()


def test_the_reasons_wrap_on_the_page(client, world):
    job = _upload(client, world.manager, book(messy_rows()))
    page = client.get(reverse("registry:household:ledger_import_status", args=[job.pk]))
    assert 'class="vf-list__table ledger-report" data-test="errors"' in page.content.decode()
    css = (Path(__file__).parents[2] / "static/casework/casework.css").read_text()
    assert ".vf-list__table.ledger-report tbody td" in css


def test_report_workbooks_past_retention_are_deleted(client, world, settings):
    job = _upload(client, world.manager, book(messy_rows()))
    name = job.report_file
    assert private_storage().exists(name)
    settings.CASEFILE_ZIP_RETENTION_DAYS = -1
    assert ledger_import_reports_expire() == 1
    job.refresh_from_db()
    assert job.report_file == "" and not private_storage().exists(name)
    assert AuditEvent.objects.filter(action="ledger.import_report_expired").count() == 1
