"""Time the caseworker's queue and inbox as open tasks grow; prints queries and milliseconds.

    .venv/bin/python bench/task_lists.py [10 200 2000]

Runs on a throwaway test database (SQLite file, or PostgreSQL when DATABASE_URL is set).
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def main(sizes: list[int]) -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(sizes)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(sizes: list[int]) -> None:
    from viewflow.workflow.models import Task

    from casework.permissions import roles
    from casework.registry.services import jurisdiction_grant_grid
    from tests import factories
    from workflows.flows import HouseholdFlow

    admin = factories.user("admin", roles.ADMIN, is_superuser=True, is_staff=True)
    worker = factories.user("caseworker", roles.CASEWORKER)
    grids = []
    for n in range(3):
        _site, site_grids = factories.site_with_grids(admin, f"S{n}", 2)
        grids += site_grids
    for grid in grids:
        jurisdiction_grant_grid(actor=admin, user=worker, grid=grid)
    client = Client()
    client.force_login(worker)
    made = 0
    print(f"{'open tasks':>10} {'page':<18} {'queries':>7} {'ms':>8}")
    for size in sizes:
        while made < size:
            factories.household(admin, grids[made % len(grids)], number=f"B-{made:06d}")
            made += 1
        half = Task.objects.filter(flow_task=HouseholdFlow.assess, status="NEW")
        inbox_ids = list(half.values_list("pk", flat=True)[: size // 2])
        Task.objects.filter(pk__in=inbox_ids).update(owner=worker, status="ASSIGNED")
        for page in ("/workflow/queue/", "/workflow/inbox/"):
            client.get(page)
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(page)
                elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200
            print(f"{size:>10} {page:<18} {len(queries):>7} {elapsed:>8.1f}")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [10, 200, 2000])
