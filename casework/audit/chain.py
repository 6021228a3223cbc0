"""How an audit event's hash is computed. Kept apart so that verification uses the same code."""

import datetime
import hashlib
import json
from typing import Any

GENESIS_HASH = "0" * 64


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


def event_hash(prev_hash: str, content: str) -> str:
    """SHA-256 over the predecessor's hash and this event's canonical content."""
    return hashlib.sha256(f"{prev_hash}\n{content}".encode()).hexdigest()


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
    return event_hash(event.prev_hash, stored_content(event)) == event.hash
