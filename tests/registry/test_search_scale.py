"""The household list at city scale: a caseworker's search reads their own households through
indexes (PostgreSQL's plans, asserted with EXPLAIN), the list's count stops at a bound and says
"more than" in Chinese, and the page's queries are a fixed number whatever the register holds."""

import datetime
import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.common import paging
from casework.registry import services
from casework.registry.models import Household, Member
from casework.registry.search import member_search_keys_set, search_term_read
from tests import factories
from tests.conftest import login

LIST = "/registry/household/"
SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = "伟芳娜秀英敏静丽强磊"
_serial = itertools.count()


def _register(grid, households: int, origin: str = "") -> None:
    """``households`` households of three members each in ``grid``, in bulk, with the search
    keys the services write."""
    rows = Household.objects.bulk_create(
        Household(
            number=f"{grid.code}-{next(_serial):06d}",
            grid=grid,
            building="7",
            room="301",
            origin_address=origin,
        )
        for _ in range(households)
    )
    members = []
    for n, household in enumerate(rows):
        for relationship in ("head", "spouse", "son"):
            member = Member(
                household=household,
                name=SURNAMES[n % 10] + GIVEN[(n // 10) % 10],
                document_number=factories.resident_id(),
                sex="M",
                birth_date=datetime.date(1980, 1, 1),
                relationship=relationship,
            )
            member_search_keys_set(member)
            members.append(member)
    Member.objects.bulk_create(members)


def _plans(queries) -> list[str]:
    plans = []
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if sql.startswith("SELECT") and "registry_household" in sql:
                cursor.execute("EXPLAIN ANALYZE " + sql)
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


_SCAN = re.compile(r"Scan .*on (registry_household|registry_member)\b.*rows=(\d+) loops=(\d+)")
_REMOVED = re.compile(r"Rows Removed by (?:Filter|Index Recheck): (\d+)")


def _rows_read(plan: str) -> int:
    """Rows the plan's scans of the household and member tables read (returned and filtered
    out), over all their loops."""
    total, loops = 0, 0
    for line in plan.splitlines():
        if scan := _SCAN.search(line):
            loops = int(scan[3])
            total += int(scan[2]) * loops
        elif "->" in line:
            loops = 0
        elif (removed := _REMOVED.search(line)) and loops:
            total += int(removed[1]) * loops
    return total


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plans")
@pytest.mark.parametrize("term", ["wa", "王伟", "7-301", "石桥村", ""])
def test_a_caseworkers_search_reads_their_households_through_indexes(client, world, term):
    """Thousands of households elsewhere, a hundred in the caseworker's grid: with the
    statistics read (ANALYZE), no plan of the page scans the member or household table, and
    none reads as many of their rows as a whole table holds (5,100 households, 15,300
    members): a short prefix ("wa", a tenth of all names) may be read from its index city-wide
    when the planner finds that cheaper, but never the tables."""
    other = services.grid_create(actor=world.admin, site=world.grid_b1.site, code="B9", name="九")
    _register(other, 5000, origin="礼县石桥镇石桥村")
    _register(world.grid_a1, 100, origin="礼县石桥镇石桥村")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_household; ANALYZE registry_member")
    login(client, world.caseworker1)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, {"_search": term} if term else {})
    assert response.status_code == 200
    page = response.content.decode()
    assert "G1-" in page and "B9-" not in page  # their own bulk households, no one else's
    plans = _plans(queries.captured_queries)
    assert plans, "the list read no household"
    for plan in plans:
        assert "Seq Scan on registry_member" not in plan, plan
        assert "Seq Scan on registry_household" not in plan, plan
        assert _rows_read(plan) < 2500, plan


def test_a_place_is_found_within_the_origin_address(client, world):
    assert search_term_read("石桥村").place == "石桥村"
    assert search_term_read("王").place is None  # one character would match most villages
    factories.household(
        world.admin, world.grid_a1, number="A1-0700", origin_address="礼县石桥镇石桥村3组"
    )
    login(client, world.caseworker1)
    page = client.get(LIST, {"_search": "石桥村"}).content.decode()
    assert "A1-0700" in page and "A1-0001" not in page


def test_past_the_bound_the_list_says_more_than_and_still_pages(client, world, monkeypatch):
    monkeypatch.setattr(paging.BoundedPaginator, "bound", 30)
    _register(world.grid_a1, 40)
    login(client, world.admin)
    first = client.get(LIST).content.decode()
    total = Household.objects.count()
    assert "第 1–25 条，共超过 30 条" in first
    assert f"共 {total} 条" not in first
    assert 'data-list-page-has-next="1"' in first
    last = client.get(LIST, {"page": 2}).content.decode()
    assert f"第 26–{total} 条，共超过 30 条" in last
    assert 'data-list-page-has-next="0"' in last


def test_within_the_bound_the_count_is_exact(client, world):
    login(client, world.caseworker1)
    page = client.get(LIST).content.decode()
    shown = Household.objects.filter(grid=world.grid_a1).count()
    assert f"第 1–{shown} 条，共 {shown} 条" in page


def test_the_superusers_list_runs_a_fixed_number_of_queries(
    client, world, django_assert_num_queries
):
    login(client, world.admin)
    client.get(reverse("registry:household:index"))  # warm process-wide caches
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("registry:household:index"))
    _register(world.grid_a1, 60)
    with django_assert_num_queries(len(before)):
        response = client.get(reverse("registry:household:index"))
    assert response.status_code == 200


