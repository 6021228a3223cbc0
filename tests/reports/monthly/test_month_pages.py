"""The month-end dashboard's pages (issue 23, acceptance 1 and 2): each reader opens the units
wholly theirs and no other (a county's bureau its county, a manager his sites, a caseworker her
grids); the numbers on the page are the stored figures; the list behind a number has as many
rows as it says; a county's bureau is given and takes back its county on the account's page."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from casework import permissions
from casework.audit.models import AuditEvent
from casework.monitoring.selectors import month_before, month_of
from casework.policy.models import Code
from casework.registry.services import jurisdiction_revoke_county
from casework.reports.monthly.counts import total
from casework.reports.monthly.quality import month_figures_count

from .world import MONTH

pytestmark = pytest.mark.django_db
URL = "/figures/"
PEOPLE = "/figures/people/"


def _page(user, **query):
    client = Client()
    client.force_login(user)
    return client.get(URL, query)


def _unit_keys(response) -> set[str]:
    return set(re.findall(r'<option value="((?:grid|site|township|county):[^"]+)"', response.text))


def test_each_reader_is_offered_the_units_wholly_theirs(li_county):
    li, a = li_county.li.pk, li_county.site_a.pk
    assert _unit_keys(_page(li_county.bureau)) == {
        f"county:{li}", f"township:{li}:城关镇", f"township:{li}:石桥镇",
        f"site:{a}", f"site:{li_county.site_b.pk}",
    }  # fmt: skip
    assert _unit_keys(_page(li_county.manager)) == {f"township:{li}:城关镇", f"site:{a}"}
    assert _unit_keys(_page(li_county.caseworker1)) == {f"grid:{li_county.grid_a1.pk}"}


@pytest.mark.parametrize(
    ("reader", "unit", "status"),
    [
        ("bureau", "county:{li}", 200),
        ("bureau", "grid:{a1}", 200),
        ("bureau", "county:{other}", 404),
        ("bureau", "site:{c}", 404),
        ("manager", "site:{a}", 200),
        ("manager", "county:{li}", 404),  # B is not his
        ("manager", "site:{b}", 404),
        ("caseworker1", "grid:{a1}", 200),
        ("caseworker1", "grid:{a2}", 404),
        ("caseworker1", "site:{a}", 404),
        ("helper", "grid:{a1}", 403),
        ("trainer", "grid:{a1}", 403),
    ],
)
def test_a_unit_not_wholly_the_readers_is_not_found(li_county, reader, unit, status):
    key = unit.format(li=li_county.li.pk, other=li_county.other.pk, a=li_county.site_a.pk,
                      b=li_county.site_b.pk, c=li_county.site_c.pk, a1=li_county.grid_a1.pk,
                      a2=li_county.grid_a2.pk)  # fmt: skip
    user = getattr(li_county, reader)
    assert _page(user, unit=key, month="2026-08").status_code == status
    people = Client()
    people.force_login(user)
    listed = people.get(PEOPLE, {"unit": key, "month": "2026-08", "figure": "working"})
    assert listed.status_code == status


def test_the_page_shows_the_months_figures_and_each_list_matches(li_county):
    key = f"county:{li_county.li.pk}"
    response = _page(li_county.bureau, unit=key, month=MONTH.strftime("%Y-%m"))
    assert response.status_code == 200
    grid_ids = [li_county.grid_a1.pk, li_county.grid_a2.pk, li_county.grid_b1.pk]
    figures = total(month_figures_count(grid_ids, [MONTH]).values())
    tiles = dict(re.findall(r'data-figure="(\w+)">.*?mf-tile__of">([^<]*)<', response.text, re.S))
    assert tiles["working"] == f"{figures.working} / {figures.recorded}"
    links = re.findall(r'href="/figures/people/\?([^"]+)"', response.text)
    assert len(links) >= 6
    client = Client()
    client.force_login(li_county.bureau)
    for query in set(links):
        listed = client.get(f"{PEOPLE}?{query.replace('&amp;', '&')}")
        assert listed.status_code == 200, query
        shown = re.search(r'data-test="list-count">\D*(\d+)', listed.text)
        figure = re.search(r"figure=(\w+)", query).group(1)
        code = re.search(r"code=([\w%]+)", query)
        expected = getattr(figures, figure, None)
        if figure == "zero_cleared":  # by months without work before
            expected = sum(figures.zero_cleared.values())
        if code:
            tallies = {"location": figures.by_location, "channel": figures.by_channel,
                       "category": figures.by_category, "followed": figures.followed,
                       "visits_overdue": figures.visits_overdue}[figure]  # fmt: skip
            expected = tallies.get(code.group(1), 0)
        assert int(shown.group(1)) == expected, query
    # A county's bureau reads lists, not households' pages: no link to one.
    assert "/registry/household/" not in listed.text


def test_a_month_that_cannot_be_shown_falls_back_with_a_message(li_county):
    last = month_before(month_of(timezone.localdate()))
    for asked in ("1999-01", "2026-13", "9999-01", "八月"):
        response = _page(li_county.caseworker1, month=asked)
        assert response.status_code == 200
        assert f"没有可显示的月份 {asked}；已显示最近一个已结束的月份。" in response.text
        selected = re.search(r'<option value="([\d-]+)" selected>', response.text).group(1)
        assert selected == f"{last:%Y-%m}"
    # A month older than the two years offered still opens (the trend links back a year).
    old = _page(li_county.caseworker1, month="2016-01")
    assert old.status_code == 200 and '<option value="2016-01" selected>' in old.text
    # A download of a month that cannot be shown is refused rather than made of another.
    client = Client()
    client.force_login(li_county.bureau)
    unit = f"county:{li_county.li.pk}"
    assert (
        client.post("/figures/bulletin.pdf", {"unit": unit, "month": "1999-01"}).status_code == 400
    )


def test_a_county_is_given_and_taken_back_on_the_accounts_page(li_county):
    admin = Client()
    admin.force_login(li_county.admin)
    page = admin.get(f"/manage/users/{li_county.bureau.pk}/")
    assert page.status_code == 200 and "礼县" in page.text
    revoked = admin.post(f"/manage/users/{li_county.bureau.pk}/counties/{li_county.li.pk}/revoke/")
    assert revoked.status_code == 302
    assert not permissions.counties_read_by(li_county.bureau).exists()
    assert _page(li_county.bureau).status_code == 200  # an empty state, not an error
    granted = admin.post(f"/manage/users/{li_county.bureau.pk}/counties/add/",
                         {"county": li_county.other.pk})  # fmt: skip
    assert granted.status_code == 302
    assert list(permissions.counties_read_by(li_county.bureau)) == [li_county.other]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"jurisdiction.grant_county", "jurisdiction.revoke_county"} <= actions
    manager = Client()
    manager.force_login(li_county.manager)
    refused = manager.post(f"/manage/users/{li_county.bureau.pk}/counties/add/",
                           {"county": li_county.li.pk})  # fmt: skip
    assert refused.status_code in (403, 404)
    with pytest.raises(ValidationError):  # a second revocation is refused
        jurisdiction_revoke_county(
            actor=li_county.admin, user=li_county.bureau, county=li_county.li
        )


def test_the_list_behind_a_number_exports_to_excel_and_is_recorded(li_county):
    client = Client()
    client.force_login(li_county.bureau)
    key = f"county:{li_county.li.pk}"
    grid_ids = [li_county.grid_a1.pk, li_county.grid_a2.pk, li_county.grid_b1.pk]
    figures = total(month_figures_count(grid_ids, [MONTH]).values())
    for figure, expected in (("working", figures.working),
                             ("zero_employment", figures.zero_employment)):  # fmt: skip
        response = client.post(
            f"{PEOPLE}export.xlsx", {"unit": key, "month": "2026-08", "figure": figure}
        )
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.iter_rows(values_only=True))
        assert len(rows) - 1 == expected > 0, figure
        if figure == "working":  # channels by their labels, not their codes
            labels = dict(Code.objects.filter(list_name="channel").values_list("code", "label"))
            shown = {row[5] for row in rows[1:]}
            assert shown and shown <= set(labels.values()), shown
    events = AuditEvent.objects.filter(action="dashboard.month_list_export")
    assert events.count() == 2 and {e.actor_id for e in events} == {li_county.bureau.pk}


def test_a_county_bureau_reads_the_daily_dashboard_of_its_county_and_changes_nothing(li_county):
    client = Client()
    client.force_login(li_county.bureau)
    page = client.get("/dashboard/")
    assert page.status_code == 200
    assert li_county.site_b.name in page.text and li_county.site_c.name not in page.text
    assert 'data-test="refresh"' not in page.text and "/monitoring/" not in page.text
    assert client.post("/dashboard/refresh/").status_code == 403
    manager = Client()
    manager.force_login(li_county.manager)
    assert 'data-test="refresh"' in manager.get("/dashboard/").text
