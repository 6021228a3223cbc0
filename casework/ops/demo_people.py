"""The people of the demo households: a head, maybe a spouse, children and maybe a parent,
fake names with valid resident ID numbers (including the former 陇南地区 county code)."""

import datetime
import random

from faker import Faker
from stdnum.cn import ric

from casework.registry.models import Member

# 礼县 today is 621226; 622626 is its code under the former 陇南地区 (abolished), which older
# identity numbers still carry and which must be accepted.
ID_PREFIXES = ["621226", "621226", "621226", "622626"]


def make_resident_id(rng: random.Random, prefix: str, born: datetime.date, sex: str) -> str:
    sequence = rng.randrange(1, 499) * 2 + (1 if sex == "M" else 0)  # odd = male, even = female
    body = f"{prefix}{born:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def household_plan(rng: random.Random, fake: Faker, today: datetime.date) -> list[dict]:
    """Head, maybe a spouse, children and maybe a parent; fake people with valid numbers."""
    surname = fake.last_name()
    head_sex = rng.choice("MMMF")
    # 30 to 54: every head can take the demo workshop job (16–55), whatever their stage.
    head_born = today - datetime.timedelta(days=rng.randint(30 * 365, 54 * 365))
    people = [(Member.Relationship.HEAD, head_sex, head_born, surname)]
    if rng.random() < 0.85:
        spouse_born = head_born + datetime.timedelta(days=rng.randint(-3 * 365, 3 * 365))
        people.append(
            (
                Member.Relationship.SPOUSE,
                "F" if head_sex == "M" else "M",
                spouse_born,
                fake.last_name(),
            )
        )
    for _child in range(rng.choice([1, 2, 2, 3])):
        child_sex = rng.choice("MF")
        child_born = head_born + datetime.timedelta(days=rng.randint(20 * 365, 30 * 365))
        child_born = min(child_born, today - datetime.timedelta(days=365))
        relationship = (
            Member.Relationship.SON if child_sex == "M" else (Member.Relationship.DAUGHTER)
        )
        people.append((relationship, child_sex, child_born, surname))
    if rng.random() < 0.35:
        parent_born = head_born - datetime.timedelta(days=rng.randint(22 * 365, 30 * 365))
        people.append((Member.Relationship.PARENT, rng.choice("MF"), parent_born, surname))
    plan = []
    for relationship, sex, born, family in people:
        given = fake.first_name_male() if sex == "M" else fake.first_name_female()
        age = (today - born).days // 365
        plan.append(
            {
                "name": family + given,
                "document_type": Member.DocumentType.RESIDENT_ID,
                "document_number": make_resident_id(rng, rng.choice(ID_PREFIXES), born, sex),
                "relationship": relationship,
                "education": rng.choice(list(Member.Education.values)[1:]),
                "in_school": age < 18,
                "health": rng.choice(
                    [Member.Health.HEALTHY] * 8 + [Member.Health.CHRONIC, Member.Health.DISABLED]
                ),
                "labour_capacity": _capacity(rng, age),
                "phone": f"1{rng.choice('3578')}{rng.randrange(10**9):09d}" if age >= 18 else "",
                "political_status": (
                    Member.Political.PARTY if rng.random() < 0.08 else Member.Political.MASSES
                ),
            }
        )
    return plan


def _capacity(rng: random.Random, age: int) -> str:
    if age < 16:
        return Member.LabourCapacity.NONE
    if age >= 65:
        return rng.choice([Member.LabourCapacity.WEAK, Member.LabourCapacity.LOST])
    return rng.choice(
        [Member.LabourCapacity.ORDINARY] * 5
        + [Member.LabourCapacity.SKILLED] * 2
        + [Member.LabourCapacity.WEAK]
    )
