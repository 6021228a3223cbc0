"""The only writer of audit events."""

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models, transaction
from django.utils import timezone

from .chain import GENESIS_HASH, canonical_content, event_hash
from .models import AuditChainHead, AuditEvent

Changes = dict[str, tuple[Any, Any]]


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
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    obj: models.Model,
    household_id: int | None,
    changes: Changes | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    Must run inside ``transaction.atomic``: the event commits or rolls back with the write it
    records. The chain head row is locked so concurrent appends are serialised.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the transaction of the write")
    actor_obj = actor if actor is not None and actor.is_authenticated else None
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(
        id=1, defaults={"seq": 0, "hash": GENESIS_HASH}
    )
    household_seq = None
    if household_id is not None:
        last = AuditEvent.objects.filter(household_id=household_id).aggregate(
            last=models.Max("household_seq")
        )["last"]
        household_seq = (last or 0) + 1
    fields = {
        "seq": head.seq + 1,
        "occurred_at": timezone.now().astimezone(datetime.UTC),
        "actor_id": actor_obj.pk if actor_obj else None,
        "actor_username": actor_obj.get_username() if actor_obj else "",
        "action": action,
        "object_type": obj._meta.label_lower,
        "object_id": str(obj.pk),
        "household_id": household_id,
        "changes": {
            name: [_json_value(before), _json_value(after)]
            for name, (before, after) in (changes or {}).items()
        },
        "reason": reason,
        "household_seq": household_seq,
    }
    content = canonical_content(**{**fields, "occurred_at": fields["occurred_at"].isoformat()})
    digest = event_hash(head.hash, content)
    event = AuditEvent.objects.create(**fields, prev_hash=head.hash, hash=digest)
    AuditChainHead.objects.filter(id=1).update(seq=event.seq, hash=digest)
    return event
