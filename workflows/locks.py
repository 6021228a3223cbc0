"""The flows' lock: ``SELECT … FOR UPDATE NOWAIT`` on the process row, retried, each attempt in
a savepoint of its own.

viewflow's ``select_for_update_lock`` catches the refused NOWAIT inside the same atomic block
it tried it in. Nested in a transaction (a service's, a request's), that leaves the transaction
aborted: the caller gets "current transaction is aborted" (a 500) instead of ``FlowLockFailed``
(which the pages and the API answer as "someone else is doing this", 409). Here a refused
attempt rolls back to its own savepoint, the next one waits and tries again, and the row lock,
once taken, is held by the enclosing transaction until the step is done.
"""

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DatabaseError, transaction
from viewflow.workflow.exceptions import FlowLockFailed

ATTEMPTS = 5


class SavepointSelectForUpdateLock:
    def __init__(self, attempts: int = ATTEMPTS) -> None:
        self.attempts = attempts

    @contextmanager
    def __call__(self, flow_class: Any, process_pk: Any) -> Iterator[None]:
        rows = flow_class.process_class._default_manager.filter(pk=process_pk)
        with transaction.atomic():
            for attempt in range(self.attempts):
                try:
                    with transaction.atomic():  # a refused NOWAIT rolls back to here only
                        rows.select_for_update(nowait=True).exists()
                    break
                except DatabaseError:
                    if attempt == self.attempts - 1:
                        raise FlowLockFailed(f"Lock failed for {flow_class}") from None
                    time.sleep(((attempt + 1) * random.random() + 2**attempt) / 2.5)  # noqa: S311 - a backoff, not a secret
            yield


process_lock = SavepointSelectForUpdateLock()
