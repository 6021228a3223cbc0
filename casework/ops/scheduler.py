"""One scheduler at a time: a lock held for as long as the loop runs.

PostgreSQL: a session advisory lock (released by the server if the process dies).
SQLite: an exclusive ``flock`` on a file beside the database (released by the OS likewise).
"""

import fcntl
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import connections

LOCK_NAME = "casework.run_scheduler"


class SchedulerBusy(RuntimeError):
    """Another scheduler holds the lock."""


def _advisory_key() -> int:
    digest = hashlib.sha256(LOCK_NAME.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _lock_file_path() -> Path:
    name = str(settings.DATABASES["default"]["NAME"])
    base = Path(name) if name and ":memory:" not in name and "mode=memory" not in name else None
    folder = base.parent if base else Path(settings.BASE_DIR)
    return folder / ".run_scheduler.lock"


@contextmanager
def scheduler_lock(using: str = "default") -> Iterator[None]:
    """Hold the single-scheduler lock, or raise SchedulerBusy at once."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        # A connection of its own: Django recycles its connections (CONN_MAX_AGE,
        # close_old_connections), and closing the session would release the lock.
        own = connection.get_new_connection(connection.get_connection_params())
        own.autocommit = True
        try:
            with own.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [_advisory_key()])
                if not cursor.fetchone()[0]:
                    raise SchedulerBusy(LOCK_NAME)
            yield
        finally:
            own.close()  # ends the session, which releases the lock
        return
    handle: IO[str] = open(_lock_file_path(), "w")  # noqa: SIM115 - held for the whole loop
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise SchedulerBusy(LOCK_NAME) from exc
        yield
    finally:
        handle.close()
