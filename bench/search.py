"""Time the household list's search (``registry.selectors.household_list`` with a term, and the
list page itself) on a city-sized register: 268,600 households of three members (or the sizes
given).

    .venv/bin/python bench/search.py [268600 ...]          # SQLite (the test settings)
    DATABASE_URL=postgres://… .venv/bin/python bench/search.py 268600

Each size runs in its own process on a throwaway test database. Households spread over 100
grids of one site, in buildings of 4 units and 18 floors; members get common surnames, one- or
two-character given names, valid ID numbers, and search keys set as the services set them
(timed: "keys"). Users: the superuser (sees all), a caseworker of one grid, a helper paired with
three households. For each term and user: the page's two queries (count, first 25 rows) through
the selector, median of 5 runs after a warm-up; then the caseworker's page through the test
client. "contains" is the search before the keys (``name LIKE '%…%'`` over all members), for
comparison. Nothing is asserted: the numbers are printed.
"""

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.people import family  # noqa: E402 - after the project is on the path
from bench.sizes import run  # noqa: E402

GRIDS = 100
BATCH = 5000


def _time(action, runs: int = 5) -> float:
    action()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _build(households: int, grids, rng: random.Random) -> float:
    """Households and members in bulk; returns the seconds spent setting search keys."""
    from casework.registry.models import Household, Member
    from casework.registry.search import member_search_keys_set

    keys_seconds = 0.0
    serial = 0
    for start in range(0, households, BATCH):
        rows = []
        for i in range(start, min(start + BATCH, households)):
            rows.append(
                Household(
                    number=f"6212260{i:06d}",
                    grid=grids[i % GRIDS],
                    building=str(rng.randint(1, 40)),
                    unit=str(rng.randint(1, 4)),
                    room=f"{rng.randint(1, 18)}{rng.randint(1, 4):02d}",
                )
            )
        created = Household.objects.bulk_create(rows)
        members = []
        for household in created:
            fields, serial = family(rng, serial)
            members += [Member(household=household, **values) for values in fields]
        start_keys = time.perf_counter()
        for member in members:
            member_search_keys_set(member)
        keys_seconds += time.perf_counter() - start_keys
        Member.objects.bulk_create(members)
    return keys_seconds


def measure(households: int) -> None:
    from django.db import connection
    from django.test import Client

    from casework.pairing.services import pairing_create
    from casework.permissions import roles
    from casework.registry import services
    from casework.registry.models import Household, Member
    from casework.registry.selectors import household_list
    from tests import factories

    rng = random.Random(17)  # noqa: S311 - fake people, not secrets
    admin = factories.user("admin", roles.ADMIN, is_superuser=True, is_staff=True)
    site = services.site_create(actor=admin, code="CITY", name="城区安置点")
    grids = [
        services.grid_create(actor=admin, site=site, code=f"G{n:03d}", name=f"第{n}网格")
        for n in range(GRIDS)
    ]
    start = time.perf_counter()
    keys_seconds = _build(households, grids, rng)
    built = time.perf_counter() - start
    connection.queries_log.clear()

    caseworker = factories.user("caseworker", roles.CASEWORKER)
    services.jurisdiction_grant_grid(actor=admin, user=caseworker, grid=grids[0])
    helper = factories.user("helper", roles.HELPER)
    paired = list(Household.objects.filter(grid=grids[0]).order_by("pk")[:3])
    for household in paired:
        pairing_create(actor=caseworker, helper=helper, household=household, kind="party")

    # Terms about a member of the caseworker's grid (the helper's first household's head).
    target = Member.objects.select_related("household").get(
        household=paired[0], relationship="head"
    )
    home = target.household
    terms = {
        "(no search)": "",
        "full pinyin": target.name_pinyin,
        "initials": target.name_initials,
        "name": target.name,
        "surname": target.name[0],
        "ID last four": target.document_tail,
        "building-room": f"{home.building}-{home.room}",
        "room only": home.room,
        "household no.": home.number,
        "one letter": "z",
        "nothing found": "qqqx",
    }
    members_total = Member.objects.count()
    print(
        f"# {connection.vendor}: {households} households, {members_total} members, built in "
        f"{built:.0f} s (search keys {keys_seconds:.1f} s, "
        f"{keys_seconds / members_total * 1e6:.0f} µs a member)"
    )
    users = {"superuser": admin, "caseworker": caseworker, "helper": helper}
    for label, term in terms.items():
        cells = []
        for user in users.values():
            found = household_list(user=user, search=term)

            def page(found=found):
                return found.count(), list(found[:25])

            count = page()[0]
            cells.append(f"{_time(page):>8.1f} {count:>7}")
        print(f"{label:>14} {term!r:>18} " + " ".join(cells))

    client = Client()
    client.force_login(caseworker)
    for label in ("initials", "ID last four", "building-room", "nothing found"):
        query = {"_search": terms[label]}
        assert client.get("/registry/household/", query).status_code == 200
        ms = _time(lambda query=query: client.get("/registry/household/", query))
        print(f"{'page ' + label:>33}  caseworker {ms:>8.1f} ms (whole page)")
    given = target.name[1:]
    ms = _time(lambda: Member.objects.filter(name__contains=given).count(), runs=3)
    print(f"{'contains':>14} {given!r:>18}  (all members, LIKE '%…%') {ms:>8.1f} ms")


if __name__ == "__main__":
    run(
        __file__,
        measure,
        [268600],
        ("term", "typed", "superuser ms", "found", "caseworker ms", "found", "helper ms", "found"),
        "{:>14} {:>18} {:>8} {:>7} {:>8} {:>7} {:>8} {:>7}",
    )
