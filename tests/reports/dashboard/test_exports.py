"""The dashboard's PDF and its zero-employment Excel: what they hold, and that each is recorded."""

import io
import re
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from casework.audit.models import AuditEvent
from tests.reports.dashboard.world import PDF_URL, XLSX_URL, expected_figures

pytestmark = pytest.mark.django_db


# Exports.


def pdftotext(content: bytes, tmp_path: Path) -> str:
    source = tmp_path / "dashboard.pdf"
    source.write_bytes(content)
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(source), "-"],
                            check=True, capture_output=True, text=True)  # fmt: skip
    return re.sub(r"\s+", "", result.stdout)


def test_the_pdf_holds_the_figures_and_is_recorded(client, world, varied, tmp_path):
    client.force_login(world.manager)
    response = client.post(PDF_URL)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith(
        "attachment; filename*=utf-8''%E7%BB%9F%E8%AE%A1%E7%9C%8B%E6%9D%BF-"  # 统计看板-
    )
    text = pdftotext(response.content, tmp_path)
    for figure in ["5/10(50.0%)", "3/10(30.0%)", "3/5(60.0%)", "1/2(50.0%)", "1/5(20.0%)"]:
        assert figure in text
    assert varied.lost_job.number in text and "己户主" in text and "庚户主" in text
    assert "丙户主" not in text and "B1-0001" not in text
    (event,) = AuditEvent.objects.filter(action="dashboard.pdf")
    assert event.actor == world.manager and event.changes == {"sites": [None, ["A"]]}


def test_the_excel_lists_every_zero_employment_household_and_is_recorded(client, world, varied):
    client.force_login(world.manager)
    response = client.get(XLSX_URL)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    expected = expected_figures(world.site_a, world.manager)["zero_rows"]
    assert sorted(rows[1:]) == expected
    (event,) = AuditEvent.objects.filter(action="dashboard.zero_employment_export")
    assert event.changes == {"sites": [None, ["A"]], "households": [None, 2]}
