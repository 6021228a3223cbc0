"""Every service write appends exactly one audit event with its actor, linked into the chain."""

import re

import pytest

from casework.audit.chain import canonical_content, event_hash
from casework.audit.models import AuditEvent
from casework.cases.models import Category
from casework.registry import services
from casework.registry.models import Member
from tests import factories
from tests.workflows import helpers as h
from workflows.flows import EmploymentFlow


def _last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-seq").first()


WRITES = {
    "household_register": lambda w: factories.household(w.caseworker1, w.grid_a1),
    "household_update": lambda w: services.household_update(
        actor=w.caseworker1, household=w.h_a1, colour="yellow"
    ),
    "member_add": lambda w: services.member_add(
        actor=w.caseworker1, household=w.h_a1, **factories.member_data()
    ),
    "member_update": lambda w: services.member_update(
        actor=w.caseworker1, member=w.h_a1.members.last(), name="改名"
    ),
}


# Registering also opens the household's assistance case and starts its flow: two more events.
EXTRA_EVENTS = {"household_register": ["household_case.open", "process.start"]}


@pytest.mark.parametrize("name, write", WRITES.items(), ids=WRITES.keys())
def test_each_service_write_leaves_exactly_one_event_with_its_actor(world, name, write):
    before = AuditEvent.objects.count()
    write(world)
    events = list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))
    assert [e.action for e in events[1:]] == EXTRA_EVENTS.get(name, [])
    for event in events:
        assert event.actor == world.caseworker1
        assert event.actor_username == "caseworker1"
        assert event.occurred_at.utcoffset().total_seconds() == 0


def test_a_write_that_changes_nothing_records_nothing(world):
    before = AuditEvent.objects.count()
    services.household_update(
        actor=world.caseworker1, household=world.h_a1, colour=world.h_a1.colour
    )
    assert AuditEvent.objects.count() == before


def test_member_edit_records_before_after_and_links_to_previous_event(world):
    member = world.h_a1.members.exclude(relationship=Member.Relationship.HEAD).first()
    old_phone = member.phone
    previous = _last_event()

    services.member_update(
        actor=world.caseworker1,
        member=member,
        name="王新名",
        phone="13900001111",
        labour_capacity=Member.LabourCapacity.SKILLED,
    )

    event = _last_event()
    assert event.action == "member.update"
    assert event.object_type == "registry.member"
    assert event.object_id == str(member.pk)
    assert event.household_id == world.h_a1.pk
    assert event.changes == {
        "name": [member.name, "王新名"],
        "phone": [old_phone[:3] + "****" + old_phone[-4:], "139****1111"],
        "labour_capacity": ["ordinary", "skilled"],
    }
    assert event.seq == previous.seq + 1
    assert event.prev_hash == previous.hash
    content = canonical_content(
        seq=event.seq,
        occurred_at=event.occurred_at.isoformat(),
        actor_id=event.actor_id,
        actor_username=event.actor_username,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        household_id=event.household_id,
        changes=event.changes,
        reason=event.reason,
        household_seq=event.household_seq,
    )
    assert event.hash == event_hash(previous.hash, content)


def test_chain_is_unbroken_from_the_first_event(world):
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    for earlier, later in zip(events, events[1:], strict=False):
        assert later.prev_hash == earlier.hash


def test_no_full_document_number_or_phone_in_any_payload(world):
    numbers = set(Member.objects.values_list("document_number", flat=True))
    phones = {p for p in Member.objects.values_list("phone", flat=True) if p}
    for event in AuditEvent.objects.all():
        text = str(event.changes)
        assert not any(number in text for number in numbers)
        assert not any(phone in text for phone in phones)


def test_register_and_add_record_the_new_values_masked(world):
    head = factories.member_data(name="钱户主", phone="13811112222")
    household = factories.household(
        world.caseworker1, world.grid_a1, number="A1-0900", colour="red", head=head
    )
    register = AuditEvent.objects.get(action="household.register", object_id=household.pk)
    assert register.changes["number"] == [None, "A1-0900"]
    assert register.changes["colour"] == [None, "red"]
    assert register.changes["head.name"] == [None, "钱户主"]
    number = head["document_number"]
    assert register.changes["head.document_number"] == [None, f"{number[:6]}********{number[-4:]}"]
    assert register.changes["head.phone"] == [None, "138****2222"]

    member = services.member_add(
        actor=world.caseworker1,
        household=household,
        **factories.member_data(name="钱女儿", health="chronic"),
    )
    add = AuditEvent.objects.get(action="member.add", object_id=member.pk)
    assert add.changes["name"] == [None, "钱女儿"]
    assert add.changes["health"] == [None, "***"]  # health is sensitive: never stored in the log


def test_audit_log_holds_no_document_numbers_phones_or_assessment_reasons(client, world, assessed):
    case = assessed(Category.CAPABLE)
    process = h.employment_process(case)
    h.do(
        client,
        world.caseworker1,
        h.open_task(process, EmploymentFlow.placement),
        {"outcome": "refused", "refusal_reason": "不愿外出"},
    )
    h.do(
        client,
        world.caseworker1,
        h.open_task(process, EmploymentFlow.reassess),
        {
            "category": "not_labour",
            "labour_capacity": "lost",
            "work_willing": "no",
            "training_willing": "no",
            "reasons": "确诊尿毒症，长期透析",
        },
    )
    h.do(
        client,
        world.manager,
        h.open_task(process, EmploymentFlow.reassess_review),
        {"decision": "approve"},
    )
    case.refresh_from_db()
    assert case.is_closed and "尿毒症" not in case.close_reason
    numbers = re.compile(r"\d{17}[\dX]|1[3-9]\d{9}")
    for event in AuditEvent.objects.all():
        text = f"{event.changes} {event.reason}"
        assert not numbers.search(text), (event.action, text)
        assert "尿毒症" not in text, event.action
