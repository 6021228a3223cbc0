"""Reading the audit log back as a household's history, in words."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _

from .actions import action_label
from .chain import GENESIS_HASH
from .models import AuditEvent

TASK_TYPE = "viewflow.task"


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a household's history."""

    seq: int
    household_seq: int | None
    at: datetime.datetime  # local time
    actor: str
    action: str
    label: str
    subject: str
    changes: list[tuple[str, str, str]]  # (field label, before, after)
    reason: str
    hash: str


def _field_label(object_type: str, field: str) -> str:
    try:
        model = apps.get_model(object_type)
        return str(model._meta.get_field(field).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return field


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "、".join(_shown(item) for item in value)
    return str(value)


def _subjects(events: list[AuditEvent]) -> dict[tuple[str, str], str]:
    """A readable name for each object the events are about, a query per kind of object."""
    from viewflow.workflow.models import Task

    ids: dict[str, set[str]] = defaultdict(set)
    for event in events:
        ids[event.object_type].add(event.object_id)
    names: dict[tuple[str, str], str] = {}
    task_ids = [int(pk) for pk in ids.pop(TASK_TYPE, ()) if pk.isdigit()]
    for task in Task.objects.filter(pk__in=task_ids).only("id", "flow_task", "process_id"):
        names[(TASK_TYPE, str(task.pk))] = f"{task.flow_task.task_title}（#{task.process_id}）"
    member_ids = [int(pk) for pk in ids.pop("registry.member", ()) if pk.isdigit()]
    member_model = apps.get_model("registry", "Member")
    for pk, name in member_model.objects.filter(pk__in=member_ids).values_list("pk", "name"):
        names[("registry.member", str(pk))] = str(name)
    for object_type, object_ids in ids.items():
        try:
            label = str(apps.get_model(object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            label = object_type
        for object_id in object_ids:
            names[(object_type, object_id)] = f"{label} #{object_id}"
    return names


def _actor_names(events: list[AuditEvent]) -> dict[int, str]:
    user_ids = {event.actor_id for event in events if event.actor_id}
    return {user.pk: user_label(user) for user in get_user_model().objects.filter(pk__in=user_ids)}


def user_label(user: Any) -> str:
    """How a person is named in the history and on case files: full name (username)."""
    if user is None:
        return _("System")
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{full}（{user.get_username()}）" if full else user.get_username()


def chain_head() -> tuple[int, str]:
    """The chain's head: the last event's (seq, hash), or (0, the genesis hash) when empty."""
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    return last if last is not None else (0, GENESIS_HASH)


def household_events(household_id: int) -> list[AuditEvent]:
    """The household's audit events, oldest first."""
    return list(AuditEvent.objects.filter(household_id=household_id).order_by("seq"))


def household_history(
    household_id: int, events: list[AuditEvent] | None = None
) -> list[HistoryEntry]:
    """Everything recorded about a household — its registry data, cases, courses, placements,
    posts, pairings and visits, and every task transition of its flows — oldest first.

    A fixed number of queries however long the history is; ``events`` are the household's
    events if the caller has read them already.
    """
    events = household_events(household_id) if events is None else events
    subjects = _subjects(events)
    actors = _actor_names(events)
    system = _("System")
    return [
        HistoryEntry(
            seq=event.seq,
            household_seq=event.household_seq,
            at=timezone.localtime(event.occurred_at),
            actor=actors.get(event.actor_id, event.actor_username) if event.actor_id else system,
            action=event.action,
            label=action_label(event.action),
            subject=subjects.get((event.object_type, event.object_id), event.object_id),
            changes=[
                (_field_label(event.object_type, name), _shown(values[0]), _shown(values[1]))
                for name, values in sorted(event.changes.items())
                if isinstance(values, list) and len(values) == 2
            ],
            reason=event.reason,
            hash=event.hash,
        )
        for event in events
    ]
