"""Write missing scope keys of workflow processes and correct wrong ones (after rows were
written outside the services, or when the consistency check reports them)."""

from typing import Any

from django.core.management.base import BaseCommand

from workflows.scope.services import process_scopes_rebuild


class Command(BaseCommand):
    help = "Write missing process scope keys and correct wrong ones; prints what was found."

    def handle(self, *args: Any, **options: Any) -> None:
        report = process_scopes_rebuild()
        self.stdout.write(f"missing: {report.missing}, wrong: {report.wrong}")
