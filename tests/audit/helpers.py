"""What tampering tests share: switching the guard off as the owner, running ``audit_verify``,
and rewriting the chain as someone who can write the database but does not hold the key."""

from contextlib import contextmanager
from io import StringIO

from django.core.management import call_command
from django.db import connection

from casework.audit.chain import GENESIS_HASH, PLAIN, event_hash, stored_content
from casework.audit.models import AuditEvent


@contextmanager
def tampering():
    """What someone with the table owner's rights does first on PostgreSQL: switch the guard
    off (inside the test's transaction, so it comes back at the end)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending
            cursor.execute(
                "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only"
            )
    yield


def run_verify(*args: str) -> str:
    """``manage.py audit_verify`` with ``args``; its output (CommandError when broken)."""
    out = StringIO()
    call_command("audit_verify", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def recompute_plain(from_seq: int, *, mark_plain: bool) -> None:
    """Recompute every hash from ``from_seq`` on with plain SHA-256, the only hash someone
    without the key can compute; ``mark_plain`` also records the events as plain ones."""
    before = AuditEvent.objects.filter(seq=from_seq - 1).first()
    prev = before.hash if before else GENESIS_HASH
    for event in AuditEvent.objects.filter(seq__gte=from_seq).order_by("seq"):
        digest = event_hash(prev, stored_content(event), PLAIN)
        scheme = PLAIN if mark_plain else event.hash_scheme
        AuditEvent.objects.filter(pk=event.pk).update(
            prev_hash=prev, hash=digest, hash_scheme=scheme
        )
        prev = digest
