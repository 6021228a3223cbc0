"""The import's cost does not grow by a query per household: the origin villages are read by
code in one query for the whole ledger (a village new to the system too), and the audit chain
is locked and read once for the new villages' events and the import's own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.audit.verify import verify_chain
from casework.ledgers.household.importer import ledger_import
from casework.registry.models import Region
from tests.ledgers.household.books import book, id_number, row

pytestmark = pytest.mark.django_db


def _ledger(households: int, village: int) -> list[list[str]]:
    """``households`` heads from two villages new to the system, named by code."""
    return [
        row(f"Q{village}-{n:03}", f"测试户{n}", id_number(f"19{village}00101", f"{n:03}"), "户主",
            origin_code=f"6212261012{village}{n % 2}", origin_name=f"新村{village}{n % 2}")
        for n in range(1, households + 1)
    ]  # fmt: skip


def _queries(world, households: int, village: int) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        report = ledger_import(actor=world.manager, source=book(_ledger(households, village)))
    assert report.errors == [] and report.households_new == households
    return [q["sql"] for q in queries.captured_queries]


def test_village_lookups_and_chain_reads_do_not_grow_with_the_ledger(world):
    counts = []
    for households, village in ((4, 6), (16, 7)):
        sql = _queries(world, households, village)
        lookups = [s for s in sql if s.startswith("SELECT") and 'FROM "registry_region"' in s]
        head_reads = [s for s in sql if s.startswith('SELECT "audit_auditevent"."seq"')]
        counts.append((len(lookups), len(head_reads)))
    assert counts[0] == counts[1]  # four times the households, the same reads
    assert counts[0][1] == 1  # the chain read once for the registrations and the villages
    codes = Region.objects.filter(name__startswith="新村").values_list("code", flat=True)
    assert set(codes) == {"621226101260", "621226101261", "621226101270", "621226101271"}
    assert verify_chain().ok
