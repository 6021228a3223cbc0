"""Every task transition goes into the audit chain, with the user who caused it.

viewflow calls one global hook after each successful activation transition. The actor comes
from ``casework.audit.context`` (the request's user, or the user a service acts for); the
scheduler's timers and escalations have none and read as the system.
"""

from typing import Any

from django.db import transaction
from viewflow.workflow.activation import Activation
from viewflow.workflow.status import STATUS

from casework.audit.context import current_actor
from casework.audit.services import audit_record

from .subjects import process_household_id

# Transitions recorded for any node, by the activation method's name.
_ANY_NODE = {
    "assign": "task.assign",
    "unassign": "task.unassign",
    "reassign": "task.reassign",
    "cancel": "task.cancel",
    "undo": "task.undo",
    "revive": "task.revive",
}
# Completion (→ DONE), by the node's task type; gateways and function nodes are routing, and
# their effects are recorded by the services they call.
_COMPLETED = {
    "HUMAN": "task.execute",
    "START": "process.start",
    "HUMAN_START": "process.start",
    "TIMER": "task.timer_fired",
    "END": "process.finish",
}


def transition_action(name: str, task_type: str, target: Any) -> str | None:
    """The audit action for a transition, or None when it is not recorded."""
    if name in _ANY_NODE:
        return _ANY_NODE[name]
    if name == "complete" and target == STATUS.DONE:
        return _COMPLETED.get(task_type)
    return None


def record_transition(
    activation: Any, descriptor: Any, source: Any, target: Any, **kw: Any
) -> None:
    task = activation.task
    action = transition_action(descriptor._func.__name__, task.flow_task_type, target)
    if action is None:
        return
    changes: dict[str, tuple[Any, Any]] = {"status": (str(source), str(task.status))}
    if action in ("task.assign", "task.reassign"):
        changes["owner"] = (None, task.owner.get_username() if task.owner_id else None)
    actor = current_actor()
    if actor is None and action == "task.execute" and task.owner_id:
        actor = task.owner  # a human step done from code outside any request or service
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=action,
            obj=task,
            household_id=process_household_id(task.process_id),
            changes=changes,
        )


def connect() -> None:
    """Install the hook (viewflow keeps one; installing it again replaces it)."""
    Activation.status.on_success()(record_transition)
