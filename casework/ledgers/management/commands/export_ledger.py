"""``manage.py export_ledger [--site CODE] -o FILE.xlsx [--user NAME]``."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from casework.ledgers.services import household_ledger_export
from casework.registry.models import Household, Site


class Command(BaseCommand):
    help = (
        "Write the household ledger (one row per member, full identifiers) in the template "
        "import_ledger reads. The export is recorded in the audit log."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
        parser.add_argument("--site", help="only this site (its code)")
        parser.add_argument(
            "--user",
            help="export as this user: only the households they work or manage, and only "
            "with the right to full personal data (default: the command line, every household)",
        )

    def handle(self, *args: Any, output: str, site: str | None, user: str | None, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(_("No active user %(name)s.") % {"name": user})
        households = Household.objects.all()
        if site:
            found = Site.objects.filter(code=site).first()
            if found is None:
                raise CommandError(_("No site with code %(code)s.") % {"code": site})
            households = households.filter(grid__site=found)
        target = Path(output)
        if not target.parent.exists():
            raise CommandError(
                _("The folder %(folder)s does not exist.") % {"folder": target.parent}
            )
        try:
            content, count = household_ledger_export(actor=actor, households=households)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        partial = target.with_name(target.name + ".part")
        partial.write_bytes(content)
        partial.replace(target)
        self.stdout.write(
            _("Wrote %(path)s: %(count)d households.") % {"path": target, "count": count}
        )
