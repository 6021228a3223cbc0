"""Time the dashboard's figures, counted live and read from the snapshot, for one site and for
every site of a city of N sites (default 1, 10 and 100 sites of 1,000 households); with
``month``, the month-end dashboard's county page at N households (default 1,470 and 268,600;
see bench/month_figures.py).

    .venv/bin/python bench/dashboard.py [--per-site 1000] [--live-all-max 20000] [1 10 100]
    .venv/bin/python bench/dashboard.py month [1470 268600]
    scripts/with-postgres .venv/bin/python bench/dashboard.py month

Each size runs in its own process on a throwaway test database, filled with ``bulk_create``
(three members a household in four grids a site, with assessments, cases, placements, posts,
enrolments and visits; see tests/reports/bulk.py). Then: the snapshot build of every grid
(``figures_snapshot_build``, once), and for one site and for all sites the median of 3 runs of
``dashboard_figures`` (live) and of ``dashboard_from_snapshots`` (after one warm-up each), with
the number of queries of each. The live count of all sites is skipped above ``--live-all-max``
households (it grows with the city; "-" in the table).
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.sizes import median_time, run  # noqa: E402 - after the project is on the path

GRIDS_PER_SITE = 4


def _option(name: str, default: int) -> int:
    if name in sys.argv:
        index = sys.argv.index(name)
        value = sys.argv[index + 1]
        del sys.argv[index : index + 2]
        os.environ[f"BENCH_{name.strip('-').upper().replace('-', '_')}"] = value
    return int(os.environ.get(f"BENCH_{name.strip('-').upper().replace('-', '_')}", default))


PER_SITE = _option("--per-site", 1000)
LIVE_ALL_MAX = _option("--live-all-max", 20000)


def measure(sites: int) -> None:
    from casework.permissions import roles
    from casework.registry.models import Site
    from casework.reports.dashboard.figures import dashboard_figures
    from casework.reports.dashboard.services.build import figures_snapshot_build
    from casework.reports.dashboard.snapshots import dashboard_from_snapshots
    from tests import factories
    from tests.reports.bulk import bulk_households

    admin = factories.user("admin", roles.ADMIN, is_superuser=True, is_staff=True)
    start = time.perf_counter()
    for index in range(sites):
        _site, grids = factories.site_with_grids(admin, f"S{index:03d}", GRIDS_PER_SITE)
        for grid in grids:
            bulk_households(grid, PER_SITE // GRIDS_PER_SITE, actor=admin)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    figures_snapshot_build()
    built = time.perf_counter() - start
    one, every = Site.objects.filter(code="S000"), Site.objects.all()
    households = sites * (PER_SITE // GRIDS_PER_SITE) * GRIDS_PER_SITE
    live_one = median_time(lambda: dashboard_figures(sites=one))
    snap_one = median_time(lambda: dashboard_from_snapshots(sites=one))
    snap_all = median_time(lambda: dashboard_from_snapshots(sites=every))
    if households <= LIVE_ALL_MAX:
        seconds, queries = median_time(lambda: dashboard_figures(sites=every))
        live_all = f"{seconds:>8.3f} {queries:>4}"
    else:
        live_all = f"{'-':>8} {'-':>4}"
    print(
        f"{sites:>5} {households:>9} {generated:>7.1f} {built:>7.2f} "
        f"{live_one[0]:>8.3f} {live_one[1]:>4} {snap_one[0]:>8.4f} {snap_one[1]:>4} "
        f"{live_all} {snap_all[0]:>8.4f} {snap_all[1]:>4}",
        flush=True,
    )


def month_mode() -> bool:
    """``month`` as the first argument (the parent), or inherited by a size's process."""
    if sys.argv[1:2] == ["month"]:
        del sys.argv[1]
        os.environ["BENCH_DASHBOARD"] = "month"
    return os.environ.get("BENCH_DASHBOARD") == "month"


if __name__ == "__main__" and month_mode():
    from bench import month_figures

    run(__file__, month_figures.measure, [1470, 268_600], month_figures.HEADER,
        month_figures.HEADER_FORMAT)  # fmt: skip
elif __name__ == "__main__":
    run(
        __file__,
        measure,
        [1, 10, 100],
        (
            "sites",
            "househlds",
            "fill s",
            "build s",
            "live 1",
            "q",
            "snap 1",
            "q",
            "live all",
            "q",
            "snap all",
            "q",
        ),  # fmt: skip
        "{:>5} {:>9} {:>7} {:>7} {:>8} {:>4} {:>8} {:>4} {:>8} {:>4} {:>8} {:>4}",
    )
