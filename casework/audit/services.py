"""The only writer of audit events."""

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models, transaction
from django.utils import timezone

from .chain import KEYED, canonical_content, event_hash
from .models import AuditEvent
from .selectors import chain_head, chain_head_and_household_last, household_seqs_last
from .tail import audit_chain_held, tail_held, tail_remember

__all__ = ["Changes", "PendingEvent", "audit_chain_held", "audit_record", "audit_record_many"]

Changes = dict[str, tuple[Any, Any]]
# The PostgreSQL advisory lock serialising appends to the chain (held to the transaction's end).
APPEND_LOCK = int.from_bytes(
    hashlib.sha256(b"casework.audit.append").digest()[:8], "big", signed=True
)


def _chain_lock() -> None:
    """Take the append lock: read after it, the chain's last event is the last committed append.

    PostgreSQL: a transaction-scoped advisory lock, so the application's role needs no UPDATE
    on any audit table; under READ COMMITTED the read after the lock sees the last committed
    append. SQLite: the transaction began IMMEDIATE (settings), so it already holds the only
    write lock. The unique ``seq`` refuses a fork whatever happens.
    """
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [APPEND_LOCK])


def _chain_tail() -> tuple[int, str]:
    """Take the append lock and read the chain's last (seq, hash)."""
    _chain_lock()
    return chain_head()


def _json_value(value: Any) -> Any:
    """Reduce a field value to what JSON stores unchanged, so hashes survive a round trip."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return str(Decimal(str(value)))
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    return str(value)


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    obj: models.Model | None,
    household_id: int | None,
    changes: Changes | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    Must run inside ``transaction.atomic``: the event commits or rolls back with the write it
    records. ``obj`` None: the event is about no single object (an export of many). Concurrent
    appends are serialised (``_chain_lock``); the hash is an HMAC under the audit key.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the transaction of the write")
    actor_obj = actor if actor is not None and actor.is_authenticated else None
    held = tail_held()
    last: int | None = None
    if held is not None:
        head_seq, head_hash = held.seq, held.hash
        if household_id is not None:
            last = held.household_seqs.get(household_id)
            if last is None:
                last = household_seqs_last([household_id]).get(household_id)
    elif household_id is not None:
        # The transaction's first event: the chain's tail and the household's numbering are
        # read in one query, after the lock.
        _chain_lock()
        head_seq, head_hash, last = chain_head_and_household_last(household_id)
    else:
        head_seq, head_hash = _chain_tail()
    household_seq = (last or 0) + 1 if household_id is not None else None
    fields: dict[str, Any] = {
        "seq": head_seq + 1,
        "occurred_at": timezone.now().astimezone(datetime.UTC),
        "actor_id": actor_obj.pk if actor_obj else None,
        "actor_username": actor_obj.get_username() if actor_obj else "",
        "action": action,
        "object_type": obj._meta.label_lower if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "household_id": household_id,
        "changes": {
            name: [_json_value(before), _json_value(after)]
            for name, (before, after) in (changes or {}).items()
        },
        "reason": reason,
        "household_seq": household_seq,
    }
    content = canonical_content(**{**fields, "occurred_at": fields["occurred_at"].isoformat()})
    digest = event_hash(head_hash, content, KEYED)
    event = AuditEvent.objects.create(**fields, prev_hash=head_hash, hash=digest, hash_scheme=KEYED)
    numbered = {household_id: household_seq} if household_id is not None and household_seq else {}
    tail_remember(event.seq, digest, numbered, held)
    return event


@dataclass(frozen=True)
class PendingEvent:
    """One event for ``audit_record_many``: what ``audit_record`` takes, for a bulk write."""

    action: str
    obj: models.Model
    household_id: int | None
    changes: Changes | None = None
    reason: str = ""


def audit_record_many(
    *,
    actor: User | AnonymousUser | None,
    events: Sequence[PendingEvent],
    batch_size: int = 2000,
) -> int:
    """Append many events by one actor in order, as ``audit_record`` would one by one.

    For bulk work (a ledger import): the chain is locked once, each household's numbering
    read in one query per chunk, and the events inserted in batches. The chain is the same as
    if each event had been recorded alone. Returns the number of events written.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record_many must be called inside the transaction of the write")
    if not events:
        return 0
    actor_obj = actor if actor is not None and actor.is_authenticated else None
    held = tail_held()
    seq, prev_hash = (held.seq, held.hash) if held is not None else _chain_tail()
    known = held.household_seqs if held is not None else {}
    household_ids = sorted(
        {e.household_id for e in events if e.household_id is not None} - known.keys()
    )
    last_seq: dict[int, int | None] = {**known, **household_seqs_last(household_ids)}
    occurred_at = timezone.now().astimezone(datetime.UTC)
    occurred_text = occurred_at.isoformat()
    rows: list[AuditEvent] = []
    for pending in events:
        seq += 1
        household_seq = None
        if pending.household_id is not None:
            household_seq = (last_seq.get(pending.household_id) or 0) + 1
            last_seq[pending.household_id] = household_seq
        fields: dict[str, Any] = {
            "seq": seq,
            "actor_id": actor_obj.pk if actor_obj else None,
            "actor_username": actor_obj.get_username() if actor_obj else "",
            "action": pending.action,
            "object_type": pending.obj._meta.label_lower,
            "object_id": str(pending.obj.pk),
            "household_id": pending.household_id,
            "changes": {
                name: [_json_value(before), _json_value(after)]
                for name, (before, after) in (pending.changes or {}).items()
            },
            "reason": pending.reason,
            "household_seq": household_seq,
        }
        content = canonical_content(**fields, occurred_at=occurred_text)
        digest = event_hash(prev_hash, content, KEYED)
        rows.append(
            AuditEvent(
                **fields,
                occurred_at=occurred_at,
                prev_hash=prev_hash,
                hash=digest,
                hash_scheme=KEYED,
            )
        )
        prev_hash = digest
    AuditEvent.objects.bulk_create(rows, batch_size=batch_size)
    numbered = {pk: last for pk, last in last_seq.items() if last is not None}
    tail_remember(seq, prev_hash, numbered, held)
    return len(rows)
