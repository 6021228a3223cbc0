"""Export → import of the household ledger on the demo data: into the same database it changes
nothing; into a fresh one (same sites and grids, no households) it rebuilds the households so
that exporting again gives the same workbook, cell for cell."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from openpyxl import load_workbook

from casework.audit.selectors import chain_head
from casework.ledgers.household.importer import ledger_import
from casework.ledgers.household.template import SHEET_TITLE
from casework.ledgers.services import household_ledger_export
from casework.ops.demo_months import demo_second_site_grids
from casework.ops.management.commands.seed_demo import Command as SeedDemo
from casework.registry.models import Household, Member

pytestmark = pytest.mark.django_db(transaction=False)


def _cells(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content), read_only=True)[SHEET_TITLE]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def _state() -> tuple:
    head_seq, head_hash = chain_head()
    members = list(Member.objects.order_by("document_number").values())
    households = list(Household.objects.order_by("number").values())
    return head_seq, head_hash, members, households


def test_the_demo_ledger_imports_into_the_same_database_without_change():
    call_command("seed_demo", stdout=io.StringIO())
    content, count = household_ledger_export(actor=None, households=Household.objects.all())
    assert count == Household.objects.count() > 40
    before = _state()
    report = ledger_import(actor=None, source=io.BytesIO(content))
    assert report.errors == [] and report.notices == []
    assert (report.households_new, report.households_unchanged) == (0, count)
    assert _state() == before


def test_export_import_export_on_the_demo_data_gives_the_same_workbook():
    savepoint = transaction.savepoint()
    call_command("seed_demo", stdout=io.StringIO())
    first, count = household_ledger_export(actor=None, households=Household.objects.all())
    demo = {
        h.number: (h.pk, sorted(h.members.values_list("document_number", flat=True)))
        for h in Household.objects.prefetch_related("members")
    }
    transaction.savepoint_rollback(savepoint)
    assert not Household.objects.exists()

    # A fresh database with the same users, regions, site and grids, and no households.
    seed = SeedDemo()
    admin = seed._users()
    site, _grids = seed._site(admin)
    demo_second_site_grids(admin, site.county)
    report = ledger_import(actor=admin, source=io.BytesIO(first))
    assert report.errors == [] and report.imported
    assert report.households_new == count == len(demo)
    for number, (_pk, numbers) in demo.items():
        household = Household.objects.get(number=number)
        assert sorted(household.members.values_list("document_number", flat=True)) == numbers

    second, _count = household_ledger_export(actor=None, households=Household.objects.all())
    assert _cells(second) == _cells(first)
