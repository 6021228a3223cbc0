"""Time the case-file PDF for a household with ~50 and ~500 history events.

    .venv/bin/python bench/casefile_pdf.py [50 500]

Each size runs in its own process (so that its peak memory is its own) on a throwaway test
database: one warm-up, then the median of 5 renders (recording the event, reading the
household, verifying its chain and rendering). Prints seconds, pages and peak RSS.
"""

import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.sizes import run  # noqa: E402 - after the project is on the path


def measure(events: int) -> None:
    from casework.audit.models import AuditEvent
    from casework.pairing.services import FIVE_POINTS, pairing_create, visit_record
    from casework.permissions import roles
    from casework.registry.services import household_update, jurisdiction_grant_site
    from casework.reports.casefile import service as casefile
    from tests import factories

    admin = factories.user("admin", roles.ADMIN, is_superuser=True, is_staff=True)
    manager = factories.user("manager", roles.MANAGER)
    helper = factories.user("helper", roles.HELPER)
    site, (grid,) = factories.site_with_grids(admin, "S", 1)
    jurisdiction_grant_site(actor=admin, user=manager, site=site)
    household = factories.household(admin, grid, number="BENCH-1", members=3)
    pairing_create(actor=manager, helper=helper, household=household, kind="party")
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    n = 0
    while AuditEvent.objects.filter(household_id=household.pk).count() < events:
        n += 1
        if n % 3 == 0:
            visit_record(
                actor=helper,
                household=household,
                date=today - datetime.timedelta(days=n % 300),
                mode="home",
                **dict.fromkeys(FIVE_POINTS, True),
                raised="想找离家近的工作",
                done="介绍了帮扶车间的岗位",
                next_step="下月再访",
            )
        else:
            household_update(
                actor=manager, household=household, address=f"第{n}号", colour="yellow"
            )
    history = AuditEvent.objects.filter(household_id=household.pk).count()
    casefile.casefile_generate(actor=manager, household=household)  # warm-up
    times = []
    pdf = b""
    for _run in range(5):
        start = time.perf_counter()
        pdf = casefile.casefile_generate(actor=manager, household=household)
        times.append(time.perf_counter() - start)
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout
    pages = int(next(line for line in info.decode().splitlines() if line.startswith("Pages:"))[6:])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{history:>7} {pages:>5} {statistics.median(times):>9.3f} {min(times):>7.3f} "
        f"{max(times):>7.3f} {peak_mb:>8.0f} {len(pdf) // 1024:>6}"
    )


if __name__ == "__main__":
    run(
        __file__,
        measure,
        [50, 500],
        ("events", "pages", "median s", "min s", "max s", "peak MB", "KB"),
        "{:>7} {:>5} {:>9} {:>7} {:>7} {:>8} {:>6}",
    )
