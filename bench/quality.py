"""Time the 17 data-quality rules (``casework.monitoring.quality_rules``) and a whole run
(``quality_run``: the rules, then the findings written) on the database DATABASE_URL names,
e.g. a tier kept by ``bench/scale.py --keep``:

    DATABASE_URL=postgres://…/test_scale_city_kept .venv/bin/python bench/quality.py

Prints each rule's findings and seconds, then the run's seconds and queries. The run is rolled
back, so the database is left as it was.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


class _RollBack(Exception):
    pass


def main() -> None:
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from casework.monitoring.quality_rules import RULES
    from casework.monitoring.services import quality_run
    from casework.registry.models import Household, Member

    today = timezone.localdate()
    print(f"{Household.objects.count():,} households, {Member.objects.count():,} members")
    for rule in RULES:
        start = time.perf_counter()
        found = sum(1 for _ in rule.find(today))
        print(f"rule {rule.number:>2}: {found:>8,} findings {time.perf_counter() - start:8.2f} s")
    start = time.perf_counter()
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            run = quality_run()
            seconds = time.perf_counter() - start
            raise _RollBack
    except _RollBack:
        pass
    print(f"quality_run: {seconds:.1f} s, {len(queries)} queries, {run.total:,} findings")


if __name__ == "__main__":
    main()
