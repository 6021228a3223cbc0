"""Time the consistency check (``casework.ops.consistency.consistency_breaches``) on 10,000 and
100,000 households (or the sizes given).

    .venv/bin/python bench/consistency.py [10000 100000 268600]

Each size runs in its own process on a throwaway test database filled by
``tests.reports.bulk.bulk_households`` (three members a household with assessments and cases,
but no workflow processes: every open case is then a breach of "exactly one active step", so
the run also measures the listing and counting of breaches). One warm-up, then the median of 3
runs; prints seconds, queries and breaches by check.
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.sizes import run  # noqa: E402 - after the project is on the path


def measure(households: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from casework.ops.consistency import consistency_breaches
    from casework.permissions import roles
    from tests import factories
    from tests.reports.bulk import bulk_households

    admin = factories.user("admin", roles.ADMIN, is_superuser=True, is_staff=True)
    _site, (grid,) = factories.site_with_grids(admin, "S", 1)
    start = time.perf_counter()
    done = 0
    while done < households:
        step = min(20000, households - done)
        bulk_households(grid, step, actor=admin)
        done += step
    built = time.perf_counter() - start
    consistency_breaches()  # warm-up
    connection.queries_log.clear()  # the build's queries would overflow the log
    times = []
    for _run in range(3):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            results = consistency_breaches()
            times.append(time.perf_counter() - start)
    counts = " ".join(f"{name}={count}" for name, (count, _found) in results.items())
    print(
        f"{households:>10} {connection.vendor:>10} {len(queries.captured_queries):>7} "
        f"{statistics.median(times):>9.2f} {built:>8.1f}  {counts}"
    )


if __name__ == "__main__":
    run(
        __file__,
        measure,
        [10000, 100000],
        ("households", "database", "queries", "median s", "build s"),
        "{:>10} {:>10} {:>7} {:>9} {:>8}  breaches",
    )
