"""The demo's year: a second site in another township of the county, twelve months of monthly
work records (务工月监测) for every labour member, the months before last closed, and a county
bureau account, so that the month-end dashboard has a county, two townships, two sites and a
year of trend to show. Seeded: every run writes the same history, once."""

import datetime
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from faker import Faker

from casework.cases.models import Assessment, HouseholdCase
from casework.cases.selectors import is_labour_member
from casework.monitoring.models import MonthlyWorkRecord, NotWorkingReason, WorkMonthClosure
from casework.monitoring.selectors import month_before, month_last_day, month_of
from casework.ops.demo_people import household_plan
from casework.pairing.models import Visit
from casework.permissions import roles
from casework.placement.models import LOCAL_CHANNELS
from casework.policy.codes import LocationClass
from casework.policy.models import Code
from casework.policy.selectors import codes_active
from casework.registry import services
from casework.registry.models import Grid, Household, Member, Region, Site
from casework.reports.monthly.dates import months_ending

SECOND_SITE = "LX-SQ-01"
HOUSEHOLDS_PER_GRID = 12
EMPLOYERS = [
    "礼县苹果产业园",
    "城关镇帮扶车间",
    "西安建筑工地",
    "宁波电子厂",
    "个体经营",
    "县城物业公司",
]
INDUSTRIES = ["农产品加工", "服装加工", "建筑", "电子制造", "餐饮", "物业服务"]


def demo_second_site(admin: Any, county: Region) -> list[Grid]:
    """石桥镇's site with two grids of twelve registered households each (registering starts
    their assessment; nothing further)."""
    grids = demo_second_site_grids(admin, county)
    _second_site_households(admin, county, grids)
    return grids


def demo_second_site_grids(admin: Any, county: Region) -> list[Grid]:
    """石桥镇's site and its two grids, without households."""
    site = Site.objects.filter(code=SECOND_SITE).first() or services.site_create(
        actor=admin, code=SECOND_SITE, name="石桥镇易地扶贫搬迁安置点", county=county,
        township="石桥镇", planned_households=24,
    )  # fmt: skip
    grids = []
    for index, name in enumerate(["石桥一网格", "石桥二网格"], start=1):
        code = f"G{index:02d}"
        grid = Grid.objects.filter(site=site, code=code).first() or services.grid_create(
            actor=admin, site=site, code=code, name=name
        )
        grids.append(grid)
    return grids


