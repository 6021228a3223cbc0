"""``audit_chain_held``: the appends of one unit of work lock and read the chain once, and the
chain stays whole however the unit's savepoints end."""

from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from casework.audit.models import AuditEvent
from casework.audit.services import PendingEvent, audit_chain_held, audit_record, audit_record_many
from casework.audit.verify import verify_chain, verify_household

pytestmark = pytest.mark.django_db


def _append(world, action: str = "test.held") -> AuditEvent:
    return audit_record(
        actor=world.admin, action=action, obj=world.h_a1, household_id=world.h_a1.pk
    )


def _consecutive(events: list[AuditEvent]) -> bool:
    seqs = [e.seq for e in events]
    numbers = [e.household_seq for e in events]
    return seqs == list(range(seqs[0], seqs[0] + len(seqs))) and numbers == list(
        range(numbers[0], numbers[0] + len(numbers))
    )


def test_appends_after_the_first_only_insert(world):
    with transaction.atomic(), audit_chain_held():
        first = _append(world)
        with CaptureQueriesContext(connection) as queries:
            later = [_append(world) for _ in range(3)]
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["INSERT"] * 3
    assert _consecutive([first, *later])
    assert later[0].prev_hash == first.hash
    assert verify_chain().ok
    assert verify_household(world.h_a1.pk).ok


def test_without_the_hold_each_append_reads_the_chain(world):
    with transaction.atomic():
        _append(world)
        with CaptureQueriesContext(connection) as queries:
            _append(world)
    assert [q["sql"].split()[0] for q in queries.captured_queries][-1] == "INSERT"
    assert len(queries.captured_queries) > 1


def test_an_append_after_a_rolled_back_savepoint_follows_the_stored_chain(world):
    """The savepoint's event is gone: the next append reads the chain again instead of
    following the event that was rolled back (which would leave a gap)."""
    with transaction.atomic(), audit_chain_held():
        kept = _append(world)
        try:
            with transaction.atomic():
                _append(world, "test.rolled_back")
                raise RuntimeError("refused")
        except RuntimeError:
            pass
        after = _append(world)
    assert not AuditEvent.objects.filter(action="test.rolled_back").exists()
    assert _consecutive([kept, after])
    assert after.prev_hash == kept.hash
    assert verify_chain().ok
    assert verify_household(world.h_a1.pk).ok


def test_an_append_in_a_released_savepoint_is_followed(world):
    with transaction.atomic(), audit_chain_held():
        with transaction.atomic():
            inner = _append(world)
        with CaptureQueriesContext(connection) as queries:
            after = _append(world)
    assert len(queries.captured_queries) == 1
    assert _consecutive([inner, after])
    assert verify_chain().ok


def test_a_bulk_append_inside_the_hold_continues_the_same_chain(world):
    with transaction.atomic(), audit_chain_held():
        first = _append(world)
        audit_record_many(
            actor=world.admin,
            events=[PendingEvent("test.bulk", world.h_a1, world.h_a1.pk) for _ in range(3)],
        )
        with CaptureQueriesContext(connection) as queries:
            last = _append(world)
    assert len(queries.captured_queries) == 1
    events = list(AuditEvent.objects.filter(seq__gte=first.seq).order_by("seq"))
    assert events[-1] == last
    assert _consecutive(events)
    assert verify_chain().ok
    assert verify_household(world.h_a1.pk).ok


def test_no_code_takes_a_savepoint_by_hand():
    """The held tail is forgotten when an ``atomic()`` savepoint rolls back; a savepoint taken
    by hand would leave it pointing at events rolled back (``casework.audit.tail``, the one
    module that names these calls, to explain why), and a bulk action's collected transitions
    would keep the event of a step rolled back (``workflows.records.transitions_collected``)."""
    root = Path(__file__).resolve().parents[2]
    calls = ("transaction.savepoint(", "savepoint_rollback(")
    offenders = [
        str(path.relative_to(root))
        for package in ("casework", "workflows")
        for path in (root / package).rglob("*.py")
        if path.name != "tail.py"
        and any(call in path.read_text(encoding="utf-8") for call in calls)
    ]
    assert offenders == []
