"""The month-end dashboard at a county (1,470 households) and in a city (268,600 households):
how long the nightly build of the month-end figures takes, and the county page's time and
queries read from them. Run through ``bench/dashboard.py month [1470 268600]``.

Each size runs in its own process on a throwaway test database. The city is ten counties of
sites of about 600 households (four grids each, four sites a township); the 1,470-household
county is three sites. Rows are written with ``bulk_create`` (the figures read only these):
each household has a head and a spouse of working capacity, and both have a monthly work
record for last month and the month before (about 70 % working, spread over the three work
locations and four channels); each household has an open assistance case and every other one
a visit last month (no workflow tasks or audit events are generated). Then:
``month_figures_build`` of this month and the twelve before (once); this month's figures of
the county counted live (``month_figures_count``, what a page does for a month no build has
stored); and, through ``django.test.Client`` as the county's
bureau, the county page and the list behind its number in work (median of 5 after one warm-up,
with the queries of one).
"""

import datetime
import time

from stdnum.cn import ric

from bench.sizes import median_time

SITE_HOUSEHOLDS = 600
GRIDS_PER_SITE = 4
SITES_PER_TOWNSHIP = 4
CITY_COUNTIES = 10
CHANNELS = ("enterprise", "workshop", "migration", "self_employed")
LOCATIONS = ("county", "county", "province", "outside")


