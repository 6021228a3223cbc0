"""Households and members through the ledger import's bulk registration
(``households_register_bulk``: households, members with their search keys, one
``household.import`` event each, and ``household_flows_start_bulk`` for their flows).

Each household has three members, a fourth in 13 of 25 (3.52 on average, as in 安康): a head
and a spouse of working capacity, a child at school in two households of three, and in the
four-member households an elder who has lost labour capacity.

Names are spread as in life: surnames by their frequency (王, 李 and 张 about one person in
fifteen each, a long tail after them); given names of one character in about one person in
seven, else two, from a pool of common characters for men and one for women. A common full
name such as 王伟 then belongs to about a hundred people of the city and a rarer one to a few,
so a search by name finds what it would in a real ledger: a short list that does not grow with
the city. (The first tiers drew from 20 surnames × 20 given names: 400 names among a million
people, so a name matched 13,000 people and a county user's search read 1,350 households.)
"""

import datetime

from django.db import transaction
from stdnum.cn import ric

from casework.registry.models import Grid, Household, Member
from casework.registry.registration import HouseholdRegistration, households_register_bulk

# The commonest surnames, most frequent first (each a rough share of people, in 0.1 %).
SURNAMES = (
    ("王", 71), ("李", 70), ("张", 65), ("刘", 53), ("陈", 45), ("杨", 31), ("黄", 22),
    ("赵", 20), ("吴", 19), ("周", 18), ("徐", 13), ("孙", 12), ("马", 12), ("朱", 11),
    ("胡", 11), ("郭", 11), ("何", 10), ("林", 9), ("罗", 9), ("高", 9), ("郑", 8),
    ("梁", 8), ("谢", 6), ("宋", 6), ("唐", 6), ("许", 5), ("韩", 5), ("冯", 5), ("邓", 5),
    ("曹", 5), ("彭", 5), ("曾", 4), ("肖", 4), ("田", 4), ("董", 4), ("袁", 4), ("潘", 4),
    ("于", 4), ("蒋", 4), ("蔡", 4), ("余", 3), ("杜", 3), ("叶", 3), ("程", 3), ("苏", 3),
    ("魏", 3), ("吕", 3), ("丁", 3), ("任", 3), ("沈", 3), ("姚", 2), ("卢", 2), ("姜", 2),
    ("崔", 2), ("钟", 2), ("谭", 2), ("陆", 2), ("汪", 2), ("范", 2), ("金", 2), ("石", 2),
    ("廖", 2), ("贾", 2), ("夏", 2), ("韦", 2), ("付", 2), ("方", 2), ("白", 2), ("邹", 2),
    ("孟", 2), ("熊", 2), ("秦", 2), ("邱", 2), ("江", 2), ("尹", 2), ("薛", 2), ("闫", 2),
    ("段", 2), ("雷", 2), ("侯", 2), ("龙", 2), ("史", 2), ("陶", 1), ("黎", 1), ("贺", 1),
    ("顾", 1), ("毛", 1), ("郝", 1), ("龚", 1), ("邵", 1), ("万", 1), ("钱", 1), ("严", 1),
    ("覃", 1), ("武", 1), ("戴", 1), ("莫", 1), ("孔", 1), ("向", 1), ("汤", 1),
)  # fmt: skip
SURNAME_DRAW = "".join(surname * share for surname, share in SURNAMES)
GIVEN_MEN = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林欢阳建国志兴文武德福成海春永"
GIVEN_WOMEN = "芳娜敏静丽艳娟霞秀英玲桂兰红梅琳燕雪萍婷慧琴云莉玉珍凤洁倩颖佳月彩晓丹亚琼蓉菊"
# One person in seven has a one-character given name.
ONE_CHARACTER = 7
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


def _mixed(*parts: int) -> int:
    """A well-spread 32-bit number from ``parts`` (the same for the same parts, in every run)."""
    value = 0x12345
    for part in parts:
        value = (value ^ part) * 0x9E3779B1 & 0xFFFFFFFF
        value ^= value >> 15
        value = value * 0x85EBCA77 & 0xFFFFFFFF
        value ^= value >> 13
    return value


def name_of(i: int, j: int) -> str:
    """The name of member ``j`` of household ``i``: the head's surname for the head, the child
    and the elder (the head's parent), the spouse's own; a man's or a woman's given name."""
    family = _mixed(i, 1 if j == 1 else 0)
    surname = SURNAME_DRAW[family % len(SURNAME_DRAW)]
    pool = GIVEN_MEN if (j + i) % 2 == 0 else GIVEN_WOMEN
    given = _mixed(i, j, 2)
    first, second = pool[given % len(pool)], pool[(given >> 8) % len(pool)]
    if (given >> 16) % ONE_CHARACTER == 0:
        return surname + first
    return surname + first + second


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
