"""Importing the household ledger: a messy ledger is refused whole with every bad row named; the
clean one imports fully into the assessment step; a second import changes nothing."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook
from stdnum.cn import ric
from viewflow.workflow.models import Process, Task

from casework.audit.models import AuditChainHead, AuditEvent
from casework.audit.verify import verify_chain
from casework.cases.models import HouseholdCase
from casework.registry.models import Household, Member, Region
from casework.reports.ledger_import import ledger_import
from casework.reports.register import COLUMNS
from tests import factories
from tests.workflows import helpers as h
from workflows.flows import HouseholdFlow
from workflows.models import TaskDeadline

pytestmark = pytest.mark.django_db

HEADER = [c.title for c in COLUMNS]


def _id(born: str, serial: str) -> str:
    body = f"621226{born}{serial}"
    return body + ric.calc_check_digit(body + "0")


def _bad_check(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def _row(number, name, document, relationship, **extra):
    values = {
        "site": "安置点A",
        "grid": "A网格1",
        "number": number,
        "household_type": "脱贫户",
        "colour": "绿色",
        "name": name,
        "document_number": document,
        "relationship": relationship,
        "labour_capacity": "普通劳动力",
        "phone": "13912345678",
        **extra,
    }
    return [values.get(c.key, "") for c in COLUMNS]


def _clean_rows():
    return [
        _row("N-001", "张大山", _id("19800101", "011"), "户主", building="3", unit="2", room="401",
             origin_code="621226101201", origin_name="石桥村"),
        _row("N-001", "李小梅", _id("19820304", "022"), "配偶"),
        # a 15-digit first-generation number: upgraded to 18, not an error
        _row("N-001", "张小山", "621226750607031", "之子"),
        _row("N-002", "王石头", _id("19750505", "031"), "户主", grid="G2", colour="黄色"),
        # full-width digits and stray spaces: folded, not an error
        _row("N-002", "王小花", " " + _id("20010203", "042").translate(FULL_WIDTH) + " ", "之女",
             in_school="是", labour_capacity="无劳动力", site="", grid="", colour="",
             household_type=""),  # household columns left to the household's other row
        _row("N-003", "赵老汉", _id("19600707", "051"), "户主", phone="",
             labour_capacity="弱劳动力或半劳动力"),
    ]  # fmt: skip


def _book(rows, title_row: str | None = None) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    if title_row:
        sheet.append([title_row])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    sheet.cell(row=2, column=HEADER.index("证件号码") + 1).data_type = "s"  # text, as exported
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def _messy_rows():
    rows = _clean_rows()
    good = _id("19880808", "071")
    rows += [
        # 8: a bad check character
        _row("N-004", "钱一", _bad_check(_id("19900101", "081")), "户主"),
        # 9: Excel turned an 18-digit number into a float: its last digits are gone
        _row("N-005", "孙二", float(_id("19910202", "091")), "户主"),
        # 10 and 11: the same person twice
        _row("N-006", "周三", good, "户主"),
        _row("N-006", "周三", good, "配偶"),
        # 12 and 13: a household with two heads
        _row("N-007", "吴四", _id("19700303", "101"), "户主"),
        _row("N-007", "郑五", _id("19720404", "112"), "户主"),
        # 14: a missing name
        _row("N-008", "", _id("19930505", "121"), "户主"),
    ]
    return rows


def _snapshot():
    head = AuditChainHead.objects.first()
    return {
        "households": Household.objects.count(),
        "members": Member.objects.count(),
        "cases": HouseholdCase.objects.count(),
        "processes": Process.objects.count(),
        "tasks": Task.objects.count(),
        "deadlines": TaskDeadline.objects.count(),
        "regions": Region.objects.count(),
        "events": AuditEvent.objects.count(),
        "head": (head.seq, head.hash) if head else None,
    }


def test_a_messy_ledger_names_every_bad_row_and_imports_nothing(world):
    before = _snapshot()
    report = ledger_import(actor=world.manager, source=_book(_messy_rows()), file_name="messy.xlsx",
                           allowed_site_ids={world.site_a.pk})  # fmt: skip
    assert not report.imported
    assert _snapshot() == before
    found = {(p.row, p.column) for p in report.errors}
    assert found == {
        (8, "证件号码"),
        (9, "证件号码"),
        (11, "证件号码"),
        (13, "与户主关系"),
        (14, "姓名"),
    }
    reasons = {p.row: p.reason for p in report.errors}
    assert "校验" in reasons[8] and "应为" in reasons[8]
    assert "15" in reasons[9] and "文本" in reasons[9]
    assert "第10行" in reasons[11]
    assert "户主" in reasons[13] and "12、13" in reasons[13]
    assert "必填" in reasons[14]
    # Shown values never carry a whole ID number.
    assert all(
        "*" in p.value or not p.value[:6].isdigit() for p in report.errors if p.column == "证件号码"
    )
    # The fixable ones are reported as corrections, not errors.
    notes = {(p.row, p.column): p.reason for p in report.notices}
    assert "15" in notes[(4, "证件号码")] and "18" in notes[(4, "证件号码")]
    assert "全角" in notes[(6, "证件号码")]


def test_the_command_prints_every_bad_row_and_exits_non_zero(world, tmp_path, capsys):
    path = tmp_path / "messy.xlsx"
    path.write_bytes(_book(_messy_rows()).getvalue())
    before = _snapshot()
    with pytest.raises(CommandError, match="5"):
        call_command("import_ledger", str(path))
    out = capsys.readouterr().out
    for row in (8, 9, 11, 13, 14):
        assert f"第{row}行" in out
    assert _snapshot() == before


def test_the_clean_ledger_imports_fully_into_the_assessment_step(world):
    source = _book(_clean_rows(), title_row="某县搬迁户台账")
    report = ledger_import(actor=world.manager, source=source, allowed_site_ids={world.site_a.pk})
    assert report.errors == []
    assert report.imported and report.households_new == 3 and report.members_new == 6
    first = Household.objects.get(number="N-001")
    assert (first.grid, first.building, first.unit, first.room) == (world.grid_a1, "3", "2", "401")
    assert first.origin_region.code == "621226101201" and first.origin_region.name == "石桥村"
    assert Household.objects.get(number="N-002").grid == world.grid_a2  # by grid code
    assert Household.objects.get(number="N-002").colour == "yellow"
    son = Member.objects.get(name="张小山")
    assert son.document_number == _id("19750607", "031")  # 15 digits upgraded to 18
    assert (son.sex, son.birth_date) == ("M", datetime.date(1975, 6, 7))
    daughter = Member.objects.get(name="王小花")
    assert daughter.document_number == _id("20010203", "042")
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
    assert not AuditEvent.objects.filter(changes__icontains=_id("19800101", "011")).exists()


def test_importing_the_same_ledger_twice_leaves_the_database_unchanged(world):
    ledger_import(
        actor=world.manager, source=_book(_clean_rows()), allowed_site_ids={world.site_a.pk}
    )
    before = _snapshot()
    report = ledger_import(actor=world.manager, source=_book(_clean_rows()),
                           allowed_site_ids={world.site_a.pk})  # fmt: skip
    assert report.errors == [] and not report.imported
    assert (report.households_new, report.households_unchanged) == (0, 3)
    assert _snapshot() == before


def test_a_second_ledger_that_differs_is_reported_and_changes_nothing(world):
    ledger_import(
        actor=world.manager, source=_book(_clean_rows()), allowed_site_ids={world.site_a.pk}
    )
    rows = _clean_rows()
    rows[3] = _row("N-002", "王石头", _id("19750505", "031"), "户主", grid="G2", colour="红色")
    before = _snapshot()
    report = ledger_import(
        actor=world.manager, source=_book(rows), allowed_site_ids={world.site_a.pk}
    )
    assert report.errors == [] and _snapshot() == before
    assert any(p.row == 5 and "三色标签" in p.reason for p in report.notices)


def test_rows_of_a_site_the_manager_does_not_manage_are_refused(world):
    rows = [_row("N-009", "陈六", _id("19850909", "131"), "户主", site="安置点B", grid="B网格1")]
    report = ledger_import(
        actor=world.manager, source=_book(rows), allowed_site_ids={world.site_a.pk}
    )
    assert [(p.row, p.column) for p in report.errors] == [(2, "安置点")]
    assert not Household.objects.filter(number="N-009").exists()


def test_header_variants_and_excel_text_forms_are_accepted(world):
    variants = {
        "证件号码": "身份证号码",
        "户编号": "户号",
        "与户主关系": "与户主的关系",
        "劳动技能": "劳动能力",
    }
    book = Workbook()
    sheet = book.active
    sheet.append(["*" + variants.get(t, t) if t in variants else t for t in HEADER])
    row = _row(
        "N-010", "冯七", '="' + _id("19860606", "141") + '"', "本人", labour_capacity="普通劳动力"
    )
    sheet.append(row)
    sheet.cell(row=2, column=HEADER.index("证件号码") + 1).data_type = "s"  # text, as exported
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    report = ledger_import(actor=world.manager, source=buffer, allowed_site_ids={world.site_a.pk})
    assert report.errors == [] and report.imported
    assert Member.objects.get(name="冯七").document_number == _id("19860606", "141")


def test_a_file_that_is_not_a_workbook_is_refused_in_chinese(world, tmp_path):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(CommandError, match="xlsx"):
        call_command("import_ledger", str(path))


def test_the_same_person_already_registered_elsewhere_is_an_error(world):
    existing = world.h_b1.members.get(relationship="head")
    rows = [_row("N-011", "褚八", existing.document_number, "户主")]
    report = ledger_import(
        actor=world.manager, source=_book(rows), allowed_site_ids={world.site_a.pk}
    )
    assert [(p.row, p.column) for p in report.errors] == [(2, "证件号码")]
    assert "B1-0001" in report.errors[0].reason
    assert factories  # the world was built through the services
