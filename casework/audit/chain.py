"""How an audit event's hash is computed. Kept apart so that verification uses the same code.

Two schemes, recorded per event (``AuditEvent.hash_scheme``): events written before the key
existed carry a plain SHA-256 (``PLAIN``); every event since is an HMAC-SHA256 under the audit key
(``KEYED``, ``keys.audit_key``). Once the chain holds a keyed event, a plain one after it can only
have been written around the application, and verification refuses it.
"""

import datetime
import hashlib
import hmac
import json
from typing import Any

from .keys import audit_key

GENESIS_HASH = "0" * 64
PLAIN = "sha256"
KEYED = "hmac-sha256"


def canonical_content(
    *,
    seq: int,
    occurred_at: str,
    actor_id: int | None,
    actor_username: str,
    action: str,
    object_type: str,
    object_id: str,
    household_id: int | None,
    changes: dict[str, Any],
    reason: str,
    household_seq: int | None = None,
) -> str:
    """The event's content as canonical JSON: sorted keys, no whitespace, UTF-8 text kept.

    ``household_seq`` (the event's number within its household) is part of the content when
    set; events written before it existed keep the hash they were written with.
    """
    payload: dict[str, Any] = {
        "seq": seq,
        "occurred_at": occurred_at,
        "actor_id": actor_id,
        "actor_username": actor_username,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "household_id": household_id,
        "changes": changes,
        "reason": reason,
    }
    if household_seq is not None:
        payload["household_seq"] = household_seq
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def event_hash(prev_hash: str, content: str, scheme: str = KEYED) -> str:
    """The hash over the predecessor's hash and this event's canonical content: an HMAC under
    the audit key (``KEYED``), or for events from before the key a plain SHA-256 (``PLAIN``)."""
    message = f"{prev_hash}\n{content}".encode()
    if scheme == PLAIN:
        return hashlib.sha256(message).hexdigest()
    if scheme != KEYED:
        raise ValueError(f"unknown audit hash scheme {scheme!r}")
    return hmac.new(audit_key(), message, hashlib.sha256).hexdigest()


def stored_content(event: Any) -> str:
    """The canonical content of a stored event, recomputed from its columns."""
    return canonical_content(
        seq=event.seq,
        occurred_at=event.occurred_at.astimezone(datetime.UTC).isoformat(),
        actor_id=event.actor_id,
        actor_username=event.actor_username,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        household_id=event.household_id,
        changes=event.changes,
        reason=event.reason,
        household_seq=event.household_seq,
    )


def is_self_consistent(event: Any) -> bool:
    """Does the event's stored hash match its content and its stored predecessor hash?"""
    try:
        expected = event_hash(event.prev_hash, stored_content(event), event.hash_scheme)
    except ValueError:  # a scheme the application never writes
        return False
    return hmac.compare_digest(expected, event.hash)
