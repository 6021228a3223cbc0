"""Importing the household ledger: the clean ledger imports fully into the assessment step; a
second import changes nothing; a ledger that differs is reported and changes nothing; only those
with the import right may import."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from casework.audit.models import AuditEvent
from casework.audit.verify import verify_chain
from casework.ledgers.household.importer import ledger_import
from casework.ledgers.household.problems import ProblemCode as C
from casework.registry.models import Household, Member
from tests.ledgers.household.books import book, clean_rows, id_number, row, snapshot
from tests.workflows import helpers as h
from workflows.flows import HouseholdFlow

pytestmark = pytest.mark.django_db


def test_the_clean_ledger_imports_fully_into_the_assessment_step(world):
    source = book(clean_rows(), title_row="某县搬迁户台账")
    report = ledger_import(actor=world.manager, source=source)
    assert report.errors == []
    assert report.imported and report.households_new == 3 and report.members_new == 6
    first = Household.objects.get(number="N-001")
    assert (first.grid, first.building, first.unit, first.room) == (world.grid_a1, "3", "2", "401")
    assert first.origin_region.code == "621226101201" and first.origin_region.name == "石桥村"
    assert Household.objects.get(number="N-002").grid == world.grid_a2  # by grid code
    assert Household.objects.get(number="N-002").colour == "yellow"
    son = Member.objects.get(name="张小山")
    assert son.document_number == id_number("19750607", "031")  # 15 digits upgraded to 18
    assert (son.sex, son.birth_date) == ("M", datetime.date(1975, 6, 7))
    daughter = Member.objects.get(name="王小花")
    assert daughter.document_number == id_number("20010203", "042")
    assert (daughter.sex, daughter.in_school, daughter.labour_capacity) == ("F", True, "none")
    for number in ("N-001", "N-002", "N-003"):
        household = Household.objects.get(number=number)
        assert household.members.filter(relationship="head").count() == 1
        process = h.household_process(household)
        assert h.open_nodes(process) == [HouseholdFlow.assess.name]
        assert (
            AuditEvent.objects.filter(household_id=household.pk, action="household.import").count()
            == 1
        )
    event = AuditEvent.objects.get(action="ledger.import")
    assert event.actor == world.manager and event.changes["households"] == [None, 3]
    assert verify_chain().ok
    # No raw ID number went into the audit log.
    assert not AuditEvent.objects.filter(changes__icontains=id_number("19800101", "011")).exists()


def test_importing_the_same_ledger_twice_leaves_the_database_unchanged(world):
    ledger_import(actor=world.manager, source=book(clean_rows()))
    before = snapshot()
    report = ledger_import(actor=world.manager, source=book(clean_rows()))
    assert report.errors == [] and not report.imported
    assert (report.households_new, report.households_unchanged) == (0, 3)
    assert snapshot() == before


def test_a_second_ledger_that_differs_is_reported_and_changes_nothing(world):
    ledger_import(actor=world.manager, source=book(clean_rows()))
    rows = clean_rows()
    rows[3] = row("N-002", "王石头", id_number("19750505", "031"), "户主", grid="G2", colour="红色")
    before = snapshot()
    report = ledger_import(actor=world.manager, source=book(rows))
    assert report.errors == [] and snapshot() == before
    differs = [p for p in report.notices if p.code == C.HOUSEHOLD_DIFFERS]
    assert [p.row for p in differs] == [5]
    assert "三色标签" in differs[0].params["fields"] and "三色标签" in differs[0].reason


def test_only_holders_of_the_import_right_may_import(world):
    before = snapshot()
    for user in (world.caseworker1, world.helper, world.trainer):
        with pytest.raises(PermissionDenied):
            ledger_import(actor=user, source=book(clean_rows()))
    assert snapshot() == before
