"""Building one tier: the structure, then the households a chunk of grids at a time (the
project's bulk registration and flow start, then the flows carried along by direct rows),
then the scope keys and the planner's statistics. Prints its progress at least every ~20 s."""

import sys
import time

from django.db import connection, transaction
from django.utils import timezone

from casework.audit.models import AuditEvent
from casework.reports.dashboard.services.build import figures_snapshot_build
from workflows.scope.services import process_scopes_rebuild

from . import flows, households
from .rows import Chain, Ids, sequences_reset
from .structure import Structure, structure_build

CHUNK_HOUSEHOLDS = 3000
COUNTED = {
    "households": "registry_household",
    "members": "registry_member",
    "processes": "viewflow_process",
    "tasks": "viewflow_task",
    "audit events": "audit_auditevent",
}


def say(tier: str, text: str) -> None:
    print(f"[{tier}] {text}", file=sys.stderr, flush=True)


def _count(table: str, where: str = "") -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} {where}")  # noqa: S608 - fixed names
        return cursor.fetchone()[0]


def tier_counts() -> dict[str, int]:
    """The tier's sizes, as the issue counts them (open: human steps not done)."""
    counts = {name: _count(table) for name, table in COUNTED.items()}
    counts["open tasks"] = _count(
        "viewflow_task", "WHERE flow_task_type = 'HUMAN' AND status IN ('NEW', 'ASSIGNED')"
    )
    return counts


def scopes_rebuild(tier: str) -> None:
    """The scope keys (``workflows.ProcessScope``) of the processes written directly: the bulk
    start writes the household flows' own, the employment flows here have none until now."""
    report = process_scopes_rebuild()
    say(tier, f"scope keys written {report.missing:,}, corrected {report.wrong:,}")


def tier_settle() -> None:
    """The tier's tables as a running server's would be between two runs of autovacuum: on
    PostgreSQL vacuumed (no dead row versions left by the flows' updates, by a rolled-back
    import's baseline or by an earlier run's completions, which the planner would otherwise
    step over at an index's end on every query) and analysed; on SQLite analysed."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def tier_build(tier: str, count: int, counties: int) -> Structure:
    """The whole tier, ``count`` households in ``counties`` counties."""
    began = last = time.perf_counter()
    built = structure_build(tier, count, counties)
    say(tier, f"{len(built.sites)} sites, {len(built.grids)} grids in "
              f"{time.perf_counter() - began:.0f} s")  # fmt: skip
    ids = Ids()
    prefix = {"county": "LX", "city": "AK"}.get(tier, tier[:2].upper())
    first, rows, pending = 0, 0, []
    for index, grid in enumerate(built.grids):
        pending.append(grid)
        last_grid = index == len(built.grids) - 1
        if not last_grid and sum(n for _g, n in pending) < CHUNK_HOUSEHOLDS:
            continue
        made = households.households_register(prefix, first, pending)
        ids.forget()
        ctx = flows.Context(
            ids=ids, chain=Chain(ids), users=built.users, grid_one=built.grids[0][0].pk,
            site_one=built.sites[0].pk, now=timezone.now(),
        )  # fmt: skip
        with transaction.atomic():
            rows += flows.flows_advance(ctx, made, first)
            sequences_reset([*flows.WRITTEN, AuditEvent])
        rows += len(made) * 12  # the bulk path's rows: household, members, case, process, …
        first += len(made)
        pending = []
        now = time.perf_counter()
        if now - last > 15 or last_grid:
            say(tier, f"{first:,} of {count:,} households, ~{rows:,} rows, "
                      f"{rows / (now - began):,.0f} rows/s, {now - began:.0f} s")  # fmt: skip
            last = now
    t = time.perf_counter()
    scopes_rebuild(tier)
    tier_settle()
    say(tier, f"scope keys and VACUUM/ANALYZE in {time.perf_counter() - t:.0f} s")
    # The dashboard's snapshot, as the nightly task would have built it (its page then reads
    # the rows and counts live only what no snapshot holds).
    t = time.perf_counter()
    grids = figures_snapshot_build()
    say(tier, f"dashboard figures of {grids:,} grids in {time.perf_counter() - t:.0f} s; "
              f"built in {time.perf_counter() - began:.0f} s")  # fmt: skip
    return built
