"""Downloads are named in Chinese (household number, title, day) and the name reaches the
browser intact as RFC 5987 ``filename*``."""

from datetime import date, datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.http import HttpResponse
from django.utils import timezone

from casework.common.downloads import as_attachment, download_name
from casework.reports.casefile.names import casefile_name
from tests.conftest import login


def _today() -> str:
    return timezone.localdate().strftime("%Y%m%d")


def _header_for(name: str) -> str:
    return "attachment; filename*=utf-8''" + quote(name)


def test_a_name_is_its_parts_and_the_day():
    assert download_name("户籍台账", extension="xlsx", when=date(2026, 11, 28)) == (
        "户籍台账-20261128.xlsx"
    )
    moment = datetime(2026, 11, 28, 9, 5, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert download_name("统计看板", extension="pdf", when=moment) == "统计看板-20261128-0905.pdf"


def test_unsafe_characters_and_spaces_do_not_reach_the_name():
    when = date(2026, 1, 2)
    name = download_name("安置点 A / 第一网格", 'a:b*"c', "", extension="zip", when=when)
    assert name == "安置点_A_第一网格-a_b_c-20260102.zip"


def test_the_case_file_is_named_by_household_number_title_and_day():
    assert casefile_name("6212260010017", date(2026, 11, 28)) == "6212260010017-户档案-20261128.pdf"


def test_a_chinese_name_is_sent_as_filename_star():
    response = as_attachment(HttpResponse(b"x"), "户档案-20261128.pdf")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E6%88%B7%E6%A1%A3%E6%A1%88-20261128.pdf"
    )
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_the_case_file_download_is_named_in_chinese(client, world):
    login(client, world.caseworker1)
    response = client.post(f"/registry/household/{world.h_a1.pk}/casefile/")
    assert response.status_code == 200
    expected = f"{world.h_a1.number}-户档案-{_today()}.pdf"
    assert response["Content-Disposition"] == _header_for(expected)


@pytest.mark.django_db
def test_the_ledgers_are_named_in_chinese(client, world):
    login(client, world.manager)
    employment = client.post("/registry/household/ledger/")
    assert employment["Content-Disposition"] == _header_for(f"就业台账-{_today()}.xlsx")
    register = client.post("/registry/household/ledger/register/")
    assert register["Content-Disposition"] == _header_for(f"户籍台账-{_today()}.xlsx")
    template = client.get("/registry/household/ledger/template/")
    assert template["Content-Disposition"] == _header_for("户籍台账模板.xlsx")


@pytest.mark.django_db
def test_the_dashboards_downloads_are_named_in_chinese(client, world):
    login(client, world.manager)
    pdf = client.post("/dashboard/pdf/")
    assert pdf["Content-Disposition"].startswith(_header_for(f"统计看板-{_today()}-"))
    xlsx = client.get("/dashboard/zero-employment.xlsx")
    assert xlsx["Content-Disposition"].startswith(_header_for(f"零就业家庭-{_today()}-"))
