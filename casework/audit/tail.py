"""The chain's tail kept between appends of one unit of work (``audit_chain_held``).

A task completion appends three or four events in one transaction; each append took the lock
and read the chain's head and the household's last number again, though the transaction has
held the lock since its first append and nobody else can have appended since. Inside
``audit_chain_held`` the tail is remembered after each append and the next append starts from
it, as long as it is still what the database holds: a savepoint rolled back since (which
removes the events and, in PostgreSQL, the advisory lock taken inside it) or the end of the
transaction forgets it.

How a rollback is noticed: with each remembered tail a no-op ``on_commit`` callback is
registered inside the current savepoints; Django drops the callbacks of a savepoint it rolls
back, and all of them when the transaction ends (``BaseDatabaseWrapper.savepoint_rollback``),
so the tail is trusted only while its callback is still pending.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import transaction


@dataclass
class Tail:
    """The chain's last (seq, hash) and the last number of each household appended to."""

    seq: int
    hash: str
    household_seqs: dict[int, int] = field(default_factory=dict)
    marker: Callable[[], None] | None = None
    savepoints: tuple[str, ...] = ()


@dataclass
class _Hold:
    tail: Tail | None = None


_hold: ContextVar[_Hold | None] = ContextVar("casework_audit_chain_hold", default=None)


@contextmanager
def audit_chain_held() -> Iterator[None]:
    """Inside the block, consecutive appends of the same transaction reuse the tail the last
    append left instead of locking and reading the chain again. For a service that appends
    several events and writes nothing to the audit table by other means meanwhile, and that
    nests transactions with ``atomic()`` only: a savepoint taken by hand
    (``transaction.savepoint()``) is not in ``connection.savepoint_ids``, so rolling it back
    would not forget the tail. ``tests/audit/test_chain_held.py`` fails on any such call."""
    if _hold.get() is not None:  # nested: the outer block already holds it
        yield
        return
    token = _hold.set(_Hold())
    try:
        yield
    finally:
        _hold.reset(token)


def rollback_marker() -> Callable[[], None]:
    """A no-op ``on_commit`` callback, registered now inside the current savepoints: while it
    is pending (``markers_standing``), nothing done since it was made has been rolled back.
    Inside a transaction; only savepoints taken with ``atomic()`` are seen."""

    def marker() -> None:
        """Nothing to do on commit: pending, it says what it stands for still holds."""

    transaction.on_commit(marker)
    return marker


def rollback_marker_shared(
    previous: Callable[[], None] | None, previous_savepoints: tuple[str, ...]
) -> tuple[Callable[[], None], tuple[str, ...]]:
    """A rollback marker for what is done now, and the savepoints it is made in: ``previous``
    when it was made in the same savepoints (it already stands for this), else a new one."""
    savepoints = tuple(transaction.get_connection().savepoint_ids)
    if previous is not None and previous_savepoints == savepoints:
        return previous, savepoints
    return rollback_marker(), savepoints


def markers_standing() -> set[int]:
    """The ids of the callbacks still pending in the current transaction (none outside one)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return set()
    return {id(entry[1]) for entry in connection.run_on_commit}


def tail_held() -> Tail | None:
    """The remembered tail, if inside ``audit_chain_held`` and still valid."""
    hold = _hold.get()
    if hold is None or hold.tail is None:
        return None
    if hold.tail.marker is None or id(hold.tail.marker) not in markers_standing():
        hold.tail = None
        return None
    return hold.tail


def tail_remember(seq: int, digest: str, household_seqs: dict[int, int], base: Tail | None) -> None:
    """After an append: remember the new tail (inside ``audit_chain_held`` only). ``base`` is
    the tail the append started from (None when it read the chain), whose household numbers
    are still valid and are kept."""
    hold = _hold.get()
    if hold is None:
        return
    known = {**(base.household_seqs if base else {}), **household_seqs}
    marker, savepoints = rollback_marker_shared(
        base.marker if base else None, base.savepoints if base else ()
    )
    hold.tail = Tail(seq, digest, known, marker, savepoints)
