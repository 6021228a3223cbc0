"""How an audit event's hash is computed. Kept apart so that verification uses the same code."""

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
) -> str:
    """The event's content as canonical JSON: sorted keys, no whitespace, UTF-8 text kept."""
    payload = {
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
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def event_hash(prev_hash: str, content: str) -> str:
    """SHA-256 over the predecessor's hash and this event's canonical content."""
    return hashlib.sha256(f"{prev_hash}\n{content}".encode()).hexdigest()
