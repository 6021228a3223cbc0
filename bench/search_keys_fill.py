"""Time the registry migrations that add and fill the members' search keys on a register of a
given size (200,000 members by default) in a throwaway SQLite file, and how long another
writer has to wait meanwhile.

    .venv/bin/python bench/search_keys_fill.py [200000]

The database is migrated to ``registry 0003`` (before the keys), filled with households of
three members (names from common surnames, valid ID numbers) through the historical models,
then each later registry migration is applied on its own and timed. Meanwhile a second
connection writes one row to a table of its own every 0.2 s (``BEGIN IMMEDIATE``, as the
site's connections do) and the longest wait for the write lock is printed: a migration that
holds the lock in one transaction makes every page that writes wait (or fail after
``SQLITE_BUSY_TIMEOUT``) until it commits. Nothing is asserted: the numbers are printed.

Measured with 200,000 members on the shared 2-core machine (other test runs going on), in
seconds, and the other writer's longest wait:

    migrations as first written        0004 9.1 (wait 8.6)   0005 415.6 (wait 415.5)
    total 424.7
    columns / batched fill / indexes   0004 11.0 (wait 10.3)  0005 44.2 (wait 0.16)
                                       0006 20.8 (wait 20.2)  total 76.0

0004 and 0006 are SQLite table rebuilds (one per added or indexed column, as Django does on
SQLite), each one short transaction holding the lock.
"""

import os
import random
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.people import family  # noqa: E402 - after the project is on the path

BATCH = 5000


class LockProbe(threading.Thread):
    """Writes a row every 0.2 s on its own connection; keeps the longest wait for the lock."""

    def __init__(self, path: str) -> None:
        super().__init__(daemon=True)
        self.path, self.longest, self.writes, self.stopped = path, 0.0, 0, threading.Event()

    def run(self) -> None:
        db = sqlite3.connect(self.path, timeout=3600, isolation_level=None)
        db.execute("CREATE TABLE IF NOT EXISTS bench_probe (at REAL)")
        while not self.stopped.is_set():
            start = time.perf_counter()
            db.execute("BEGIN IMMEDIATE")
            self.longest = max(self.longest, time.perf_counter() - start)
            db.execute("INSERT INTO bench_probe VALUES (?)", (start,))
            db.execute("COMMIT")
            self.writes += 1
            self.stopped.wait(0.2)
        db.close()


def _fill(apps, members_wanted: int) -> None:
    rng = random.Random(17)  # noqa: S311 - fake people, not secrets
    site = apps.get_model("registry", "Site").objects.create(code="CITY", name="城区安置点")
    grid = apps.get_model("registry", "Grid").objects.create(site=site, code="G1", name="第1网格")
    Household = apps.get_model("registry", "Household")
    Member = apps.get_model("registry", "Member")
    serial = 0
    for start in range(0, members_wanted // 3, BATCH):
        households = Household.objects.bulk_create(
            Household(
                number=f"6212260{i:06d}",
                grid=grid,
                building=str(i % 40 + 1),
                unit="1",
                room=f"{i % 18 + 1}{i % 4 + 1:02d}",
            )  # fmt: skip
            for i in range(start, min(start + BATCH, members_wanted // 3))
        )
        members = []
        for household in households:
            fields, serial = family(rng, serial)
            members += [Member(household=household, **values) for values in fields]
        Member.objects.bulk_create(members)


def main(members: int) -> None:
    path = os.path.join(tempfile.gettempdir(), f"bench-search-keys-{os.getpid()}.sqlite3")
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def migrate(name: str) -> MigrationExecutor:
        # The executor, not the command: no post-migrate handlers on a half-migrated database.
        executor = MigrationExecutor(connection)
        executor.migrate([("registry", name)])
        return executor

    try:
        executor = migrate("0003_member_arrival_and_departure")
        state = executor.loader.project_state(("registry", "0003_member_arrival_and_departure"))
        start = time.perf_counter()
        _fill(state.apps, members)
        print(f"# {members} members written in {time.perf_counter() - start:.0f} s ({path})")
        nodes = executor.loader.graph.nodes
        later = sorted(name for app, name in nodes if app == "registry" and name[:4] > "0003")
        probe = LockProbe(path)
        probe.start()
        total = 0.0
        for name in later:
            probe.longest = 0.0
            start = time.perf_counter()
            migrate(name)
            took = time.perf_counter() - start
            total += took
            time.sleep(0.5)  # the other writer gets the lock the migration let go of
            waited = probe.longest
            print(f"{name:<40} {took:>7.1f} s   longest wait of another writer {waited:>6.2f} s")
        probe.stopped.set()
        probe.join()
        print(f"{'all':<40} {total:>7.1f} s   ({probe.writes} writes by the other connection)")
    finally:
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)


if __name__ == "__main__":
    main(int(sys.argv[1]) if sys.argv[1:] else 200_000)
