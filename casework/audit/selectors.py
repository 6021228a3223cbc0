"""Reading the audit log: the chain's head and a household's events (``history`` tells them in
words)."""

from collections.abc import Sequence

from django.db import models

from .chain import GENESIS_HASH
from .models import AuditEvent


def chain_head() -> tuple[int, str]:
    """The chain's head: the last event's (seq, hash), or (0, the genesis hash) when empty."""
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    return last if last is not None else (0, GENESIS_HASH)


def chain_head_and_household_last(household_id: int) -> tuple[int, str, int | None]:
    """``chain_head()`` and the household's last number in the chain (None: no event yet),
    read in one query: what the first event of a transaction needs."""
    last_of_household = (
        AuditEvent.objects.filter(household_id=household_id)
        .order_by()
        .values("household_id")
        .annotate(last=models.Max("household_seq"))
        .values("last")
    )
    head = (
        AuditEvent.objects.order_by("-seq")
        .annotate(household_last=models.Subquery(last_of_household))
        .values_list("seq", "hash", "household_last")
        .first()
    )
    return head if head is not None else (0, GENESIS_HASH, None)


def household_events(household_id: int) -> list[AuditEvent]:
    """The household's audit events, oldest first."""
    return list(AuditEvent.objects.filter(household_id=household_id).order_by("seq"))


def household_seqs_last(household_ids: Sequence[int]) -> dict[int, int]:
    """The last number in the chain of each of these households (missing: none yet), read
    5,000 households a query."""
    last: dict[int, int] = {}
    for start in range(0, len(household_ids), 5000):
        rows = (
            AuditEvent.objects.filter(household_id__in=household_ids[start : start + 5000])
            .values_list("household_id")
            .annotate(last=models.Max("household_seq"))
            .values_list("household_id", "last")
        )
        last.update((pk, n) for pk, n in rows if pk is not None and n is not None)
    return last
