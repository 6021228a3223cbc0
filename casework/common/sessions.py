"""Sessions that do not fail a page while another process holds SQLite's write lock.

On SQLite one writer at a time holds the database: a ledger import holds it for its whole write
phase (about 13 s for 10,000 households). Django's database sessions save on most task-list pages
(viewflow remembers the last list in the session), and a save that cannot take the lock becomes a
400 ("the session could not be saved"). Here an update of an existing session waits only a short
time for the lock and, if the database is still busy, is dropped with a warning: what it carried
(the last list visited) is not worth a failed page. Creating a session (a login) waits the whole
busy timeout as before, since without it the user is not signed in. PostgreSQL is unaffected.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import OperationalError, connections, router

logger = logging.getLogger(__name__)

# How long an update of an existing session waits for SQLite's write lock (milliseconds).
UPDATE_WAIT_MS = 300


def database_is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite's "database is locked" (or "busy"): another writer held the
    lock for longer than the wait."""
    text = str(exc).lower()
    return isinstance(exc, OperationalError) and ("locked" in text or "busy" in text)


@contextmanager
def sqlite_busy_wait(alias: str, milliseconds: int) -> Iterator[None]:
    """Wait at most ``milliseconds`` for SQLite's write lock inside the block (the connection's
    own busy timeout is restored afterwards). Does nothing on other databases."""
    connection = connections[alias]
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(before)}")


class SessionStore(DatabaseSessionStore):
    """Database sessions whose updates give way to a busy SQLite database (see the module)."""

    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        self._created_here = False

    def __setitem__(self, key: str, value: Any) -> None:
        # viewflow stores the current list on every visit; the same value again is no change and
        # costs no write (nor a wait for the lock).
        if key in self and self[key] == value:
            return
        super().__setitem__(key, value)

    def create(self) -> None:
        super().create()
        self._created_here = True

    def save(self, must_create: bool = False) -> None:
        if must_create or self._created_here or self.session_key is None:
            # A new session (a login): without it the user is not signed in, so it waits.
            super().save(must_create=must_create)
            return
        alias = router.db_for_write(self.model)
        try:
            with sqlite_busy_wait(alias, UPDATE_WAIT_MS):
                super().save(must_create=False)
        except (UpdateError, OperationalError) as exc:
            # Django turns the OperationalError into an UpdateError (a deleted session is one
            # too, and still fails the request as Django means it to).
            cause: Any = exc.__context__ if isinstance(exc, UpdateError) else exc
            if cause is None or not database_is_busy(cause):
                raise
            # No session key or user in the message: the log is not a place for them.
            logger.warning("Session update skipped: the database is busy (another writer).")
