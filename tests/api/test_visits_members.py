"""The API's reads and writes beside the pages (issue 22, acceptance 5): a helper records a visit
with a personal token and it shows on the household page and in its history, as the helper's; a
system client that may read personal data whole is recorded doing so, one that may not sees
masks; a system client's account is nobody's colleague."""

import datetime

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework import permissions
from casework.api.models import ApiCall
from casework.api.services import api_client_create, api_client_revoke, api_token_create
from casework.audit.models import AuditEvent
from casework.pairing.models import ServiceRequest, Visit
from casework.permissions.staff import grid_workers
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _throttle_counts_forgotten():
    caches["shared"].clear()


def _api(token: str) -> Client:
    return Client(headers={"authorization": f"Bearer {token}"})


def _visit(household_id: int, **extra) -> dict:
    return {
        "household": household_id, "date": timezone.localdate().isoformat(), "mode": "home",
        "thinking_stable": True, "policy_understood": True, "life_happy": False,
        "industry_developing": True, "problems_solved": True, "raised": "想找离家近的工作",
        **extra,
    }  # fmt: skip


def test_a_helper_records_a_visit_through_the_api_and_it_shows_on_the_household_page(world):
    _token_row, token = api_token_create(actor=world.helper, name="小程序", access="write")
    api = _api(token)
    assert {row["number"] for row in api.get("/api/v1/households/").json()["results"]} == {
        "A1-0001"
    }
    concern = {"matter": "申请公租房维修", "kind": "handle"}
    made = api.post(
        "/api/v1/visits/", _visit(world.h_a1.pk, request=concern), content_type="application/json"
    )
    assert made.status_code == 201, made.content
    visit = Visit.objects.get(pk=made.json()["id"])
    assert (visit.visitor, visit.life_happy, visit.raised) == (
        world.helper,
        False,
        "想找离家近的工作",
    )
    assert ServiceRequest.objects.get().first_contact == world.helper

    # Audited as the helper's (the token's account), not as the system's.
    event = AuditEvent.objects.get(action="visit.create")
    assert event.actor_id == world.helper.pk and event.household_id == world.h_a1.pk

    browser = Client()
    browser.force_login(world.caseworker1)
    page = browser.get(reverse("registry:household:detail", args=[world.h_a1.pk])).content.decode()
    assert "最近走访" in page and "想找离家近的工作" in page and "helper" in page
    history = browser.get(reverse("registry:household:history", args=[world.h_a1.pk]))
    assert "登记走访" in history.content.decode()

    # The helper's token reaches the helper's one household only.
    other = api.post("/api/v1/visits/", _visit(world.h_a2.pk), content_type="application/json")
    assert other.status_code == 400
    assert other.json()["errors"][0]["field"] == "household"


def test_a_visit_missing_a_point_or_dated_ahead_is_refused_with_chinese_errors(world):
    _row, token = api_token_create(actor=world.helper, name="脚本", access="write")
    api = _api(token)
    data = _visit(world.h_a1.pk)
    del data["life_happy"]
    missing = api.post("/api/v1/visits/", data, content_type="application/json")
    assert missing.status_code == 400
    assert missing.json()["errors"] == [
        {"code": "required", "message": "该字段是必填项。", "field": "life_happy"}
    ]
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    ahead = api.post(
        "/api/v1/visits/", _visit(world.h_a1.pk, date=tomorrow), content_type="application/json"
    )
    assert ahead.status_code == 400
    assert ahead.json()["errors"] == [
        {"code": "invalid", "message": "不能登记未来日期的走访。", "field": "date"}
    ]
    nested = api.post(
        "/api/v1/visits/", _visit(world.h_a1.pk, request={"kind": "handle"}),
        content_type="application/json",
    )  # fmt: skip
    assert nested.status_code == 400
    assert nested.json()["errors"][0]["field"] == "request.matter"
    assert not Visit.objects.exists()


def test_an_unmasked_read_is_recorded_and_a_client_without_the_right_sees_masks(world):
    head = world.h_a1.members.get(relationship="head")
    _c, plain = api_client_create(
        actor=world.admin, name="数据共享", site=world.site_a, access="read"
    )
    _c, whole = api_client_create(
        actor=world.admin, name="防返贫监测", site=world.site_a, access="read", personal_data=True
    )
    url = f"/api/v1/households/{world.h_a1.pk}/members/"

    masked = _api(plain).get(url)
    assert masked.status_code == 200
    row = next(r for r in masked.json() if r["id"] == head.pk)
    assert row["document_number"] != head.document_number and "*" in row["document_number"]
    refused = _api(plain).get(url + "?unmasked=true")
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["message"] == "该调用方无权读取完整个人信息。"
    assert not AuditEvent.objects.filter(action="personal_data.view").exists()

    shown = _api(whole).get(url + "?unmasked=true")
    assert shown.status_code == 200
    row = next(r for r in shown.json() if r["id"] == head.pk)
    assert row["document_number"] == head.document_number
    event = AuditEvent.objects.get(action="personal_data.view")
    assert event.household_id == world.h_a1.pk and event.actor.username.startswith("api-")
    # Without asking, the client with the right still reads masks.
    listing = _api(whole).get(f"/api/v1/members/?household={world.h_a1.pk}").json()["results"]
    assert all(r["document_number"] != head.document_number for r in listing)


