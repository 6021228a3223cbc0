"""Run the 17 data-quality rules over everything stored and print the count of each."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from casework.monitoring.quality_rules import RULES
from casework.monitoring.services import quality_run


class Command(BaseCommand):
    help = "Run the data-quality rules (reference/domain.md §5.11) and keep their findings."

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("zh-hans"):
            run = quality_run()
            for rule in RULES:
                self.stdout.write(f"{rule.number:>2}. {rule.title}: {run.counts[str(rule.number)]}")
            self.stdout.write(f"{run.total} finding(s)")
