"""Household ledgers built in memory for the tests: a clean one (3 households, 6 members) and a
messy one (the clean rows, then rows 8–14 with one fault each)."""

import io

from openpyxl import Workbook
from stdnum.cn import ric
from viewflow.workflow.models import Process, Task

from casework.audit.models import AuditEvent
from casework.audit.selectors import chain_head
from casework.cases.models import HouseholdCase
from casework.ledgers.household.template import COLUMNS
from casework.registry.models import Household, Member, Region
from workflows.models import TaskDeadline

HEADER = [c.title for c in COLUMNS]
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def id_number(born: str, serial: str) -> str:
    body = f"621226{born}{serial}"
    return body + ric.calc_check_digit(body + "0")


def bad_check(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def row(number, name, document, relationship, **extra):
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


def clean_rows():
    return [
        row("N-001", "张大山", id_number("19800101", "011"), "户主", building="3", unit="2",
            room="401", origin_code="621226101201", origin_name="石桥村"),
        row("N-001", "李小梅", id_number("19820304", "022"), "配偶"),
        # a 15-digit first-generation number: upgraded to 18, not an error
        row("N-001", "张小山", "621226750607031", "之子"),
        row("N-002", "王石头", id_number("19750505", "031"), "户主", grid="G2", colour="黄色"),
        # full-width digits and stray spaces: folded, not an error
        row("N-002", "王小花", " " + id_number("20010203", "042").translate(FULL_WIDTH) + " ",
            "之女", in_school="是", labour_capacity="无劳动力", site="", grid="", colour="",
            household_type=""),  # household columns left to the household's other row
        row("N-003", "赵老汉", id_number("19600707", "051"), "户主", phone="",
            labour_capacity="弱劳动力或半劳动力"),
    ]  # fmt: skip


def book(rows, title_row: str | None = None) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    if title_row:
        sheet.append([title_row])
    sheet.append(HEADER)
    for values in rows:
        sheet.append(values)
    sheet.cell(row=2, column=HEADER.index("证件号码") + 1).data_type = "s"  # text, as exported
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def messy_rows():
    rows = clean_rows()
    good = id_number("19880808", "071")
    rows += [
        # 8: a bad check character
        row("N-004", "钱一", bad_check(id_number("19900101", "081")), "户主"),
        # 9: Excel turned an 18-digit number into a float: its last digits are gone
        row("N-005", "孙二", float(id_number("19910202", "091")), "户主"),
        # 10 and 11: the same person twice
        row("N-006", "周三", good, "户主"),
        row("N-006", "周三", good, "配偶"),
        # 12 and 13: a household with two heads
        row("N-007", "吴四", id_number("19700303", "101"), "户主"),
        row("N-007", "郑五", id_number("19720404", "112"), "户主"),
        # 14: a missing name
        row("N-008", "", id_number("19930505", "121"), "户主"),
    ]
    return rows


def snapshot():
    return {
        "households": Household.objects.count(),
        "members": Member.objects.count(),
        "cases": HouseholdCase.objects.count(),
        "processes": Process.objects.count(),
        "tasks": Task.objects.count(),
        "deadlines": TaskDeadline.objects.count(),
        "regions": Region.objects.count(),
        "events": AuditEvent.objects.count(),
        "head": chain_head(),
    }
