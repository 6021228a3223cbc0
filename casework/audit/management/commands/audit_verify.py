"""``manage.py audit_verify [--household NUMBER] [--anchor SEQ:HASH]``: exit 0 only when intact."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from casework.audit.models import AuditEvent
from casework.audit.verify import Problem, verify_chain, verify_household
from casework.registry.models import Household


class Command(BaseCommand):
    help = "Recompute the audit hash chain and name the first event that was tampered with."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--household", metavar="NUMBER", help="check only this household's events"
        )
        parser.add_argument(
            "--anchor",
            metavar="SEQ:HASH",
            help="a chain head recorded earlier (e.g. printed on a case file) that must still "
            "be part of the chain",
        )

    def handle(self, *args: Any, household: str | None, anchor: str | None, **options: Any):
        if household:
            found = Household.objects.filter(number=household).first()
            if found is None:
                raise CommandError(
                    _("No household with number %(number)s.") % {"number": household}
                )
            result = verify_household(found.pk)
        else:
            result = verify_chain()
        problem = result.problem or (self._anchor_problem(anchor) if anchor else None)
        if problem is not None:
            raise CommandError(_("Audit chain broken: %(message)s") % {"message": problem.message})
        self.stdout.write(
            _("Audit chain intact (%(scope)s): %(count)s events checked; head #%(seq)s %(hash)s")
            % {
                "scope": result.scope,
                "count": result.checked,
                "seq": result.head_seq,
                "hash": result.head_hash,
            }
        )

    def _anchor_problem(self, anchor: str) -> Problem | None:
        seq_text, _sep, digest = anchor.partition(":")
        if not seq_text.isdigit() or len(digest) != 64:
            raise CommandError(_("--anchor takes SEQ:HASH, e.g. 1024:3f9a…"))
        event = AuditEvent.objects.filter(seq=int(seq_text)).first()
        if event is not None and event.hash == digest.lower():
            return None
        return Problem(
            "modified",
            int(seq_text),
            event.pk if event else None,
            _("the anchored head #%(seq)s is no longer in the chain: the log was rewritten.")
            % {"seq": seq_text},
        )
