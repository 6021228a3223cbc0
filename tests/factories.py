"""Test data built through the services, so that every fixture row is a real, audited write."""

import datetime
import itertools
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from stdnum.cn import ric

from casework.registry import services
from casework.registry.models import Grid, Household, Member, Site

PASSWORD = "test-pass-123"
_sequence = itertools.count(1)


def resident_id(prefix: str = "621226", born: datetime.date | None = None, sex: str = "M") -> str:
    """A valid 18-character number; a fresh sequence each call keeps numbers unique. A birth
    date the caller gives is kept as given (a test of an age limit counts on it, however many
    numbers earlier tests took); without one, the date moves on a day every 499 numbers."""
    n = next(_sequence)
    serial = (n % 499) * 2 + (1 if sex == "M" else 0)
    day = born or datetime.date(1985, 6, 15) + datetime.timedelta(days=n // 499)
    body = f"{prefix}{day:%Y%m%d}{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


def user(username: str, role: str | None = None, **extra: Any) -> Any:
    account = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if role:
        account.groups.add(Group.objects.get(name=role))
    return account


def member_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "张三",
        "document_type": Member.DocumentType.RESIDENT_ID,
        "document_number": resident_id(),
        "relationship": Member.Relationship.SON,
        "labour_capacity": Member.LabourCapacity.ORDINARY,
        "phone": "13812345678",
    }
    data.update(overrides)
    return data


def household(
    actor: Any, grid: Grid, number: str | None = None, members: int = 0, **fields: Any
) -> Household:
    head = fields.pop("head", None) or member_data(name="李户主")
    created = services.household_register(
        actor=actor, number=number or f"H{next(_sequence):08d}", grid=grid, head=head, **fields
    )
    for index in range(members):
        services.member_add(actor=actor, household=created, **member_data(name=f"王成员{index}"))
    return created


def site_with_grids(actor: Any, code: str, grid_count: int = 2) -> tuple[Site, list[Grid]]:
    site = services.site_create(actor=actor, code=code, name=f"安置点{code}")
    grids = [
        services.grid_create(actor=actor, site=site, code=f"G{index}", name=f"{code}网格{index}")
        for index in range(1, grid_count + 1)
    ]
    return site, grids
