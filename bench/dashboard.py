"""Time the dashboard's figures for one site of 100, 1,000 and 10,000 households.

    .venv/bin/python bench/dashboard.py [100 1000 10000]

Each size runs in its own process on a throwaway test database, filled with ``bulk_create``
(three members a household, with assessments, cases, placements, posts, enrolments and visits;
see tests/reports/bulk.py) plus 10 % as many households in a second site that is not counted.
One warm-up, then the median of 5 runs of ``dashboard_figures``; prints seconds, the number of
queries and the time to render its PDF once.
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def one(households: int) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        measure(households)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def measure(households: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from casework.common.pdf import render_pdf
    from casework.permissions import roles
    from casework.registry.models import Site
    from casework.reports.dashboard.charts import dashboard_context
    from casework.reports.dashboard.figures import dashboard_figures
    from tests import factories
    from tests.reports.bulk import bulk_households

    admin = factories.user("admin", roles.ADMIN, is_superuser=True, is_staff=True)
    _site, (grid,) = factories.site_with_grids(admin, "S", 1)
    _other, (other_grid,) = factories.site_with_grids(admin, "T", 1)
    start = time.perf_counter()
    bulk_households(grid, households, actor=admin)
    bulk_households(other_grid, max(households // 10, 1), actor=admin)
    built = time.perf_counter() - start
    sites = Site.objects.filter(code="S")
    dashboard_figures(sites=sites)  # warm-up
    times = []
    for _run in range(5):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            figures = dashboard_figures(sites=sites)
            times.append(time.perf_counter() - start)
    start = time.perf_counter()
    pdf = render_pdf(
        "reports/dashboard_pdf.html", {**dashboard_context(figures, list(sites)), "viewer": "bench"}
    )
    rendered = time.perf_counter() - start
    print(
        f"{figures.households:>10} {len(queries.captured_queries):>7} "
        f"{statistics.median(times):>9.3f} {min(times):>7.3f} {max(times):>7.3f} "
        f"{rendered:>7.2f} {len(pdf) // 1024:>6} {built:>8.1f}"
    )


def main(sizes: list[int]) -> None:
    header = ("households", "queries", "median s", "min s", "max s", "pdf s", "KB", "build s")
    print("{:>10} {:>7} {:>9} {:>7} {:>7} {:>7} {:>6} {:>8}".format(*header))
    for size in sizes:
        subprocess.run([sys.executable, __file__, "--one", str(size)], check=True, cwd=ROOT)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        one(int(sys.argv[2]))
    else:
        main([int(arg) for arg in sys.argv[1:]] or [100, 1000, 10000])
