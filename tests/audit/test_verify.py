"""``audit_verify`` names the first event that was modified, deleted, inserted or reordered
(acceptance 1); on PostgreSQL the database itself refuses UPDATE and DELETE of audit rows.
Cuts at the chain's end and forgeries without the key: tests/audit/test_tamper.py."""

import datetime

import pytest
from django.core.management import CommandError
from django.db import DatabaseError, connection, transaction

from casework.audit.chain import KEYED, canonical_content, event_hash
from casework.audit.models import AuditEvent
from casework.audit.verify import verify_chain, verify_household
from tests.audit.helpers import run_verify as _run
from tests.audit.helpers import tampering

pytestmark = pytest.mark.django_db


def _middle(world) -> AuditEvent:
    events = list(AuditEvent.objects.order_by("seq"))
    assert len(events) > 10
    return events[len(events) // 2]


def test_an_untouched_chain_passes_and_the_command_exits_zero(world):
    result = verify_chain()
    assert result.ok, result.problem
    assert result.checked == AuditEvent.objects.count()
    head = AuditEvent.objects.order_by("-seq").first()
    assert result.head_hash == head.hash
    output = _run()
    assert head.hash in output
    assert verify_household(world.h_a1.pk).ok
    assert world.h_a1.number and head.hash in _run("--household", world.h_a1.number)


def test_a_modified_event_is_named(world):
    target = _middle(world)
    with tampering():
        AuditEvent.objects.filter(pk=target.pk).update(reason="事后改写")
    problem = verify_chain().problem
    assert (problem.kind, problem.seq, problem.event_id) == ("modified", target.seq, target.pk)
    with pytest.raises(CommandError, match=rf"#{target.seq}\D"):
        _run()


def test_a_modified_event_whose_hash_was_recomputed_is_named(world):
    """A careful forger recomputes the row's own hash, even with the audit key; its successor
    still links to the old one."""
    target = _middle(world)
    target.reason = "事后改写"
    content = canonical_content(
        seq=target.seq,
        occurred_at=target.occurred_at.astimezone(datetime.UTC).isoformat(),
        actor_id=target.actor_id,
        actor_username=target.actor_username,
        action=target.action,
        object_type=target.object_type,
        object_id=target.object_id,
        household_id=target.household_id,
        changes=target.changes,
        reason=target.reason,
        household_seq=target.household_seq,
    )
    with tampering():
        AuditEvent.objects.filter(pk=target.pk).update(
            reason=target.reason, hash=event_hash(target.prev_hash, content)
        )
    problem = verify_chain().problem
    assert (problem.kind, problem.seq, problem.event_id) == ("modified", target.seq, target.pk)


def test_a_deleted_event_is_named(world):
    target = _middle(world)
    with tampering():
        AuditEvent.objects.filter(pk=target.pk).delete()
    problem = verify_chain().problem
    assert (problem.kind, problem.seq) == ("deleted", target.seq)
    with pytest.raises(CommandError, match=rf"#{target.seq}\D"):
        _run()


def _forge(before: AuditEvent, seq: int) -> AuditEvent:
    """A well-formed event linked to ``before``, as a forger who knows the algorithm and holds
    the audit key writes it (without the key: tests/audit/test_tamper.py)."""
    fields = {
        "seq": seq,
        "occurred_at": before.occurred_at,
        "actor_id": before.actor_id,
        "actor_username": before.actor_username,
        "action": "member.update",
        "object_type": "registry.member",
        "object_id": "1",
        "household_id": None,
        "household_seq": None,
        "changes": {"name": ["甲", "乙"]},
        "reason": "",
    }
    content = canonical_content(
        **{**fields, "occurred_at": fields["occurred_at"].astimezone(datetime.UTC).isoformat()}
    )
    return AuditEvent.objects.create(
        **fields, prev_hash=before.hash, hash=event_hash(before.hash, content), hash_scheme=KEYED
    )


def test_an_inserted_event_is_named(world):
    target = _middle(world)
    before = AuditEvent.objects.get(seq=target.seq - 1)
    with tampering():
        for event in AuditEvent.objects.filter(seq__gte=target.seq).order_by("-seq"):
            AuditEvent.objects.filter(pk=event.pk).update(seq=event.seq + 1)
        forged = _forge(before, target.seq)
    problem = verify_chain().problem
    assert (problem.kind, problem.seq, problem.event_id) == ("inserted", target.seq, forged.pk)
    with pytest.raises(CommandError, match=rf"id {forged.pk}\D"):
        _run()


@pytest.mark.parametrize("window", [10_000, 0], ids=["near", "whole chain"])
def test_reordered_events_are_named(world, monkeypatch, window):
    """The moved event is found among its neighbours, or failing that in the whole chain."""
    monkeypatch.setattr("casework.audit.verify.LINK_WINDOW", window)
    first = _middle(world)
    second = AuditEvent.objects.get(seq=first.seq + 1)
    with tampering():
        AuditEvent.objects.filter(pk=first.pk).update(seq=0)
        AuditEvent.objects.filter(pk=second.pk).update(seq=first.seq)
        AuditEvent.objects.filter(pk=first.pk).update(seq=second.seq)
    problem = verify_chain().problem
    assert (problem.kind, problem.seq, problem.event_id) == ("reordered", first.seq, second.pk)


def test_the_household_check_names_a_modified_or_deleted_event_of_its_own(world):
    events = list(AuditEvent.objects.filter(household_id=world.h_a1.pk).order_by("seq"))
    assert [e.household_seq for e in events] == list(range(1, len(events) + 1))
    target = events[1]
    with tampering():
        AuditEvent.objects.filter(pk=target.pk).update(changes={"colour": ["red", "green"]})
    problem = verify_household(world.h_a1.pk).problem
    assert (problem.kind, problem.event_id) == ("modified", target.pk)
    assert verify_household(world.h_b1.pk).ok  # another household's events are untouched

    with tampering():
        AuditEvent.objects.filter(pk=target.pk).delete()
    problem = verify_household(world.h_a1.pk).problem
    assert problem.kind == "deleted"


def test_a_rewritten_log_no_longer_holds_an_anchored_head(world):
    head = AuditEvent.objects.order_by("-seq").first()
    assert head.hash in _run("--anchor", f"{head.seq}:{head.hash}")
    with pytest.raises(CommandError, match="anchor|锚"):
        _run("--anchor", f"{head.seq}:{'0' * 64}")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the guard is a PostgreSQL trigger")
def test_postgresql_refuses_update_and_delete_of_audit_rows(world):
    event = AuditEvent.objects.order_by("seq").first()
    for statement in (
        lambda: AuditEvent.objects.filter(pk=event.pk).update(reason="改写"),
        lambda: AuditEvent.objects.filter(pk=event.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            statement()
    event.refresh_from_db()
    assert event.reason == "" and verify_chain().ok
