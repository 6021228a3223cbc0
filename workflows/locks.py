"""The flows' lock: the process row taken ``FOR UPDATE SKIP LOCKED``, retried with a backoff.

viewflow's ``select_for_update_lock`` catches the refused NOWAIT inside the same atomic block
it tried it in. Nested in a transaction (a service's, a request's), that leaves the transaction
aborted: the caller gets "current transaction is aborted" (a 500) instead of ``FlowLockFailed``
(which the pages and the API answer as "someone else is doing this", 409).

Here a row another transaction holds is skipped, not refused: the read returns nothing, no
error is raised, and the transaction stays usable without a savepoint per attempt. The next
attempt waits and tries again; once taken, the row lock is held by the enclosing transaction
until the step is done. The lock's block keeps its own savepoint when nested, so that a caller
that catches an error raised inside it (a refused step in a list of many, a 403 page read
after it) still has a usable transaction. Without a savepoint around each attempt as well, a
lock costs two statements fewer (``tests/workflows/test_completion_queries.py``).

The row read under the lock, with its household from the scope keys, is kept for the lock's
duration (``locked_process``), so that the activation made inside it does not read the same
process again, nor a completion's first audit event its household (``records``).
"""

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Subquery
from viewflow.workflow.exceptions import FlowLockFailed

from .models import ProcessScope

ATTEMPTS = 5

# The processes read under a lock that is still held, by pk (one numbering for every flow).
_held: ContextVar[dict[Any, Any] | None] = ContextVar("process_locks", default=None)
# The attribute a process read under the lock carries its household's id in.
HOUSEHOLD = "wf_locked_household_id"


def locked_process(process_class: type, pk: Any) -> Any | None:
    """The ``process_class`` row ``pk`` as read under the lock this thread holds on it, or None
    outside such a lock. It carries its household's id as ``HOUSEHOLD``."""
    held = _held.get()
    process = held.get(pk) if held else None
    return process if isinstance(process, process_class) else None


def locked_households_moved(households: dict[Any, int | None]) -> None:
    """Processes whose scope keys now name another household (a member split off): the rows
    read under a lock this thread holds carry the new one."""
    held = _held.get() or {}
    for pk, household_id in households.items():
        process = held.get(pk)
        if process is not None:
            setattr(process, HOUSEHOLD, household_id)


class SkipLockedProcessLock:
    def __init__(self, attempts: int = ATTEMPTS) -> None:
        self.attempts = attempts

    @contextmanager
    def __call__(self, flow_class: Any, process_pk: Any) -> Iterator[None]:
        process_class = flow_class.process_class
        rows = process_class._default_manager.filter(pk=process_pk)
        with transaction.atomic():
            process = None
            if process_pk is not None:
                process = self._take(flow_class, rows)
            held = dict(_held.get() or {})
            if process is not None:
                held[process.pk] = process
            token = _held.set(held)
            try:
                yield
            finally:
                _held.reset(token)

    def _take(self, flow_class: Any, rows: Any) -> Any | None:
        """The process row, locked; None when there is no such row (nothing to lock, as with
        viewflow's lock). ``FlowLockFailed`` when another transaction still holds it after the
        last attempt."""
        household = ProcessScope.objects.filter(process=OuterRef("pk")).values("household_id")
        locking = rows.annotate(**{HOUSEHOLD: Subquery(household[:1])}).select_for_update(
            skip_locked=True, of=("self",)
        )
        for attempt in range(self.attempts):
            process = locking.first()
            if process is not None:
                return process
            if not rows.exists():  # gone, not held
                return None
            if attempt < self.attempts - 1:
                time.sleep(((attempt + 1) * random.random() + 2**attempt) / 2.5)  # noqa: S311 - a backoff, not a secret
        raise FlowLockFailed(f"Lock failed for {flow_class}")


process_lock = SkipLockedProcessLock()
