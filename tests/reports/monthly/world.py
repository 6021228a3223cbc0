"""The month-end figures' test world: records, assessments and jobs around a past month."""

import datetime
import itertools
import random
from decimal import Decimal

from django.utils import timezone

from casework.cases.models import Assessment, Category, EmploymentCase
from casework.monitoring.models import MonthlyWorkRecord
from casework.placement.models import Placement
from casework.registry.models import Member
from tests import factories

MONTH = datetime.date(2026, 8, 1)  # the past month whose figures are checked
BEFORE, AFTER = datetime.date(2026, 7, 1), datetime.date(2026, 9, 1)
LOCATIONS = ("county", "province", "outside")
CHANNELS = ("enterprise", "workshop", "public_welfare", "self_employed")


def moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def record(member: Member, grid, month: datetime.date, working: bool, rng, admin) -> None:
    work = {
        "location_class": rng.choice(LOCATIONS), "channel": rng.choice(CHANNELS),
        "monthly_income": Decimal("2800"), "days_worked": 22,
    } if working else {"not_working_reason": "seeking"}  # fmt: skip
    MonthlyWorkRecord.objects.create(
        member=member, household=member.household, grid=grid, month=month, working=working,
        recorded_by=admin,
        recorded_at=moment(month), **work,
    )  # fmt: skip


def assess(member: Member, category: str, on: datetime.date, version: int, admin) -> None:
    made = Assessment.objects.create(
        member=member, household_case=member.household.cases.get(), version=version,
        category=category, labour_capacity="ordinary", assessed_by=admin, review="approved",
    )  # fmt: skip
    Assessment.objects.filter(pk=made.pk).update(assessed_at=moment(on))


def place(member: Member, start: datetime.date, end: datetime.date | None, admin) -> None:
    case = EmploymentCase.objects.create(
        member=member, household_case=member.household.cases.get(), category="capable",
        state="employed",
    )  # fmt: skip
    Placement.objects.create(
        member=member, case=case, channel="enterprise", start_date=start, end_date=end,
        location_class="county", monthly_income=Decimal("2600"), recorded_by=admin,
    )  # fmt: skip


def build_months(world):
    """Twelve households over grids A1 and A2 (and one in B1), each member with records for
    July, August and September drawn at random (seeded), assessments before, during and after
    August, and jobs starting and ending around it."""
    rng = random.Random(23)
    admin = world.admin
    grids = [world.grid_a1, world.grid_a2, world.grid_b1]
    for index in range(12):
        grid = grids[index % 3]
        household = factories.household(admin, grid, number=f"M-{index:04d}", members=2)
        for member in household.members.all():
            for month in (BEFORE, MONTH, AFTER):
                if rng.random() < 0.85:  # some members have no record for a month
                    record(member, grid, month, rng.random() < 0.5, rng, admin)
            version = itertools.count(1)
            for day in (datetime.date(2026, 6, 20), datetime.date(2026, 8, 31),
                        datetime.date(2026, 9, 1)):  # fmt: skip
                if rng.random() < 0.6:
                    category = rng.choice([Category.CAPABLE, Category.TRAINING,
                                           Category.THREE_NO])  # fmt: skip
                    assess(member, category, day, next(version), admin)
            start = rng.choice([datetime.date(2026, 7, 31), datetime.date(2026, 8, 1),
                                datetime.date(2026, 8, 31), datetime.date(2026, 9, 1)])  # fmt: skip
            end = rng.choice([None, datetime.date(2026, 8, 15), datetime.date(2026, 9, 2)])
            if rng.random() < 0.7:
                place(member, start, end if end is None or end >= start else None, admin)
    return world
