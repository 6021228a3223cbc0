"""Reading the audit log: the chain's head and a household's events (``history`` tells them in
words)."""

from .chain import GENESIS_HASH
from .models import AuditEvent


def chain_head() -> tuple[int, str]:
    """The chain's head: the last event's (seq, hash), or (0, the genesis hash) when empty."""
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    return last if last is not None else (0, GENESIS_HASH)


def household_events(household_id: int) -> list[AuditEvent]:
    """The household's audit events, oldest first."""
    return list(AuditEvent.objects.filter(household_id=household_id).order_by("seq"))
