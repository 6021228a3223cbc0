"""The only writer of audit events."""

import datetime
import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.contrib.auth.models import AnonymousUser, User
from django.db import models, transaction
from django.utils import timezone

from .chain import KEYED, canonical_content, event_hash
from .models import AuditEvent
from .selectors import chain_head, chain_head_and_household_last, household_seqs_last
from .tail import (
    audit_chain_held,
    markers_standing,
    rollback_marker_shared,
    tail_held,
    tail_remember,
)

__all__ = [
    "Changes",
    "PendingEvent",
    "audit_appends_deferred",
    "audit_chain_held",
    "audit_record",
    "audit_record_many",
]

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


def _prepared(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    obj: models.Model | None,
    household_id: int | None,
    changes: Changes | None,
    reason: str,
    occurred_at: datetime.datetime,
) -> dict[str, Any]:
    """An event's fields as stored, all but its place in the chain (``seq``, ``household_seq``)
    and its hashes, which ``_append`` gives it."""
    actor_obj = actor if actor is not None and actor.is_authenticated else None
    return {
        "occurred_at": occurred_at,
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
    }


def _append(prepared: Sequence[dict[str, Any]], batch_size: int = 2000) -> list[AuditEvent]:
    """Number, hash and insert ``prepared`` events in order, after the chain's tail.

    The tail is the one the unit of work holds (``audit_chain_held``), else read after the
    append lock: with the one household's last number in the same query when the events name
    one household (a step, a registration), else with the households' numbers in a second.
    """
    held = tail_held()
    households = [h for h in dict.fromkeys(f["household_id"] for f in prepared) if h is not None]
    last_seq: dict[int, int | None] = {}
    if held is not None:
        seq, prev_hash = held.seq, held.hash
        last_seq.update(held.household_seqs)
    elif len(households) == 1:
        _chain_lock()
        seq, prev_hash, last_seq[households[0]] = chain_head_and_household_last(households[0])
    else:
        seq, prev_hash = _chain_tail()
    last_seq.update(household_seqs_last(sorted(set(households) - last_seq.keys())))
    rows: list[AuditEvent] = []
    for fields in prepared:
        seq += 1
        household_seq = None
        if fields["household_id"] is not None:
            household_seq = (last_seq.get(fields["household_id"]) or 0) + 1
            last_seq[fields["household_id"]] = household_seq
        numbered = {**fields, "seq": seq, "household_seq": household_seq}
        content = canonical_content(
            **{**numbered, "occurred_at": fields["occurred_at"].isoformat()}
        )
        digest = event_hash(prev_hash, content, KEYED)
        rows.append(AuditEvent(**numbered, prev_hash=prev_hash, hash=digest, hash_scheme=KEYED))
        prev_hash = digest
    AuditEvent.objects.bulk_create(rows, batch_size=batch_size)
    known = {pk: last for pk, last in last_seq.items() if last is not None}
    tail_remember(seq, prev_hash, known, held)
    return rows


class _Deferred(NamedTuple):
    """An event recorded inside ``audit_appends_deferred``, waiting for the block's end."""

    fields: dict[str, Any]
    marker: Callable[[], None]  # pending while the savepoints it was recorded in stand
    savepoints: tuple[str, ...]


_deferred: ContextVar[list[_Deferred] | None] = ContextVar("casework_audit_deferred", default=None)


@contextmanager
def audit_appends_deferred() -> Iterator[None]:
    """Inside the block, ``audit_record`` keeps its events and appends them all when the block
    ends, in the order they were recorded, each with the time it was recorded at.

    The append lock serialises every writer of the chain from its first append to its commit.
    A step's first event (taken: ``task.assign``) comes at its start, so appended one by one
    they held the lock through the whole step and two caseworkers' steps ran one after the
    other; appended at the end, they hold it from the step's last write to the commit.

    For one unit of work inside the caller's transaction (refused outside one), that reads no
    event it has recorded itself: until the block ends they are not in the table. An event whose
    savepoint is rolled back inside the block is not written (``casework.audit.tail``: only
    savepoints taken with ``atomic()`` are seen). An error that leaves the block writes nothing:
    the caller's transaction is rolled back with it. A bulk append (``audit_record_many``)
    inside the block appends the events kept so far first, so the chain keeps their order. A
    block inside another adds to the outer one's."""
    if _deferred.get() is not None:
        yield
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_appends_deferred must be used inside a transaction")
    token = _deferred.set([])
    try:
        yield
        _deferred_flush()
    finally:
        _deferred.reset(token)


def _deferred_keep(fields: dict[str, Any], bucket: list[_Deferred]) -> None:
    # One rollback marker stands for every event recorded in the same savepoints.
    last = bucket[-1] if bucket else None
    marker, savepoints = rollback_marker_shared(
        last.marker if last else None, last.savepoints if last else ()
    )
    bucket.append(_Deferred(fields, marker, savepoints))


def _deferred_flush() -> None:
    """Append the kept events whose savepoints still stand, and forget them all."""
    bucket = _deferred.get()
    if not bucket:
        return
    standing = markers_standing()
    kept = [entry.fields for entry in bucket if id(entry.marker) in standing]
    bucket.clear()
    if kept:
        _append(kept)


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
    appends are serialised (``_chain_lock``); the hash is an HMAC under the audit key. Inside
    ``audit_appends_deferred`` the event is appended when that block ends: the one returned is
    not numbered or saved yet.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the transaction of the write")
    fields = _prepared(
        actor=actor, action=action, obj=obj, household_id=household_id, changes=changes,
        reason=reason, occurred_at=timezone.now().astimezone(datetime.UTC),
    )  # fmt: skip
    bucket = _deferred.get()
    if bucket is not None:
        _deferred_keep(fields, bucket)
        return AuditEvent(**fields)
    return _append([fields])[0]


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

    For bulk work (a ledger import): the chain is locked once, the households' numbering read
    in one query per 5,000 households, and the events inserted in batches. The chain is the
    same as if each event had been recorded alone. Returns the number of events written.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record_many must be called inside the transaction of the write")
    if not events:
        return 0
    _deferred_flush()
    occurred_at = timezone.now().astimezone(datetime.UTC)
    prepared = [
        _prepared(
            actor=actor,
            action=e.action,
            obj=e.obj,
            household_id=e.household_id,
            changes=e.changes,
            reason=e.reason,
            occurred_at=occurred_at,
        )
        for e in events
    ]
    return len(_append(prepared, batch_size))
