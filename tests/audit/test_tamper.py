"""Tampering that an unkeyed, unanchored chain let through (issue 16, acceptance 4).

Each attack is done as someone who can write the database (on PostgreSQL: as the owner, with the
guard switched off) but holds neither the audit key nor the anchor file. ``audit_verify`` fails
and names what it found. On PostgreSQL the application's own role cannot even try.
"""

import datetime
from contextlib import contextmanager

import psycopg
import pytest
from django.core.management import CommandError
from django.db import connection, transaction

from casework.audit.anchor import anchor_append, anchors_read
from casework.audit.chain import KEYED, PLAIN, canonical_content, event_hash
from casework.audit.models import AuditEvent
from casework.audit.services import audit_record
from casework.audit.verify import verify_chain, verify_household
from casework.ops.db_roles import RoleSetupError, db_roles_apply
from tests.audit.helpers import recompute_plain, run_verify, tampering

pytestmark = pytest.mark.django_db


def _anchored(world) -> AuditEvent:
    """Anchor the chain's head, as the scheduler's sweep does; the anchored event."""
    anchor = anchor_append()
    assert anchor is not None
    return AuditEvent.objects.get(seq=anchor.seq, hash=anchor.hash)


def _verify():
    return verify_chain(anchors_read() or ())


def test_truncating_every_event_is_found_from_the_anchor(world):
    """Yesterday: TRUNCATE plus a reset of the head row read as "已校验 0 条事件". The head is
    now the last event itself, and the anchor file still names the one the table held."""
    anchored = _anchored(world)
    with tampering():
        AuditEvent.objects.all().delete()
    problem = _verify().problem
    assert (problem.kind, problem.seq, problem.event_id) == ("truncated", anchored.seq, None)
    with pytest.raises(
        CommandError, match=rf"锚定记录 #{anchored.seq}（.*）在数据库中不存在：事件被截断或删除"
    ):
        run_verify()


def test_deleting_the_newest_events_and_rewinding_is_found_from_the_anchor(world):
    anchored = _anchored(world)
    with tampering():
        AuditEvent.objects.filter(seq__gt=anchored.seq - 3).delete()
    problem = _verify().problem
    assert (problem.kind, problem.seq) == ("truncated", anchored.seq)
    with pytest.raises(CommandError, match=rf"#{anchored.seq}（"):
        run_verify()


def test_a_rewound_chain_that_grew_again_is_found_from_the_anchor(world):
    """After the tail was deleted, new events take the deleted numbers with other hashes."""
    anchored = _anchored(world)
    with tampering():
        AuditEvent.objects.filter(seq__gt=anchored.seq - 3).delete()
    with transaction.atomic():
        for _ in range(5):
            audit_record(actor=world.admin, action="test.after_rewind", obj=None, household_id=None)
    assert verify_chain().ok  # the chain alone is well-formed again
    problem = _verify().problem
    assert (problem.kind, problem.seq) == ("rewritten", anchored.seq)
    with pytest.raises(CommandError, match=rf"锚定记录 #{anchored.seq}（.*）的哈希已不同"):
        run_verify()


def test_the_sweep_stops_anchoring_a_chain_that_lost_its_anchored_head(world):
    anchored = _anchored(world)
    with tampering():
        AuditEvent.objects.filter(seq=anchored.seq).delete()
    with transaction.atomic():
        audit_record(actor=world.admin, action="test.after_cut", obj=None, household_id=None)
    with pytest.raises(Exception, match=f"#{anchored.seq} is no longer in the database"):
        anchor_append()
    assert [a.seq for a in anchors_read()] == [anchored.seq]


def _edit(event: AuditEvent) -> None:
    AuditEvent.objects.filter(pk=event.pk).update(reason="事后改写")


