"""Fire due workflow timers and escalate overdue tasks, in a loop, one instance at a time.

Background work (case-file batches, ledger imports) is done by the task workers
(``manage.py db_worker``, or ``rqworker`` with TASKS_BACKEND=rq); each sweep here also reaps
jobs whose worker died (``JOB_STALE_SECONDS``), deletes case-file ZIPs past their retention and,
once a day, queues the build of the dashboard's figures."""

import datetime
import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from casework.audit.anchor import anchor_on_sweep
from casework.ledgers.services import ledger_import_reports_expire, ledger_imports_reap
from casework.monitoring.services.quality_requests import quality_run_request_if_due
from casework.ops.scheduler import SchedulerBusy, scheduler_lock
from casework.ops.services import consistency_run_if_due
from casework.reports.casefile.batch import casefile_batches_reap, casefile_exports_expire
from casework.reports.dashboard.services.requests import figures_build_request_if_due
from workflows.selectors import deadlines_to_escalate
from workflows.services import scheduler_tick
from workflows.tasks import deadlines_escalate_task

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Fire due workflow timers and escalate overdue tasks (one instance at a time)."
    # When this process (the only scheduler) last queued the nightly data-quality run.
    _quality_queued_at: datetime.datetime | None = None

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--interval", type=float, default=30.0, help="Seconds between sweeps (default 30)."
        )
        parser.add_argument("--once", action="store_true", help="Run one sweep and exit.")

    def handle(self, *args: Any, interval: float, once: bool, **options: Any) -> None:
        try:
            with scheduler_lock():
                self.stdout.write("Scheduler started.")
                while True:
                    next_sweep = time.monotonic() + interval
                    self._sweep(once)
                    self._jobs()
                    if once:
                        return
                    close_old_connections()
                    time.sleep(max(0.0, next_sweep - time.monotonic()))
        except SchedulerBusy as exc:
            raise CommandError("Another scheduler is already running; this one stops.") from exc
        except KeyboardInterrupt:
            self.stdout.write("Scheduler stopped.")

    def _sweep(self, once: bool) -> None:
        try:
            fired, escalated = scheduler_tick(escalate=False)
            if deadlines_to_escalate().exists():
                deadlines_escalate_task.enqueue()  # the overdue notices: a worker writes them
        except Exception:  # noqa: BLE001 - a bad sweep must not stop the loop
            logger.exception("Scheduler sweep failed; retrying next interval")
            fired = escalated = 0
        try:
            checked = consistency_run_if_due()
        except Exception:  # noqa: BLE001 - the daily check retries at the next sweep
            logger.exception("Consistency check failed")
            checked = None
        if checked is not None:
            self.stdout.write(f"Consistency check: {checked.total} breach(es)")
        try:  # once a day for a worker; again if that run has not finished in two hours
            if quality_run_request_if_due(self._quality_queued_at):
                self._quality_queued_at = timezone.now()
                self.stdout.write("Data-quality rules: today's run queued")
        except Exception:  # noqa: BLE001 - asked for again at the next sweep
            logger.exception("Queueing the data-quality rules failed")
        try:
            if figures_build_request_if_due():  # the dashboard's daily snapshot, for a worker
                self.stdout.write("Dashboard figures: today's build queued")
        except Exception:  # noqa: BLE001 - the daily build is asked for again at the next sweep
            logger.exception("Queueing the dashboard figures' build failed")
        anchor_on_sweep()  # the chain's head, written outside the database
        if fired or escalated or once:
            stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
            self.stdout.write(f"{stamp} {fired} timer(s) fired, {escalated} task(s) escalated")

    def _jobs(self) -> None:
        try:
            imports = ledger_imports_reap()
            batches = casefile_batches_reap()
            expired = casefile_exports_expire() + ledger_import_reports_expire()
        except Exception:  # noqa: BLE001 - the reaper retries at the next sweep
            logger.exception("Reaping background jobs failed")
            return
        stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
        if any(imports) or any(batches):
            self.stdout.write(
                f"{stamp} jobs whose worker stopped: ledger imports {imports[0]} retried, "
                f"{imports[1]} failed; case-file parts {batches[0]} retried, {batches[1]} failed"
            )
        if expired:
            self.stdout.write(f"{stamp} {expired} export file(s) past retention deleted")
