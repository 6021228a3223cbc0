"""``manage.py case_pdf HOUSEHOLD_NUMBER -o FILE.pdf [--user NAME] [--unmasked]``."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from casework.registry.models import Household
from casework.reports.casefile.service import casefile_generate, casefile_refusal


class Command(BaseCommand):
    help = "Write a household's case file as PDF (personal data masked unless --unmasked)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("number", help="the household number (户编号)")
        parser.add_argument("-o", "--output", required=True, help="the PDF file to write")
        parser.add_argument(
            "--user",
            help="generate as this user: their jurisdiction and rights apply, and their name "
            "is on the file (default: the command line, masked)",
        )
        parser.add_argument(
            "--unmasked",
            action="store_true",
            help="full document numbers and phones (needs --user with that right)",
        )

    def handle(self, *args: Any, number: str, output: str, user: str | None, **options: Any):
        household = Household.objects.filter(number=number).first()
        if household is None:
            raise CommandError(_("No household with number %(number)s.") % {"number": number})
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(_("No active user %(name)s.") % {"name": user})
        unmasked = options["unmasked"]
        refusal = casefile_refusal(actor, household, unmasked=unmasked)
        if refusal:
            raise CommandError(refusal)
        target = Path(output)
        if not target.parent.exists():
            raise CommandError(
                _("The folder %(folder)s does not exist.") % {"folder": target.parent}
            )
        content = casefile_generate(actor=actor, household=household, unmasked=unmasked)
        partial = target.with_name(target.name + ".part")
        partial.write_bytes(content)
        partial.replace(target)  # never a half-written file under the final name
        self.stdout.write(
            _("Wrote %(path)s (%(size)s KB).") % {"path": target, "size": len(content) // 1024}
        )
