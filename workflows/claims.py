"""Bulk claim and bulk assignment of tasks from the task lists.

Each task is taken on its own, under its process's flow lock and in its own transaction, with
the checks of the one-task pages; the transition hook records each as ``task.assign`` (or
``task.reassign``) with the acting user. One task lost to a colleague, finished meanwhile or
outside the user's rights does not stop the others: the outcome counts each kind. A database
error on one task (SQLite's "database is locked" after the busy timeout) leaves the tasks done
before it done and is reported as not done; once the database is busy the remaining tasks are
not tried, since each would wait the whole busy timeout again.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework import permissions
from casework.audit.context import acting
from casework.common.sessions import database_is_busy

from .flows import FLOWS
from .scoping import in_scope
from .undo import household_of

logger = logging.getLogger(__name__)

# Why a task was not taken, in the order the summary names them.
TAKEN, FINISHED, REFUSED, BUSY, NOT_DONE = "taken", "finished", "refused", "busy", "not_done"
REASONS = (TAKEN, FINISHED, REFUSED, BUSY, NOT_DONE)
# The most tasks one bulk claim or assignment takes: each is a transaction of its own, and the
# request must end well within the server's timeout even when some wait for a lock.
BULK_LIMIT = 100


@dataclass
class BulkOutcome:
    """What a bulk claim or assignment did: the tasks done, and the others by reason."""

    done: list[int] = field(default_factory=list)
    skipped: dict[str, list[int]] = field(default_factory=dict)

    def skip(self, reason: str, task_pk: int) -> None:
        self.skipped.setdefault(reason, []).append(task_pk)

    def summary(self, verb_done: str, **names: str) -> str:
        """One sentence in the user's language: "3 项已认领，1 项已被他人认领". ``verb_done``
        says what was done, with ``%(count)d`` and any ``names``."""
        parts = [verb_done % {"count": len(self.done), **names}] if self.done else []
        texts = {
            TAKEN: lambda n: ngettext(
                "%(count)d was already taken by someone else",
                "%(count)d were already taken by someone else",
                n,
            ),
            FINISHED: lambda n: ngettext(
                "%(count)d was already finished", "%(count)d were already finished", n
            ),
            REFUSED: lambda n: ngettext(
                "%(count)d is outside the rights", "%(count)d are outside the rights", n
            ),
            BUSY: lambda n: ngettext(
                "%(count)d is being worked on right now; try again",
                "%(count)d are being worked on right now; try again",
                n,
            ),
            NOT_DONE: lambda n: ngettext(
                "%(count)d could not be done; try again later",
                "%(count)d could not be done; try again later",
                n,
            ),
        }
        for reason in REASONS:
            if count := len(self.skipped.get(reason, [])):
                parts.append(texts[reason](count) % {"count": count})
        return _(", ").join(parts) if parts else _("No task was selected.")


def tasks_claim(*, actor: User, task_pks: Iterable[int]) -> BulkOutcome:
    """Take each free task for ``actor`` (the step's permission is needed for each)."""

    def claim(task: Task, activation: Any) -> str | None:
        if not task.flow_task.can_assign(actor, task):
            return REFUSED
        activation.assign(actor)
        return None

    return _each(actor, task_pks, claim, allow_assigned=False)


def tasks_assign(*, actor: User, task_pks: Iterable[int], assignee: User) -> BulkOutcome:
    """Hand each task to ``assignee``: a free one is assigned, a taken one reassigned.

    ``actor`` must manage the household's site (``permissions.may_assign_task``), and
    ``assignee`` must hold the step's own permission (as if they claimed it themselves).
    """

    def assign(task: Task, activation: Any) -> str | None:
        household = household_of(task)
        if household is None or not permissions.may_assign_task(actor, household):
            return REFUSED
        if not assignee.is_active or not may_take(assignee, task):
            return REFUSED
        if task.status == STATUS.NEW:
            activation.assign(assignee)
        elif task.owner_id != assignee.pk:
            activation.reassign(assignee)
        return None

    return _each(actor, task_pks, assign, allow_assigned=True)


def may_take(user: User, task: Task) -> bool:
    """The step's own permission, as ``can_assign`` checks it, whoever holds the task now."""
    owner_id = task.owner_id
    task.owner_id = None
    try:
        return bool(task.flow_task.can_assign(user, task))
    finally:
        task.owner_id = owner_id


def _each(
    actor: User,
    task_pks: Iterable[int],
    action: Callable[[Task, Any], str | None],
    *,
    allow_assigned: bool,
) -> BulkOutcome:
    wanted = sorted(set(task_pks))
    if len(wanted) > BULK_LIMIT:
        raise ValidationError(
            {"tasks": _("Select at most %(limit)d tasks at a time.") % {"limit": BULK_LIMIT}}
        )
    outcome = BulkOutcome()
    tasks = in_scope(
        Task.objects.filter(pk__in=wanted, process__flow_class__in=FLOWS, flow_task_type="HUMAN"),
        actor,
    ).order_by("pk")
    busy = False
    for task in tasks:
        if busy:
            outcome.skip(NOT_DONE, task.pk)
            continue
        try:
            reason = _one(actor, task, action, allow_assigned=allow_assigned)
        except FlowLockFailed:
            reason = BUSY
        except DatabaseError as error:
            # Its transaction was rolled back; those done before it stay done.
            logger.warning("Bulk task %s not done: %s", task.pk, error)
            busy = database_is_busy(error)
            reason = NOT_DONE
        if reason is None:
            outcome.done.append(task.pk)
        else:
            outcome.skip(reason, task.pk)
    return outcome


def _one(
    actor: User, task: Task, action: Callable[[Task, Any], str | None], *, allow_assigned: bool
) -> str | None:
    with transaction.atomic(), acting(actor), task.activation() as activation:
        # Re-read under the lock: a colleague may have taken or finished it meanwhile.
        if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
            return FINISHED
        if task.status == STATUS.ASSIGNED and not allow_assigned:
            return None if task.owner_id == actor.pk else TAKEN
        return action(task, activation)