def test_an_edit_with_every_later_hash_recomputed_without_the_key_is_found(world):
    events = list(AuditEvent.objects.order_by("seq"))
    target = events[len(events) // 2]
    with tampering():
        _edit(target)
        recompute_plain(target.seq, mark_plain=False)
    problem = _verify().problem
    assert (problem.kind, problem.seq, problem.event_id) == ("modified", target.seq, target.pk)
    with pytest.raises(CommandError, match=rf"#{target.seq}（id {target.pk}.*被修改"):
        run_verify()


def test_an_edit_recomputed_and_marked_as_plain_events_is_found(world):
    """Marking the rewritten events as plain SHA-256 ones (as events from before the key are)
    does not help: no plain event may follow a keyed one."""
    events = list(AuditEvent.objects.order_by("seq"))
    target = events[len(events) // 2]
    with tampering():
        _edit(target)
        recompute_plain(target.seq, mark_plain=True)
    problem = _verify().problem
    assert (problem.kind, problem.seq, problem.event_id) == ("forged", target.seq, target.pk)
    with pytest.raises(CommandError, match=rf"#{target.seq}（id {target.pk}.*伪造"):
        run_verify()


def test_the_whole_chain_rewritten_as_plain_events_is_found_from_the_anchor(world):
    anchored = _anchored(world)
    with tampering():
        _edit(AuditEvent.objects.get(seq=2))
        recompute_plain(1, mark_plain=True)
    assert verify_chain().ok  # a well-formed plain chain, as if the key had never existed
    problem = _verify().problem
    assert (problem.kind, problem.seq) == ("rewritten", anchored.seq)


def _forged_append(world, scheme: str) -> AuditEvent:
    """An event appended with a correct SHA-256 over its content and the head's hash."""
    last = AuditEvent.objects.order_by("-seq").first()
    fields = {
        "seq": last.seq + 1,
        "occurred_at": last.occurred_at,
        "actor_id": world.admin.pk,
        "actor_username": "admin",
        "action": "member.update",
        "object_type": "registry.member",
        "object_id": "1",
        "household_id": None,
        "household_seq": None,
        "changes": {"name": ["甲", "乙"]},
        "reason": "",
    }
    content = canonical_content(
        **{**fields, "occurred_at": last.occurred_at.astimezone(datetime.UTC).isoformat()}
    )
    return AuditEvent.objects.create(
        **fields,
        prev_hash=last.hash,
        hash=event_hash(last.hash, content, PLAIN),
        hash_scheme=scheme,
    )


def test_a_correctly_hashed_forged_append_is_found(world):
    forged = _forged_append(world, PLAIN)
    problem = _verify().problem
    assert (problem.kind, problem.seq, problem.event_id) == ("forged", forged.seq, forged.pk)
    with pytest.raises(CommandError, match=rf"#{forged.seq}（id {forged.pk}.*伪造"):
        run_verify()


def test_a_forged_append_claiming_the_keyed_scheme_does_not_verify(world):
    forged = _forged_append(world, KEYED)
    problem = _verify().problem
    assert (problem.kind, problem.seq, problem.event_id) == ("modified", forged.seq, forged.pk)


def test_the_household_check_finds_a_forged_plain_event_of_its_own(world):
    last = AuditEvent.objects.order_by("-seq").first()
    fields = {
        "seq": last.seq + 1,
        "occurred_at": last.occurred_at,
        "actor_id": None,
        "actor_username": "",
        "action": "household.update",
        "object_type": "registry.household",
        "object_id": str(world.h_a1.pk),
        "household_id": world.h_a1.pk,
        "household_seq": AuditEvent.objects.filter(household_id=world.h_a1.pk).count() + 1,
        "changes": {},
        "reason": "",
    }
    content = canonical_content(
        **{**fields, "occurred_at": last.occurred_at.astimezone(datetime.UTC).isoformat()}
    )
    forged = AuditEvent.objects.create(
        **fields, prev_hash=last.hash, hash=event_hash(last.hash, content, PLAIN)
    )
    assert forged.hash_scheme == PLAIN
    problem = verify_household(world.h_a1.pk).problem
    assert (problem.kind, problem.event_id) == ("forged", forged.pk)


def test_events_from_before_the_key_keep_verifying(world):
    """An existing chain of plain SHA-256 events (as migration 0004 marks them) goes on with
    keyed events, and the whole verifies."""
    with tampering():
        recompute_plain(1, mark_plain=True)  # what the chain was before the key
    with transaction.atomic():
        event = audit_record(actor=world.admin, action="test.keyed", obj=None, household_id=None)
    assert event.hash_scheme == KEYED
    result = _verify()
    assert result.ok, result.problem
    assert result.checked == AuditEvent.objects.count()
    assert verify_household(world.h_a1.pk).ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="session_replication_role is PG's")
def test_the_replication_role_bypass_of_the_trigger_is_found(world):
    """As the owner, ``session_replication_role = replica`` switches the append-only trigger off;
    what is then deleted or changed is still found."""
    anchored = _anchored(world)
    middle = AuditEvent.objects.get(seq=anchored.seq // 2)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("UPDATE audit_auditevent SET reason = 'replica' WHERE id = %s", [middle.pk])
        cursor.execute("DELETE FROM audit_auditevent WHERE seq > %s", [anchored.seq - 2])
        cursor.execute("SET session_replication_role = DEFAULT")
    problem = _verify().problem
    assert (problem.kind, problem.event_id) == ("modified", middle.pk)
    with connection.cursor() as cursor:  # the edit undone: the cut at the end remains
        cursor.execute("SET session_replication_role = replica")
        cursor.execute(
            "UPDATE audit_auditevent SET reason = %s WHERE id = %s", [middle.reason, middle.pk]
        )
        cursor.execute("SET session_replication_role = DEFAULT")
    problem = _verify().problem
    assert (problem.kind, problem.seq) == ("truncated", anchored.seq)


APP_ROLE = "casework_app_tamper_test"


@pytest.fixture
def app_role():
    """The application's role, set up as ``manage.py db_roles`` does, and dropped afterwards."""
    db_roles_apply(using="default", role=APP_ROLE, password="app-role-pass")
    yield APP_ROLE
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {APP_ROLE}")
        cursor.execute(f"DROP ROLE {APP_ROLE}")


def _connect_as(role: str) -> psycopg.Connection:
    params = connection.settings_dict
    return psycopg.connect(
        host=params["HOST"],
        port=params["PORT"],
        dbname=params["NAME"],
        user=role,
        password="app-role-pass",
        autocommit=True,
    )


@contextmanager
def _django_as(role: str):
    """Django's own connection as ``role`` for a while."""
    params = connection.settings_dict
    saved = params["USER"], params.get("PASSWORD")
    connection.close()
    params["USER"], params["PASSWORD"] = role, "app-role-pass"
    try:
        yield
    finally:
        connection.close()
        params["USER"], params["PASSWORD"] = saved


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_the_application_role_may_only_read_and_append_audit_events(app_role):
    with transaction.atomic():
        first = audit_record(actor=None, action="test.as_owner", obj=None, household_id=None)
    refused = [
        "TRUNCATE audit_auditevent",
        "UPDATE audit_auditevent SET reason = 'x'",
        "DELETE FROM audit_auditevent",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only",
        "ALTER TABLE audit_auditevent ADD COLUMN note text",
        "SET session_replication_role = replica",
    ]
    with _connect_as(app_role) as own:
        for statement in refused:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                own.execute(statement)
        assert own.execute("SELECT count(*) FROM audit_auditevent").fetchone() == (1,)
        # Other tables: full DML.
        own.execute("INSERT INTO auth_group (name) VALUES ('app-role-test')")
        own.execute("UPDATE auth_group SET name = 'app-role-test-2' WHERE name = 'app-role-test'")
        own.execute("DELETE FROM auth_group WHERE name = 'app-role-test-2'")
    with _django_as(app_role):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone() == (app_role,)
        with transaction.atomic():
            second = audit_record(actor=None, action="test.as_app", obj=None, household_id=None)
    assert (second.seq, second.prev_hash) == (first.seq + 1, first.hash)
    assert verify_chain().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_the_role_setup_refuses_to_make_the_owner_the_application_role():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (owner,) = cursor.fetchone()
    with pytest.raises(RoleSetupError, match="must not be the owner"):
        db_roles_apply(using="default", role=owner, password=None)
