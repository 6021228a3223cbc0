"""``manage.py audit_verify [--household NUMBER] [--anchor SEQ:HASH] [--anchor-file PATH]``:
exit 0 only when intact.

The whole chain is checked against the anchor file (``AUDIT_ANCHOR_PATH``, or a backup copy
named with ``--anchor-file``): every anchored head must still be in the database.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from casework.audit.anchor import Anchor, AnchorFileBroken, anchor_path, anchors_read
from casework.audit.models import AuditEvent
from casework.audit.verify import Problem, Verification, verify_chain, verify_household
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
        parser.add_argument(
            "--anchor-file",
            metavar="PATH",
            help="the anchor file to check against (default: the AUDIT_ANCHOR_PATH setting)",
        )

    def handle(
        self,
        *args: Any,
        household: str | None,
        anchor: str | None,
        anchor_file: str | None,
        **options: Any,
    ) -> None:
        try:
            result = self._verify(household, Path(anchor_file) if anchor_file else None)
        except ImproperlyConfigured as exc:
            raise CommandError(
                _("The audit key is missing, so the chain cannot be checked: %(error)s")
                % {"error": exc}
            ) from exc
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
        if result.anchored:
            self.stdout.write(
                _("%(count)s anchored heads found in the chain.") % {"count": result.anchored}
            )

    def _verify(self, household: str | None, anchor_file: Path | None) -> Verification:
        if household:
            found = Household.objects.filter(number=household).first()
            if found is None:
                raise CommandError(
                    _("No household with number %(number)s.") % {"number": household}
                )
            return verify_household(found.pk)
        return verify_chain(self._anchors(anchor_file or anchor_path()))

    def _anchors(self, path: Path) -> list[Anchor]:
        try:
            anchors = anchors_read(path)
        except AnchorFileBroken as exc:
            raise CommandError(
                _(
                    "Audit chain broken: line %(line)s of the anchor file %(path)s was edited, "
                    "or lines before it were removed."
                )
                % {"line": exc.line, "path": path}
            ) from exc
        if anchors is None:
            self.stderr.write(
                _("No anchor file at %(path)s: the chain was checked without anchors.")
                % {"path": path}
            )
            return []
        return anchors

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
