"""Reading the household ledger: header variants and the text forms Excel gives numbers are
accepted; a header without a required column is refused with its code."""

import io

import pytest
from openpyxl import Workbook

from casework.ledgers.household.importer import ledger_import
from casework.ledgers.household.problems import ProblemCode as C
from casework.ledgers.household.reader import read_sheet
from casework.registry.models import Member
from tests.ledgers.household.books import HEADER, id_number, row

pytestmark = pytest.mark.django_db


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
    values = row(
        "N-010", "冯七", '="' + id_number("19860606", "141") + '"', "本人",
        labour_capacity="普通劳动力",
    )  # fmt: skip
    sheet.append(values)
    sheet.cell(row=2, column=HEADER.index("证件号码") + 1).data_type = "s"  # text, as exported
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    report = ledger_import(actor=world.manager, source=buffer)
    assert report.errors == [] and report.imported
    assert Member.objects.get(name="冯七").document_number == id_number("19860606", "141")


def test_a_missing_required_column_is_an_error_and_an_unknown_one_a_notice():
    book = Workbook()
    sheet = book.active
    sheet.append([t for t in HEADER if t != "姓名"] + ["备注"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    sheet = read_sheet(buffer)
    assert [(p.row, p.column, p.code) for p in sheet.errors] == [(1, "姓名", C.COLUMN_MISSING)]
    assert [(p.column, p.code) for p in sheet.notices] == [("备注", C.COLUMN_UNKNOWN)]
