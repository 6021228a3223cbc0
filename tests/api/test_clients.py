"""The API for systems (issue 22, acceptances 1 and 3): the OpenAPI 3 schema is valid; a system
client scoped to site A reads site A's households, gets 404 for site B's, 403 on a write with a
read-only token, 401 once revoked, 429 past its calls a minute; each of its calls is logged."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from drf_spectacular.validation import validate_schema

from casework.api.models import ApiCall
from casework.api.services import api_client_create, api_client_revoke
from casework.audit.models import AuditEvent
from casework.policy.models import Parameter

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _throttle_counts_forgotten():
    cache.clear()


def _api(token: str) -> Client:
    return Client(headers={"authorization": f"Bearer {token}"})


def test_the_schema_is_a_valid_openapi_3_document(client, world):
    client.force_login(world.manager)
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/households/" in schema["paths"]
    assert schema["info"]["title"] == "易地扶贫搬迁后续扶持就业帮扶系统接口"
    # The token is described as a Bearer scheme; nobody unsigned reads the schema or its page.
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"} in schemes.values()
    assert Client().get("/api/v1/schema/").status_code in (401, 403)
    assert Client().get("/api/v1/docs/").status_code in (401, 403)


def test_a_system_client_of_site_a_reads_site_a_only_and_is_held_to_its_token(world):
    client, token = api_client_create(
        actor=world.admin, name="人社就业平台", site=world.site_a, access="read"
    )
    assert token.startswith(client.token_prefix) and client.token_hash != token
    api = _api(token)

    listing = api.get("/api/v1/households/")
    assert listing.status_code == 200, listing.content
    numbers = {row["number"] for row in listing.json()["results"]}
    assert numbers == {"A1-0001", "A2-0001"}  # site A's households, not B1-0001
    assert all("*" in row["phone"] or not row["phone"] for row in listing.json()["results"])
    assert api.get(f"/api/v1/households/{world.h_a1.pk}/").status_code == 200

    outside = api.get(f"/api/v1/households/{world.h_b1.pk}/")
    assert outside.status_code == 404
    assert outside.json()["errors"][0]["code"] == "not_found"

    write = api.post("/api/v1/households/", {}, content_type="application/json")
    assert write.status_code == 403
    assert write.json()["errors"][0]["message"] == "该令牌只能读取。"

    # Every call of the system client is logged; the path holds ids only.
    calls = list(ApiCall.objects.filter(client=client).values_list("method", "status"))
    assert calls.count(("GET", 200)) == 2 and ("GET", 404) in calls and ("POST", 403) in calls

    api_client_revoke(actor=world.admin, client=client)
    revoked = api.get("/api/v1/households/")
    assert revoked.status_code == 401
    assert revoked.json()["errors"][0]["message"] == "该令牌已被撤销。"
    assert AuditEvent.objects.filter(action__startswith="api_client.").count() == 2


def test_a_client_past_its_calls_a_minute_is_answered_429_in_chinese(world):
    Parameter.objects.create(
        key="api.requests_per_minute", value=3, valid_from=datetime.date(2020, 1, 1)
    )
    _client, token = api_client_create(
        actor=world.admin, name="小程序", site=world.site_a, access="read"
    )
    api = _api(token)
    assert [api.get("/api/v1/households/").status_code for _ in range(3)] == [200] * 3
    limited = api.get("/api/v1/households/")
    assert limited.status_code == 429
    assert limited.json()["errors"][0]["message"].startswith("请求已被限流")


def test_no_token_and_a_wrong_token_are_refused(world):
    assert Client().get("/api/v1/households/").status_code in (401, 403)
    wrong = _api("not-a-token").get("/api/v1/households/")
    assert wrong.status_code == 401 and wrong.json()["errors"][0]["message"] == "令牌无效。"