def _name_matches(queries) -> list[str]:
    """The queries that look a name up among the members (the search's costly part)."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if '"registry_member"' in q["sql"] and "LIKE" in q["sql"]
    ]


def test_a_search_with_few_matches_finds_them_once_for_its_count_and_its_page(client, world):
    """The matches' keys are read once in the list's order: that read counts them and pages
    them, and the page's rows are loaded by key (``paging.FewFirstPaginator``)."""
    _register(world.grid_a1, 60)  # 王 begins the names of every tenth household: six here
    login(client, world.caseworker1)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, {"_search": "王"})
    assert response.status_code == 200
    assert len(_name_matches(queries)) == 1
    expected = list(
        Household.objects.filter(grid=world.grid_a1, members__name__startswith="王")
        .distinct()
        .order_by("number")
        .values_list("number", flat=True)
    )
    assert len(expected) >= 6
    shown = [h.number for h in response.context["object_list"]]
    assert shown == expected
    assert f"第 1–{len(expected)} 条，共 {len(expected)} 条" in response.content.decode()


def test_a_search_past_the_bound_reads_its_keys_once_and_pages_on_past_them(
    client, world, monkeypatch
):
    """Past the count's bound the list says "more than", still from the one read of the keys
    (the search is not evaluated again to count it or for its first page); a page past the
    keys read is read by offset, and every match is shown once over the pages."""
    monkeypatch.setattr(paging.FewFirstPaginator, "bound", 30)
    _register(world.grid_a1, 400)  # 王 begins the names of every tenth household
    login(client, world.caseworker1)
    term = "王"
    matching = Household.objects.filter(grid=world.grid_a1, members__name__startswith=term)
    total = matching.distinct().count()
    assert 30 < total < 50
    with CaptureQueriesContext(connection) as queries:
        first = client.get(LIST, {"_search": term})
    (keys,) = _name_matches(queries)
    assert keys.rstrip().endswith("LIMIT 31")  # the keys up to the bound, not a smaller cap
    assert first.context["paginator"].more_than == 30
    assert "第 1–25 条，共超过 30 条" in first.content.decode()
    second = client.get(LIST, {"_search": term, "page": 2})
    shown = [h.pk for h in first.context["object_list"]] + [
        h.pk for h in second.context["object_list"]
    ]
    assert len(shown) == total and len(set(shown)) == total
    assert set(shown) == set(matching.values_list("pk", flat=True))
