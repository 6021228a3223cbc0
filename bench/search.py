"""Time the household list and its search (``registry.selectors.household_list`` through the
list page's own paginator, and the page itself) on a city-sized register, for four people: a
caseworker of three grids (450 households), the manager of one site (600 households), a county
user managing 45 sites (27,000 households) and the superuser (all of them).

    .venv/bin/python bench/search.py [100000 ...]           # SQLite (the test settings)
    scripts/with-postgres .venv/bin/python bench/search.py 100000

Each size runs in its own process on a throwaway test database. Households spread over grids of
150 households and sites of four grids, in buildings of 4 units and 18 floors; members
(``bench.people``) get search keys set as the services set them. For each term and person the
list page's two reads (the count as the page shows it, the first 25 rows) run 15 times after a
warm-up: median and p95 in ms, and the count shown. Then each person's whole page through the
test client, without and with a search. Nothing is asserted: the numbers are printed.
"""

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.people import family, origin_address  # noqa: E402 - after the project is on the path
from bench.sizes import run  # noqa: E402

GRID_SIZE = 150
GRIDS_PER_SITE = 4
CASEWORKER_GRIDS = 3
COUNTY_SITES = 45
BATCH = 5000
RUNS = 15


def _times(action, runs: int = RUNS) -> tuple[float, float]:
    action()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95


def build(households: int, rng: random.Random):
    """Sites, grids, households and members in bulk; returns the superuser and the grids."""
    from casework.permissions import roles
    from casework.registry import services
    from casework.registry.models import Household, Member
    from casework.registry.search import member_search_keys_set
    from tests import factories

    admin = factories.user("admin", roles.ADMIN, is_superuser=True, is_staff=True)
    grids = []
    for n in range(max(1, -(-households // GRID_SIZE))):
        if n % GRIDS_PER_SITE == 0:
            code = f"S{n // GRIDS_PER_SITE:03d}"
            site = services.site_create(actor=None, code=code, name=f"第{code}安置点")
        grids.append(
            services.grid_create(actor=None, site=site, code=f"G{n:04d}", name=f"第{n}网格")
        )
    serial = 0
    for start in range(0, households, BATCH):
        rows = [
            Household(
                number=f"6212260{i:06d}",
                grid=grids[i // GRID_SIZE],
                building=str(rng.randint(1, 40)),
                unit=str(rng.randint(1, 4)),
                room=f"{rng.randint(1, 18)}{rng.randint(1, 4):02d}",
                origin_address=origin_address(rng),
            )
            for i in range(start, min(start + BATCH, households))
        ]
        members = []
        for household in Household.objects.bulk_create(rows):
            fields, serial = family(rng, serial)
            members += [Member(household=household, **values) for values in fields]
        for member in members:
            member_search_keys_set(member)
        Member.objects.bulk_create(members)
    return admin, grids


def personas(admin, grids) -> dict:
    """The caseworker (first three grids), the manager (the first site), the county user (the
    first 45 sites) and the superuser."""
    from casework.permissions import roles
    from casework.registry import services
    from casework.registry.models import Site
    from tests import factories

    caseworker = factories.user("caseworker", roles.CASEWORKER)
    for grid in grids[:CASEWORKER_GRIDS]:
        services.jurisdiction_grant_grid(actor=None, user=caseworker, grid=grid)
    manager = factories.user("manager", roles.MANAGER)
    services.jurisdiction_grant_site(actor=None, user=manager, site=grids[0].site)
    county = factories.user("county", roles.MANAGER)
    for site in Site.objects.order_by("code")[:COUNTY_SITES]:
        services.jurisdiction_grant_site(actor=None, user=county, site=site)
    return {"caseworker": caseworker, "manager": manager, "county": county, "superuser": admin}


def terms_about(grid) -> dict[str, str]:
    """Terms that find a member of ``grid`` (its first household's head), and some that don't."""
    from casework.registry.models import Member

    target = (
        Member.objects.select_related("household")
        .filter(household__grid=grid, relationship="head")
        .order_by("household__number")
        .first()
    )
    home = target.household
    return {
        "(no search)": "",
        "full pinyin": target.name_pinyin,
        "initials": target.name_initials,
        "name": target.name,
        "surname": target.name[0],
        "ID last four": target.document_tail,
        "building-room": f"{home.building}-{home.room}",
        "household no.": home.number,
        "village": "柳林村",
        "one letter": "z",
        "nothing found": "qqqx",
    }


def _analyze() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def measure(households: int) -> None:
    from django.db import connection
    from django.test import Client

    from casework.common.paging import BoundedPaginator
    from casework.registry.models import Member
    from casework.registry.selectors import household_list

    rng = random.Random(17)  # noqa: S311 - fake people, not secrets
    start = time.perf_counter()
    admin, grids = build(households, rng)
    users = personas(admin, grids)
    _analyze()
    built = time.perf_counter() - start
    members_total = Member.objects.count()
    print(
        f"# {connection.vendor}: {households} households, {members_total} members, "
        f"{len(grids)} grids; built in {built:.0f} s; median / p95 ms, count shown"
    )
    for label, term in terms_about(grids[0]).items():
        cells = []
        for user in users.values():
            found = household_list(user=user, search=term)

            def page(found=found):
                paginator = BoundedPaginator(found, 25)
                shown = f">{paginator.more_than}" if paginator.more_than else paginator.count
                return shown, list(paginator.page(1).object_list)

            shown = page()[0]
            median, p95 = _times(page)
            cells.append(f"{median:>7.1f} {p95:>7.1f} {shown:>10}")
        print(f"{label:>13} {term!r:>15} " + " ".join(cells))

    for label, query in (("page", {}), ("page search", {"_search": "z"})):
        cells = []
        for user in users.values():
            client = Client()
            client.force_login(user)
            assert client.get("/registry/household/", query).status_code == 200
            median, p95 = _times(lambda query=query, c=client: c.get("/registry/household/", query))
            cells.append(f"{median:>7.1f} {p95:>7.1f} {'':>10}")
        print(f"{label:>13} {query.get('_search', '')!r:>15} " + " ".join(cells))


if __name__ == "__main__":
    people = ("caseworker", "manager", "county", "superuser")
    run(
        __file__,
        measure,
        [100000],
        ("term", "typed", *[h for p in people for h in (p, "p95", "shown")]),
        "{:>13} {:>15} " + " ".join(["{:>7} {:>7} {:>10}"] * len(people)),
    )
