"""What the size benches share: each size runs in its own process (so that its time and peak
memory are its own) on a throwaway test database, and the parent prints one table."""

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def on_test_database(measure: Callable[[int], None], size: int) -> None:
    """Set Django up with the test settings, run ``measure(size)`` on a new test database and
    drop it afterwards."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        measure(size)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(
    script: str,
    measure: Callable[[int], None],
    defaults: Sequence[int],
    header: Sequence[str],
    header_format: str,
) -> None:
    """``script --one N`` measures one size; ``script [N ...]`` prints the header and runs each
    size (``defaults`` when none is given) in a process of its own."""
    if sys.argv[1:2] == ["--one"]:
        on_test_database(measure, int(sys.argv[2]))
        return
    print(header_format.format(*header))
    for size in [int(arg) for arg in sys.argv[1:]] or defaults:
        subprocess.run([sys.executable, script, "--one", str(size)], check=True, cwd=ROOT)


def median_time(function: Callable[[], object], runs: int = 3) -> tuple[float, int]:
    """The median seconds of ``runs`` calls after one warm-up, and the queries of one call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()
    times = []
    for _run in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            function()
            times.append(time.perf_counter() - start)
    return statistics.median(times), len(queries.captured_queries)
