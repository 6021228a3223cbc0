"""Fire due workflow timers and escalate overdue tasks, in a loop, one instance at a time."""

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from workflows.scheduler import SchedulerBusy, scheduler_lock
from workflows.services import scheduler_tick

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Fire due workflow timers and escalate overdue tasks (one instance at a time)."

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
                    try:
                        fired, escalated = scheduler_tick()
                    except Exception:  # noqa: BLE001 - a bad sweep must not stop the loop
                        logger.exception("Scheduler sweep failed; retrying next interval")
                        fired = escalated = 0
                    if fired or escalated or once:
                        stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
                        self.stdout.write(
                            f"{stamp} {fired} timer(s) fired, {escalated} task(s) escalated"
                        )
                    if once:
                        return
                    close_old_connections()
                    time.sleep(interval)
        except SchedulerBusy as exc:
            raise CommandError("Another scheduler is already running; this one stops.") from exc
        except KeyboardInterrupt:
            self.stdout.write("Scheduler stopped.")
