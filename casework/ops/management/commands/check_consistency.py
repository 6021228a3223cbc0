"""Check the promises between the data and the flows, print every breach, record the run."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from casework.ops.consistency import CHECKS
from casework.ops.services import consistency_run


class Command(BaseCommand):
    help = "Check data and flows for breaches (labour members, active steps, states, heads)."

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("zh-hans"):
            run = consistency_run()
            for breach in run.breaches:
                self.stdout.write(
                    f"[{CHECKS[breach['check']]}] {breach['household']} {breach['subject']}："
                    f"{breach['detail']} {breach['url']}"
                )
            for name, label in CHECKS.items():
                self.stdout.write(f"{label}: {run.counts.get(name, 0)}")
            self.stdout.write(f"{run.total} breach(es)")
