"""Households and members through the ledger import's bulk registration
(``households_register_bulk``: households, members with their search keys, one
``household.import`` event each, and ``household_flows_start_bulk`` for their flows).

Each household has three members, a fourth in 13 of 25 (3.52 on average, as in 安康): a head
and a spouse of working capacity, a child at school in two households of three, and in the
four-member households an elder who has lost labour capacity. Names repeat as in life (a few
surnames, common given names), so a search by name finds several people.
"""

import datetime

from django.db import transaction
from stdnum.cn import ric

from casework.registry.models import Grid, Household, Member
from casework.registry.registration import HouseholdRegistration, households_register_bulk

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["秀英", "桂英", "建国", "建华", "志强", "海燕", "丽娟", "晓梅", "国强", "红梅",
         "永红", "明", "伟", "芳", "军", "勇", "静", "敏", "磊", "洋"]  # fmt: skip
RELATIONS = ("head", "spouse", "son", "parent")
BORN = (datetime.date(1972, 1, 1), datetime.date(1974, 1, 1), datetime.date(2001, 1, 1),
        datetime.date(1948, 1, 1))  # fmt: skip
COLOURS = ("green", "green", "yellow", "red")


def member_count(i: int) -> int:
    return 4 if i % 25 < 13 else 3


def child_in_school(i: int) -> bool:
    return i % 3 != 2


def labour_members(i: int) -> list[int]:
    """The positions (0 head, 1 spouse, 2 child, 3 elder) of the household's labour members."""
    return [0, 1] if child_in_school(i) else [0, 1, 2]


def name_of(i: int, j: int) -> str:
    surname = SURNAMES[(i * 7 + (j == 1) * 3) % len(SURNAMES)]
    return surname + GIVEN[(i * 3 + j * 11) % len(GIVEN)]


def _document(tier_prefix: str, j: int, n: int, male: bool) -> str:
    area = {"LX": "6212"}.get(tier_prefix, "6109")  # 礼县 in 陇南; 安康
    born = BORN[j] + datetime.timedelta(days=n // 500)
    body = f"{area}{j:02d}{born:%Y%m%d}{(n % 500) * 2 + (1 if male else 0):03d}"
    return body + ric.calc_check_digit(body + "0")


def registration(tier_prefix: str, i: int, grid: Grid, first_member: int) -> HouseholdRegistration:
    """Household number ``i`` of the tier, in ``grid``; its members numbered from
    ``first_member`` (unique identity numbers)."""
    members = []
    for j in range(member_count(i)):
        male = (j + i) % 2 == 0
        born = BORN[j] + datetime.timedelta(days=(first_member + j) // 500)
        members.append(
            {
                "name": name_of(i, j),
                "document_type": Member.DocumentType.RESIDENT_ID,
                "document_number": _document(tier_prefix, j, first_member + j, male),
                "sex": "M" if male else "F",
                "birth_date": born,
                "relationship": RELATIONS[j],
                "labour_capacity": "lost" if j == 3 else "ordinary",
                "in_school": j == 2 and child_in_school(i),
                "phone": f"139{(first_member + j) % 10**8:08d}",
            }
        )
    fields = {
        "grid": grid,
        "building": str(1 + (i // 120) % 40),
        "unit": str(1 + i % 4),
        "room": f"{1 + (i // 4) % 30:02d}01",
        "household_type": "lifted",
        "colour": COLOURS[i % 4],
        "phone": f"138{i % 10**8:08d}",
    }
    return HouseholdRegistration(f"{tier_prefix}{i:08d}", fields, members)


def households_register(
    tier_prefix: str, first: int, grids: list[tuple[Grid, int]]
) -> list[Household]:
    """Register the households of ``grids`` (each with its count), numbered from ``first``,
    in one transaction through the ledger import's bulk path."""
    regs: list[HouseholdRegistration] = []
    i = first
    # Members before household ``first``: three each, a fourth in 13 of every 25.
    member = 3 * first + (first // 25) * 13 + min(first % 25, 13)
    for grid, count in grids:
        for _n in range(count):
            regs.append(registration(tier_prefix, i, grid, member))
            member += member_count(i)
            i += 1
    with transaction.atomic():
        return households_register_bulk(actor=None, households=regs)
