"""Writes through the API go through the pages' services: a household registered with its
members (all or nothing, each bad field named by its path), a ledger imported in the
background with a status address to poll."""

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from casework.api.services import api_client_create, api_token_create
from casework.audit.models import AuditEvent
from casework.ledgers.models import LedgerImport
from casework.ledgers.services import ledger_imports_run
from casework.monitoring.models import MonthlyWorkRecord
from casework.monitoring.selectors import month_before, month_of, work_month_roster
from casework.registry.models import Household
from tests import factories
from tests.ledgers.household.books import book, clean_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _throttle_counts_forgotten():
    caches["shared"].clear()


def _api(token: str) -> Client:
    return Client(headers={"authorization": f"Bearer {token}"})


def _member(**overrides) -> dict:
    data = factories.member_data(**overrides)
    return {key: value for key, value in data.items() if key != "relationship"} | (
        {"relationship": overrides["relationship"]} if "relationship" in overrides else {}
    )


def _household(world, **overrides) -> dict:
    return {
        "number": "A1-0100", "grid": world.grid_a1.pk, "building": "3", "unit": "1",
        "room": "502", "household_type": "lifted", "colour": "green",
        "head": _member(name="赵户主", birth_date="1980-05-01", sex="M"),
        "members": [_member(name="赵儿子", birth_date="2004-03-02", sex="M", relationship="son")],
        **overrides,
    }  # fmt: skip


def test_a_system_client_registers_a_household_of_its_site_through_the_service(world):
    client, token = api_client_create(
        actor=world.admin, name="人社就业平台", site=world.site_a, access="write"
    )
    made = _api(token).post(
        "/api/v1/households/", _household(world), content_type="application/json"
    )
    assert made.status_code == 201, made.content.decode()
    household = Household.objects.get(number="A1-0100")
    assert made.json()["id"] == household.pk
    assert set(household.members.values_list("name", flat=True)) == {"赵户主", "赵儿子"}
    event = AuditEvent.objects.get(action="household.register", household_id=household.pk)
    assert event.actor_id == client.user_id  # recorded as the client's account
    # Site B's grid is not the client's to register into.
    elsewhere = _api(token).post(
        "/api/v1/households/", _household(world, number="B1-0100", grid=world.grid_b1.pk),
        content_type="application/json",
    )  # fmt: skip
    assert elsewhere.status_code == 400
    assert elsewhere.json()["errors"][0]["field"] == "grid"


def test_a_bad_row_refuses_the_whole_household_and_names_its_field(world):
    _row, token = api_token_create(actor=world.caseworker1, name="脚本", access="write")
    bad = _household(
        world,
        members=[
            _member(name="赵儿子", birth_date="2004-03-02", sex="M", relationship="son",
                    document_number="621226200403020000"),
        ],
    )  # fmt: skip
    refused = _api(token).post("/api/v1/households/", bad, content_type="application/json")
    assert refused.status_code == 400
    errors = refused.json()["errors"]
    assert errors[0]["field"] == "members[0].document_number", errors
    assert "第1行（赵儿子）" in errors[0]["message"]
    assert not Household.objects.filter(number="A1-0100").exists()


def test_a_manager_imports_a_ledger_and_polls_its_status(world):
    _row, token = api_token_create(actor=world.manager, name="台账脚本", access="write")
    api = _api(token)
    workbook = book(clean_rows())
    workbook.name = "台账.xlsx"
    sent = api.post("/api/v1/ledger-imports/", {"file": workbook, "dry_run": "false"})
    assert sent.status_code == 202, sent.content.decode()
    status_url = sent["Location"]
    assert status_url.endswith(f"/api/v1/ledger-imports/{sent.json()['id']}/")
    assert sent.json()["finished"] is False
    ledger_imports_run()  # the background worker
    polled = api.get(status_url).json()
    job = LedgerImport.objects.get()
    assert polled["status"] == job.status == LedgerImport.Status.DONE, polled
    assert polled["finished"] is True and polled["households_created"] == job.households_created > 0
    # Nobody else's import exists for another caller.
    _row, other = api_token_create(actor=world.caseworker1, name="脚本", access="write")
    assert _api(other).get(status_url).status_code == 404
    not_a_book = api.post("/api/v1/ledger-imports/", {"file": SimpleUploadedFile("a.xls", b"x")})
    assert not_a_book.status_code == 400
    assert not_a_book.json()["errors"][0]["field"] == "file"


def test_a_grids_month_of_work_is_entered_whole_or_refused_by_line(world):
    month = month_before(month_of(timezone.localdate()))
    members = [row.member for row in work_month_roster(world.grid_a1, month)]
    assert members
    _c, token = api_client_create(
        actor=world.admin, name="人社平台", site=world.site_a, access="write"
    )
    api = _api(token)
    good = {"member": members[0].pk, "working": False, "not_working_reason": "care"}
    bad = {
        "member": members[-1].pk, "working": True, "location_class": "county",
        "channel": "workshop", "employer_name": "社区工厂", "monthly_income": "50000",
        "days_worked": 20,
    }  # fmt: skip
    body = {"grid": world.grid_a1.pk, "month": month.isoformat(), "entries": [good, bad]}
    if len(members) == 1:
        body["entries"] = [bad]
    refused = api.post("/api/v1/work-months/", body, content_type="application/json")
    assert refused.status_code == 400
    error = refused.json()["errors"][0]
    assert error["field"] == f"entries[{len(body['entries']) - 1}]"
    assert "月收入应在 100 至 30000 元之间" in error["message"]
    assert not MonthlyWorkRecord.objects.exists()

    body["entries"] = [good]
    stored = api.post("/api/v1/work-months/", body, content_type="application/json")
    assert stored.status_code == 201 and stored.json() == {"written": 1}
    record = MonthlyWorkRecord.objects.get()
    assert (record.member, record.recorded_by_id) == (members[0], _c.user_id)
    # Site B's grid is not the client's.
    body["grid"] = world.grid_b1.pk
    assert (
        api.post("/api/v1/work-months/", body, content_type="application/json").status_code == 400
    )


def test_a_household_of_more_rows_than_the_page_takes_is_refused(world):
    _c, token = api_client_create(actor=world.admin, name="甲", site=world.site_a, access="write")
    rows = [
        _member(name=f"成员{n}", birth_date="2004-03-02", sex="M", relationship="son")
        for n in range(31)
    ]
    refused = _api(token).post(
        "/api/v1/households/", _household(world, members=rows), content_type="application/json"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "members"
