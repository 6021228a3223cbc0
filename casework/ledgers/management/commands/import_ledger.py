"""``manage.py import_ledger FILE.xlsx [--dry-run] [--user NAME]``."""

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.ledgers.household.importer import ledger_import
from casework.ledgers.household.problems import LedgerReport
from casework.ledgers.household.reader import LedgerUnreadable

PHASES = {
    "read": gettext_lazy("Reading"),
    "check": gettext_lazy("Checking"),
    "write": gettext_lazy("Writing"),
}


class Command(BaseCommand):
    help = (
        "Import a household ledger (the template of export_ledger): every row is checked, and "
        "nothing is imported unless all are good. Exits 1 when any row is bad."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="the ledger (.xlsx)")
        parser.add_argument(
            "--dry-run", action="store_true", help="only check the file; import nothing"
        )
        parser.add_argument(
            "--user",
            help="import as this user: only into the sites they manage, recorded under their "
            "name (default: the command line, every site)",
        )

    def handle(self, *args: Any, file: str, dry_run: bool, user: str | None, **options: Any):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s.") % {"path": path})
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(_("No active user %(name)s.") % {"name": user})
        try:
            report = ledger_import(
                actor=actor,
                source=path,
                file_name=path.name,
                dry_run=dry_run,
                progress=self._progress,
            )
        except PermissionDenied as exc:
            raise CommandError(_("%(name)s may not import ledgers.") % {"name": user}) from exc
        except LedgerUnreadable as exc:
            raise CommandError(str(exc)) from exc
        finally:
            self._end_progress()
        self._print(report)
        if not report.ok:
            raise CommandError(
                _("%(rows)d bad rows; nothing was imported.") % {"rows": len(report.bad_rows)}
            )

    _last = ""

    def _progress(self, phase: str, done: int, total: int) -> None:
        label = PHASES[phase]
        text = f"{label} {done}/{total}" if total else f"{label} {done}"
        if sys.stderr.isatty():
            self.stderr.write(f"\r{text}", ending="")
        elif text != self._last:
            self.stderr.write(text)
        self._last = text

    def _end_progress(self) -> None:
        if self._last and sys.stderr.isatty():
            self.stderr.write("")

    def _print(self, report: LedgerReport) -> None:
        out = self.stdout
        out.write(
            _("%(file)s: %(rows)d rows, %(households)d households, %(members)d members.")
            % {
                "file": report.file_name,
                "rows": report.rows,
                "households": report.households,
                "members": report.members,
            }
        )
        for title, problems in ((_("Errors"), report.errors), (_("Notices"), report.notices)):
            if not problems:
                continue
            out.write(f"{title}（{len(problems)}）:")
            for p in problems:
                where = _("row %(row)d") % {"row": p.row} if p.row else _("file")
                parts = [where, p.column, p.value and f"“{p.value}”", p.reason]
                out.write("  " + " · ".join(part for part in parts if part))
        if report.errors:
            return
        if report.dry_run:
            out.write(
                _(
                    "Check passed: %(new)d new households (%(members)d members) would be "
                    "imported, %(same)d are already in the system. Nothing was imported."
                )
                % {
                    "new": report.households_new,
                    "members": report.members_new,
                    "same": report.households_unchanged,
                }
            )
        else:
            out.write(
                _(
                    "Imported %(new)d households (%(members)d members), each waiting for its "
                    "assessment; %(same)d already in the system were left unchanged."
                )
                % {
                    "new": report.households_new,
                    "members": report.members_new,
                    "same": report.households_unchanged,
                }
            )
