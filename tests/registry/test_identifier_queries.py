"""ID and phone numbers stay out of URLs: a query string holding one is redirected (303) to the
lookup by POST before anything logs it, and the lookup finds households by either number
within the user's jurisdiction."""

import logging
import sys

import pytest
from django.urls import reverse

from casework.common.identifiers import RedactIdentifiersFilter
from tests.conftest import login

LOOKUP = "/registry/household/lookup/"
LIST = "/registry/household/"
MOBILE = "13987654321"


def _refused(response) -> bool:
    return response.status_code == 303 and response["Location"] == LOOKUP


def _nothing_logged(caplog, value: str) -> None:
    for record in caplog.records:
        assert value not in record.getMessage()
        assert value not in str(record.__dict__)


def test_an_id_number_in_the_list_search_is_redirected_to_the_lookup_and_never_logged(
    client, world, caplog
):
    caplog.set_level(logging.DEBUG)  # every logger, every level
    login(client, world.caseworker1)
    number = world.h_a1.members.first().document_number

    response = client.get(LIST, {"_search": number})

    assert _refused(response)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "身份证号和手机号只能在本页查询" in page.content.decode()
    _nothing_logged(caplog, number)
    _nothing_logged(caplog, number[:6] + number[6:14])


@pytest.mark.parametrize(
    "query",
    [
        "page=2&colour=green&q=620102199001011234",  # any parameter, not only _search
        "_search=%EF%BC%96%EF%BC%92%EF%BC%90102199001011234",  # full-width, percent-encoded
        "_search=620102+19900101+123x",  # spaces and a lower-case x
        "_search=620102750607031",  # a 15-digit number
        f"_search={MOBILE}",
        "_search=139-8765-4321",
        f"next=/registry/household/%3F_search%3D{MOBILE}",  # encoded inside another parameter
        f"_search=%2B86{MOBILE}",  # +86 before the mobile number
        f"_search=%2B86+{MOBILE}",
        f"_search=0086{MOBILE}",
    ],
)
def test_any_query_string_holding_an_id_or_phone_number_is_refused(client, world, caplog, query):
    caplog.set_level(logging.DEBUG)
    login(client, world.caseworker1)
    response = client.get(f"{LIST}?{query}")
    assert _refused(response)
    assert response["Cache-Control"] == "no-store"
    assert not [r for r in caplog.records if "6201021990" in r.getMessage()]


def test_an_anonymous_request_is_refused_before_the_login_redirect_keeps_the_query(client, caplog):
    caplog.set_level(logging.DEBUG)
    response = client.get(f"/no/such/page/?_search={MOBILE}")
    assert _refused(response)  # not a 302 to the login page with the number in ``next``
    _nothing_logged(caplog, MOBILE)


def test_names_and_ordinary_numbers_still_search_the_list(client, world):
    login(client, world.caseworker1)
    for query in ({"_search": "甲户主"}, {"_search": "A1-0001"}, {"page": "1"}):
        response = client.get(LIST, query)
        assert response.status_code == 200, query
        assert "A1-0001" in response.content.decode()


def test_the_lookup_finds_a_household_by_phone_only_within_the_jurisdiction(client, world):
    member_a1 = world.h_a1.members.first()
    member_a1.phone = MOBILE
    member_a1.save(update_fields=["phone"])
    world.h_a2.phone = "13911112222"
    world.h_a2.save(update_fields=["phone"])
    login(client, world.caseworker1)

    response = client.post(LOOKUP, {"document_number": "139 8765 4321"})
    assert response.status_code == 302
    assert response.url == reverse("registry:household:detail", args=[world.h_a1.pk])

    response = client.post(LOOKUP, {"document_number": "13911112222"})  # the other grid's
    assert response.status_code == 404
    assert "您的辖区内没有使用此电话号码的住户" in response.content.decode()


def test_a_phone_shared_by_several_households_lists_them(client, world):
    for household in (world.h_a1, world.h_a2):
        household.phone = MOBILE
        household.save(update_fields=["phone"])
    login(client, world.manager)  # sees both grids of site A
    response = client.post(LOOKUP, {"document_number": MOBILE})
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 户使用此电话号码" in page
    assert "A1-0001" in page and "A2-0001" in page


def test_the_development_servers_request_line_is_redacted():
    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"%s" %s %s',
        (f"GET {LIST}?page=2&_search={MOBILE} HTTP/1.1", "303", "0"), None,
    )  # fmt: skip
    assert RedactIdentifiersFilter().filter(record)
    assert record.getMessage() == f'"GET {LIST}?[redacted] HTTP/1.1" 303 0'


def test_a_traceback_logged_with_an_id_number_is_redacted():
    try:
        raise ValueError("Key (document_number)=(620102199001011234) already exists.")
    except ValueError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s",
            ("/registry/household/",), sys.exc_info(),
        )  # fmt: skip
    assert RedactIdentifiersFilter().filter(record)
    printed = logging.Formatter().format(record)
    assert "ValueError" in printed and "Traceback" in printed
    assert "620102199001011234" not in printed and "[redacted]" in printed
