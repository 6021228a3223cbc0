"""Time the dashboard's figures for one site of 100, 1,000 and 10,000 households.

    .venv/bin/python bench/dashboard.py [100 1000 10000]

Each size runs in its own process on a throwaway test database, filled with ``bulk_create``
(three members a household, with assessments, cases, placements, posts, enrolments and visits;
see tests/reports/bulk.py) plus 10 % as many households in a second site that is not counted.
One warm-up, then the median of 5 runs of ``dashboard_figures``; prints seconds, the number of
queries and the time to render its PDF once.
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


if __name__ == "__main__":
    run(
        __file__,
        measure,
        [100, 1000, 10000],
        ("households", "queries", "median s", "min s", "max s", "pdf s", "KB", "build s"),
        "{:>10} {:>7} {:>9} {:>7} {:>7} {:>7} {:>6} {:>8}",
    )