def _document(n: int) -> str:
    born = datetime.date(1970, 1, 1) + datetime.timedelta(days=n // 900)
    body = f"610902{born:%Y%m%d}{(n % 900):03d}"
    return body + ric.calc_check_digit(body + "0")


def _structure(households: int):
    from casework.registry.models import Grid, Region, Site

    counties = 1 if households < 10_000 else CITY_COUNTIES
    sites = max(3, round(households / SITE_HOUSEHOLDS))
    regions = [
        Region.objects.create(code=f"6109{c:02d}000000", name=f"县{c:02d}", level="county")
        for c in range(counties)
    ]
    site_rows = [
        Site(
            code=f"S{s:04d}",
            name=f"安置点{s:04d}",
            county=regions[s % counties],
            township=f"镇{(s // counties) // SITES_PER_TOWNSHIP:03d}",
        )  # fmt: skip
        for s in range(sites)
    ]
    Site.objects.bulk_create(site_rows, batch_size=1000)
    Grid.objects.bulk_create(
        [
            Grid(site=site, code=f"G{g}", name=f"{site.name}网格{g}")
            for site in Site.objects.all()
            for g in range(GRIDS_PER_SITE)
        ],  # fmt: skip
        batch_size=2000,
    )
    return regions[0], list(Grid.objects.order_by("pk").values_list("pk", flat=True))


def _people(households: int, grid_ids: list[int], months: list[datetime.date], admin) -> None:
    from django.utils import timezone

    from casework.monitoring.models import MonthlyWorkRecord
    from casework.registry.models import Household, Member

    batch = 20_000
    now = timezone.now()
    for start in range(0, households, batch):
        numbers = range(start, min(start + batch, households))
        Household.objects.bulk_create(
            [Household(number=f"H{i:07d}", grid_id=grid_ids[i % len(grid_ids)]) for i in numbers],
            batch_size=5000,
        )
        made = dict(Household.objects.filter(number__in=[f"H{i:07d}" for i in numbers])
                    .values_list("number", "pk"))  # fmt: skip
        members = []
        for i in numbers:
            for j, relation in enumerate(("head", "spouse")):
                members.append(Member(
                    household_id=made[f"H{i:07d}"], name=f"成员{i}-{j}", relationship=relation,
                    document_number=_document(2 * i + j), sex="M" if j == 0 else "F",
                    birth_date=datetime.date(1975, 1, 1),
                ))  # fmt: skip
        Member.objects.bulk_create(members, batch_size=5000)
        rows = []
        for member in Member.objects.filter(household_id__in=made.values()).values(
            "pk", "household_id", "household__grid_id"
        ):
            for k, month in enumerate(months):
                seed = member["pk"] * 7 + k
                working = seed % 10 < 7
                work = {"location_class": LOCATIONS[seed % 4], "channel": CHANNELS[seed % 4],
                        "monthly_income": 3000, "days_worked": 22} if working else {
                        "not_working_reason": "seeking"}  # fmt: skip
                rows.append(MonthlyWorkRecord(
                    member_id=member["pk"], household_id=member["household_id"],
                    grid_id=member["household__grid_id"], month=month,
                    working=working, recorded_by=admin, recorded_at=now, **work,
                ))  # fmt: skip
        MonthlyWorkRecord.objects.bulk_create(rows, batch_size=5000)
        _followed(list(made.values()), months[-1], admin)


def _followed(household_ids: list[int], month: datetime.date, admin) -> None:
    """Each household an open assistance case from a year before, and every other one a visit
    on the 20th of ``month`` (the quality figures' visits on time read these)."""
    from casework.cases.models import HouseholdCase
    from casework.pairing.models import Visit

    HouseholdCase.objects.bulk_create(
        [HouseholdCase(household_id=pk) for pk in household_ids], batch_size=5000
    )
    a_year_before = month - datetime.timedelta(days=365)
    HouseholdCase.objects.filter(household_id__in=household_ids).update(
        opened_at=datetime.datetime.combine(a_year_before, datetime.time(9), datetime.UTC)
    )
    Visit.objects.bulk_create(
        [
            Visit(
                household_id=pk,
                visitor=admin,
                date=month.replace(day=20),
                mode="home",
                thinking_stable=True,
                policy_understood=True,
                life_happy=True,
                industry_developing=True,
                problems_solved=True,
            )  # fmt: skip
            for pk in household_ids[::2]
        ],
        batch_size=5000,
    )


def measure(households: int) -> None:
    from django.test import Client
    from django.utils import timezone

    from casework.monitoring.selectors import month_before, month_of
    from casework.permissions import roles
    from casework.registry.models import Grid
    from casework.registry.services import jurisdiction_grant_county
    from casework.reports.monthly.dates import months_to_build
    from casework.reports.monthly.quality import month_figures_count
    from casework.reports.monthly.services import month_figures_build
    from tests import factories

    admin = factories.user("admin", roles.ADMIN, is_superuser=True, is_staff=True)
    bureau = factories.user("bureau", roles.COUNTY)
    this_month = month_of(timezone.localdate())
    last = month_before(this_month)
    start = time.perf_counter()
    county, grid_ids = _structure(households)
    _people(households, grid_ids, [month_before(last), last], admin)
    jurisdiction_grant_county(actor=admin, user=bureau, county=county)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    month_figures_build(months=months_to_build(timezone.localdate()))
    built = time.perf_counter() - start
    county_grids = list(Grid.objects.filter(site__county=county).values_list("pk", flat=True))
    live = median_time(lambda: month_figures_count(county_grids, [last]))
    client = Client()
    client.force_login(bureau)
    unit = f"county:{county.pk}"
    month = f"{last:%Y-%m}"

    def page() -> None:
        assert client.get("/figures/", {"unit": unit, "month": month}).status_code == 200

    def people() -> None:
        query = {"unit": unit, "month": month, "figure": "working"}
        assert client.get("/figures/people/", query).status_code == 200

    shown = median_time(page, runs=5)
    listed = median_time(people, runs=5)
    in_county = Grid.objects.filter(site__county=county).count()
    print(
        f"{households:>9} {in_county:>6} {generated:>7.1f} {built:>8.2f} "
        f"{live[0]:>8.3f} {live[1]:>3} {shown[0]:>8.3f} {shown[1]:>3} "
        f"{listed[0]:>8.3f} {listed[1]:>3}",
        flush=True,
    )


HEADER = ("househlds", "grids", "fill s", "build s", "live s", "q", "page s", "q", "list s", "q")
HEADER_FORMAT = "{:>9} {:>6} {:>7} {:>8} {:>8} {:>3} {:>8} {:>3} {:>8} {:>3}"