def test_a_system_client_is_nobodys_colleague_and_its_refused_calls_are_logged(world):
    client, token = api_client_create(
        actor=world.admin, name="人社就业平台", site=world.site_a, access="write"
    )
    account = client.user
    # No object grant: not among the grid's workers, the site's managers, anyone's assignees.
    assert account.pk not in set(grid_workers(world.grid_a1).values_list("pk", flat=True))
    assert not permissions.sites_managed_by(account).exists()
    api = _api(token)
    assert api.get(f"/api/v1/households/{world.h_a2.pk}/").status_code == 200
    assert api.get("/api/v1/nowhere/").json()["errors"][0]["code"] == "not_found"
    api_client_revoke(actor=world.admin, client=client)
    account.refresh_from_db()
    assert not account.is_active
    assert api.get("/api/v1/households/").status_code == 401
    calls = list(ApiCall.objects.filter(client=client).values_list("status", flat=True))
    assert sorted(calls) == [200, 401]


def test_a_call_that_fails_inside_is_answered_json_500_and_logged(world, monkeypatch):
    from casework.api import views

    client, token = api_client_create(
        actor=world.admin, name="交换平台", site=world.site_a, access="read"
    )

    def broken(self):
        raise RuntimeError("a fault in the view")

    monkeypatch.setattr(views.HouseholdViewSet, "get_queryset", broken)
    api = Client(headers={"authorization": f"Bearer {token}"}, raise_request_exception=False)
    response = api.get("/api/v1/households/")
    assert response.status_code == 500
    assert response.json()["errors"][0] == {
        "code": "server_error", "message": "服务器出错，已记入日志。", "field": None,
    }  # fmt: skip
    assert list(ApiCall.objects.filter(client=client).values_list("status", flat=True)) == [500]


def test_an_id_number_in_an_api_address_is_refused_in_json_not_redirected(world):
    _c, token = api_client_create(
        actor=world.admin, name="交换平台", site=world.site_a, access="read"
    )
    head = world.h_a1.members.get(relationship="head")
    response = _api(token).get(f"/api/v1/members/?q={head.document_number}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "identifier_in_query"
    assert response.json()["errors"][0]["message"].startswith("身份证号和电话号码不能放在地址中")


def test_health_is_given_with_the_whole_numbers_only(world):
    _c, plain = api_client_create(actor=world.admin, name="甲", site=world.site_a, access="read")
    _c, whole = api_client_create(
        actor=world.admin, name="乙", site=world.site_a, access="read", personal_data=True
    )
    url = f"/api/v1/households/{world.h_a1.pk}/members/"
    assert {row["health"] for row in _api(plain).get(url).json()} == {None}
    assert None not in {row["health"] for row in _api(whole).get(url + "?unmasked=1").json()}


def test_a_browser_session_never_unmasks_through_an_address(client, world):
    """A link followed in a signed-in browser must not show whole numbers nor record a view in
    its user's name: the household page reveals by a form; the API unmasks for tokens only."""
    client.force_login(world.caseworker1)
    url = f"/api/v1/households/{world.h_a1.pk}/members/?unmasked=true"
    refused = client.get(url)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["message"] == "完整个人信息只能用令牌读取。"
    assert not AuditEvent.objects.filter(action="personal_data.view").exists()
    assert client.get(url.split("?")[0])["Cache-Control"] == "no-store"


def test_an_id_too_large_for_the_database_is_a_400_not_a_500(world):
    _c, token = api_client_create(actor=world.admin, name="甲", site=world.site_a, access="read")
    for url in ("/api/v1/households/?site=99999999999999999999999",
                "/api/v1/members/?household=99999999999999999999999"):  # fmt: skip
        response = _api(token).get(url)
        assert response.status_code == 400, (url, response.content)
        assert response.json()["errors"][0]["field"] in ("site", "household")


def test_the_call_log_keeps_the_route_not_the_address(world):
    """A national ID put where an id belongs is logged as the route, never as itself; one ending
    in X matches no route at all and leaves no row (numbers come from a shared sequence, so both
    kinds are made here rather than left to the order the tests run in)."""
    client, token = api_client_create(
        actor=world.admin, name="甲", site=world.site_a, access="read"
    )
    numbers = iter(factories.resident_id, None)
    digits = next(n for n in numbers if n.isdigit())
    ending_x = next(n for n in numbers if n.endswith("X"))
    for number in (digits, ending_x):
        assert _api(token).get(f"/api/v1/households/{number}/").status_code == 404
    paths = set(ApiCall.objects.filter(client=client).values_list("path", flat=True))
    assert paths == {"/api/v1/households/<int:pk>/"}


def test_a_moment_outside_utc_is_a_400_not_a_500(world):
    _c, token = api_client_create(actor=world.admin, name="甲", site=world.site_a, access="read")
    response = _api(token).get("/api/v1/households/?updated_since=9999-12-31T23:59:59-23:59")
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "code": "invalid", "message": "该时间超出可表示的范围。", "field": "updated_since",
    }  # fmt: skip


def test_a_moment_with_a_large_utc_offset_is_read_in_utc(world):
    _c, token = api_client_create(actor=world.admin, name="甲", site=world.site_a, access="read")
    for offset in ("%2B18:17", "-18:14", "%2B23:59"):  # valid ISO 8601, beyond PostgreSQL's ±16
        response = _api(token).get(f"/api/v1/households/?updated_since=2024-01-01T00:00:00{offset}")
        assert response.status_code == 200, (offset, response.content)
        assert len(response.json()["results"]) == 2  # site A's, all changed since 2024