def _second_site_households(admin: Any, county: Region, grids: list[Grid]) -> None:
    rng = random.Random(20261130)  # noqa: S311 - demo data, seeded
    fake = Faker("zh_CN")
    fake.seed_instance(20261130)
    origin = Region.objects.filter(level=Region.Level.VILLAGE, parent=county).first()
    for grid_index, grid in enumerate(grids):
        for index in range(1, HOUSEHOLDS_PER_GRID + 1):
            number = f"6212261{grid_index + 1:02d}{index:04d}"
            head, *others = household_plan(rng, fake, datetime.date(2026, 11, 1))
            if Household.objects.filter(number=number).exists():
                continue
            household = services.household_register(
                actor=admin, number=number, grid=grid, building=str(1 + (index - 1) // 4),
                unit="1", room=f"{1 + (index - 1) % 4}01", origin_region=origin,
                origin_address=f"{origin.name if origin else ''}{rng.randint(1, 9)}组",
                phone=head["phone"], head=head,
            )  # fmt: skip
            for member in others:
                services.member_add(actor=admin, household=household, **member)


def _latest_assessments() -> dict[int, Assessment]:
    latest: dict[int, Assessment] = {}
    for assessment in Assessment.objects.order_by("member_id", "version"):
        latest[assessment.member_id] = assessment
    return latest


def demo_work_history(admin: Any, today: datetime.date, left_to_enter: Grid) -> int:
    """Twelve months of records, up to last month, for every labour member of every site: a
    share in work rising over the year, each person mostly keeping their job, location and
    channel; the months before last closed. Last month of ``left_to_enter`` is left for its
    caseworker to enter (the demo's 务工月监测). Returns the records written (none on a
    rerun)."""
    if MonthlyWorkRecord.objects.exists():
        return 0
    rng = random.Random(202611)  # noqa: S311 - demo data, seeded
    months = months_ending(month_before(month_of(today)), 12)
    channels = [c.code for c in codes_active(Code.List.CHANNEL, on=months[0])]
    latest = _latest_assessments()
    members = Member.objects.select_related("household__grid").order_by("pk")
    rows = []
    for member in members:
        if not is_labour_member(member, latest.get(member.pk)):
            continue
        keen = rng.uniform(0.15, 0.75)
        channel = rng.choice(channels)
        where = LocationClass.COUNTY if channel in LOCAL_CHANNELS else rng.choice(
            [LocationClass.COUNTY, LocationClass.PROVINCE, LocationClass.OUTSIDE]
        )  # fmt: skip
        working = False
        for index, month in enumerate(months):
            if month == months[-1] and member.household.grid_id == left_to_enter.pk:
                continue
            chance = 0.85 if working else keen * (0.45 + 0.6 * index / 11)
            working = rng.random() < chance
            work: dict[str, Any] = {"not_working_reason": rng.choice(
                [NotWorkingReason.SEEKING, NotWorkingReason.CARE, NotWorkingReason.FARMING]
            )}  # fmt: skip
            if working:
                work = {
                    "location_class": where, "channel": channel,
                    "employer_name": rng.choice(EMPLOYERS), "industry": rng.choice(INDUSTRIES),
                    "monthly_income": Decimal(rng.randrange(2200, 5200, 100)),
                    "days_worked": rng.randint(18, 26),
                }  # fmt: skip
            recorded = datetime.datetime.combine(month_last_day(month), datetime.time(17))
            rows.append(MonthlyWorkRecord(
                member=member, household_id=member.household_id, grid=member.household.grid,
                month=month, working=working,
                recorded_by=admin, recorded_at=timezone.make_aware(recorded), **work,
            ))  # fmt: skip
    MonthlyWorkRecord.objects.bulk_create(rows, batch_size=500)
    for site in Site.objects.all():
        for month in months[:-2]:
            WorkMonthClosure.objects.get_or_create(
                site=site, month=month,
                defaults={"closed_by": admin, "closed_at": timezone.make_aware(
                    datetime.datetime.combine(month_last_day(month), datetime.time(18))
                )},
            )  # fmt: skip
    _followed_over_the_year(admin, months[0], today)
    return len(rows)


def _followed_over_the_year(admin: Any, first: datetime.date, today: datetime.date) -> None:
    """The households with a year of records were followed for that year: their assistance
    case opened before its first month, and visits every few weeks (now and then late), so that
    the month-end figures' visits on time have a history."""
    rng = random.Random(2026113)  # noqa: S311 - demo data, seeded
    followed = Household.objects.filter(members__work_months__month=first).distinct()
    opened = timezone.make_aware(datetime.datetime.combine(first, datetime.time(9)))
    HouseholdCase.objects.filter(household__in=followed).update(opened_at=opened)
    visits = []
    for household in followed.order_by("pk"):
        day = first + datetime.timedelta(days=rng.randint(0, 20))
        while day < today:
            visits.append(Visit(
                household=household, visitor=admin, date=day, mode=rng.choice(
                    [Visit.Mode.HOME, Visit.Mode.HOME, Visit.Mode.PHONE]),
                thinking_stable=True, policy_understood=True, life_happy=True,
                industry_developing=rng.random() < 0.8, problems_solved=rng.random() < 0.9,
            ))  # fmt: skip
            day += datetime.timedelta(days=rng.choice([7, 14, 21, 28, 30, 45]))
    Visit.objects.bulk_create(visits, batch_size=500)


def demo_county_bureau(admin: Any, county: Region, password: str) -> None:
    """县人社局: an account reading the county's figures (the demo's manager manages the
    second site too: every demo household has someone who works it)."""
    user, created = get_user_model().objects.get_or_create(
        username="county", defaults={"first_name": "县人社局"}
    )
    if created:
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=roles.COUNTY))
        services.jurisdiction_grant_county(actor=admin, user=user, county=county)
        manager = get_user_model().objects.get(username="manager")
        services.jurisdiction_grant_site(
            actor=admin, user=manager, site=Site.objects.get(code=SECOND_SITE)
        )
