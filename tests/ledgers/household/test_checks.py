"""The checks of the household ledger: a messy ledger is refused whole with every bad row named,
each problem with its code and a Chinese reason; rows of another site and people registered
elsewhere are errors too."""

import re

import pytest
from django.utils import translation
from stdnum.cn import ric

from casework.ledgers.household.importer import ledger_import
from casework.ledgers.household.problems import MESSAGES, Problem
from casework.ledgers.household.problems import ProblemCode as C
from casework.registry.models import Household
from tests import factories
from tests.ledgers.household.books import book, id_number, messy_rows, row, snapshot

pytestmark = pytest.mark.django_db


def test_a_messy_ledger_names_every_bad_row_and_imports_nothing(world):
    before = snapshot()
    report = ledger_import(actor=world.manager, source=book(messy_rows()), file_name="messy.xlsx")
    assert not report.imported
    assert snapshot() == before
    found = {(p.row, p.column) for p in report.errors}
    assert found == {
        (8, "证件号码"),
        (9, "证件号码"),
        (11, "证件号码"),
        (13, "与户主关系"),
        (14, "姓名"),
    }
    codes = {p.row: p.code for p in report.errors}
    assert codes == {
        8: C.ID_CHECK_DIGIT,
        9: C.ID_EXCEL_FLOAT,
        11: C.DUPLICATE_IN_FILE,
        13: C.HEADS,
        14: C.REQUIRED,
    }
    params = {p.row: p.params for p in report.errors}
    assert params[11] == {"row": 10}
    assert params[13] == {"number": "N-007", "rows": "12、13"}
    # The reasons are Chinese sentences rendered from the codes.
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
    notes = {(p.row, p.column): p for p in report.notices}
    assert notes[(4, "证件号码")].code == C.ID_UPGRADED
    assert notes[(6, "证件号码")].code == C.ID_FOLDED
    assert "15" in notes[(4, "证件号码")].reason and "18" in notes[(4, "证件号码")].reason
    assert "全角" in notes[(6, "证件号码")].reason


def test_rows_of_a_site_the_manager_does_not_manage_are_refused(world):
    number = id_number("19850909", "131")
    rows = [row("N-009", "陈六", number, "户主", site="安置点B", grid="B网格1")]
    report = ledger_import(actor=world.manager, source=book(rows))
    assert [(p.row, p.column, p.code) for p in report.errors] == [(2, "安置点", C.SITE_NOT_ALLOWED)]
    assert not Household.objects.filter(number="N-009").exists()


def test_the_same_person_already_registered_elsewhere_is_an_error(world):
    existing = world.h_b1.members.get(relationship="head")
    rows = [row("N-011", "褚八", existing.document_number, "户主")]
    report = ledger_import(actor=world.manager, source=book(rows))
    assert [(p.row, p.column) for p in report.errors] == [(2, "证件号码")]
    assert report.errors[0].code == C.DUPLICATE_IN_SYSTEM
    assert report.errors[0].params == {"number": "B1-0001"}
    assert "B1-0001" in report.errors[0].reason
    assert factories  # the world was built through the services


def test_a_residence_permit_number_given_as_an_id_card_is_an_error(world):
    body = "810000199001010" + "13"
    rows = [row("N-012", "卫九", body + ric.calc_check_digit(body + "0"), "户主")]
    report = ledger_import(actor=world.manager, source=book(rows))
    assert [(p.row, p.code) for p in report.errors] == [(2, C.ID_RESIDENCE_PERMIT)]


def test_every_problem_code_has_a_chinese_sentence():
    assert set(MESSAGES) == set(C)
    with translation.override("zh-hans"):
        for code, message in MESSAGES.items():
            if message is None:
                continue  # the registry validator's own sentence
            params = dict.fromkeys(re.findall(r"%\((\w+)\)", str(message)), 1)
            reason = Problem(1, "", "", code, params).reason
            assert any("\u4e00" <= ch <= "\u9fff" for ch in reason), code
