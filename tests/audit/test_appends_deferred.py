"""``audit_appends_deferred``: a unit of work's events are appended together when it ends, in
the order they were recorded, so that the chain's lock is held from there to the commit and
not through the whole unit; an event whose savepoint is rolled back is never written."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from casework.audit.models import AuditEvent
from casework.audit.services import (
    PendingEvent,
    audit_appends_deferred,
    audit_record,
    audit_record_many,
)
from casework.audit.verify import verify_chain, verify_household

pytestmark = pytest.mark.django_db


def _record(world, action: str, household=None) -> AuditEvent:
    household = household or world.h_a1
    return audit_record(actor=world.admin, action=action, obj=household, household_id=household.pk)


def _written(actions: list[str]) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action__in=actions).order_by("seq"))


def test_the_events_are_written_when_the_block_ends_in_the_order_recorded(world):
    actions = ["test.first", "test.second", "test.other_household", "test.third"]
    before = AuditEvent.objects.order_by("-seq").first()
    with transaction.atomic():
        with audit_appends_deferred():
            _record(world, actions[0])
            _record(world, actions[1])
            _record(world, actions[2], world.h_b1)
            _record(world, actions[3])
            assert _written(actions) == []
        events = _written(actions)
    assert [e.action for e in events] == actions
    assert [e.seq for e in events] == list(range(before.seq + 1, before.seq + 5))
    assert events[0].prev_hash == before.hash
    first_household = [e.household_seq for e in events if e.household_id == world.h_a1.pk]
    assert first_household == list(range(first_household[0], first_household[0] + 3))
    times = [e.occurred_at for e in events]
    assert times == sorted(times)  # each keeps the time it was recorded at
    assert verify_chain().ok
    assert verify_household(world.h_a1.pk).ok
    assert verify_household(world.h_b1.pk).ok


def test_the_chain_is_read_and_written_once_at_the_end(world):
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        with audit_appends_deferred():
            for n in range(3):
                _record(world, f"test.kept_{n}")
            recorded = len(queries.captured_queries)
    sql = [q["sql"] for q in queries.captured_queries]
    assert recorded == 0
    audit = [s for s in sql if "audit_auditevent" in s]
    assert len(audit) == 2  # the tail with the household's number, then one insert
    assert audit[-1].startswith('INSERT INTO "audit_auditevent"')


def test_an_event_whose_savepoint_is_rolled_back_is_not_written(world):
    with transaction.atomic(), audit_appends_deferred():
        _record(world, "test.before")
        try:
            with transaction.atomic():
                _record(world, "test.rolled_back")
                raise RuntimeError("refused")
        except RuntimeError:
            pass
        with transaction.atomic():
            _record(world, "test.released")
        _record(world, "test.after")
    assert [e.action for e in _written(["test.before", "test.rolled_back", "test.released",
                                        "test.after"])] == [
        "test.before", "test.released", "test.after",
    ]  # fmt: skip
    assert verify_chain().ok
    assert verify_household(world.h_a1.pk).ok


def test_a_bulk_append_inside_the_block_comes_after_the_events_kept_before_it(world):
    with transaction.atomic(), audit_appends_deferred():
        _record(world, "test.kept")
        audit_record_many(
            actor=world.admin, events=[PendingEvent("test.bulk", world.h_a1, world.h_a1.pk)]
        )
        _record(world, "test.later")
    events = _written(["test.kept", "test.bulk", "test.later"])
    assert [e.action for e in events] == ["test.kept", "test.bulk", "test.later"]
    assert [e.seq for e in events] == list(range(events[0].seq, events[0].seq + 3))
    assert verify_chain().ok


def test_an_error_leaving_the_block_writes_none_of_its_events(world):
    with transaction.atomic():
        with pytest.raises(RuntimeError, match="refused"), audit_appends_deferred():
            _record(world, "test.abandoned")
            raise RuntimeError("refused")
        assert _written(["test.abandoned"]) == []


def test_a_block_inside_another_adds_to_the_outer_ones_events(world):
    with transaction.atomic(), audit_appends_deferred():
        with audit_appends_deferred():
            _record(world, "test.inner")
        assert _written(["test.inner"]) == []
        _record(world, "test.outer")
    assert [e.action for e in _written(["test.inner", "test.outer"])] == [
        "test.inner", "test.outer",
    ]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_the_block_is_refused_outside_a_transaction():
    with pytest.raises(RuntimeError, match="inside a transaction"), audit_appends_deferred():
        pass
