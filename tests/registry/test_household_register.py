"""``household_register`` with ``members``: the head and every other member in one transaction,
each row checked as ``member_add`` checks one member; one error naming the rows, nothing written."""

import pytest
from django.core.exceptions import ValidationError

from casework.audit.models import AuditEvent
from casework.registry import services
from casework.registry.cleaning import member_error_key
from casework.registry.models import Household, Member
from casework.registry.signals import household_registered
from tests import factories
from tests.workflows import helpers as h
from workflows.flows import HouseholdFlow


def _register(world, members, **overrides):
    return services.household_register(
        actor=world.caseworker1,
        number=overrides.pop("number", "A1-0300"),
        grid=world.grid_a1,
        head=overrides.pop("head", factories.member_data(name="赵户主")),
        members=members,
        **overrides,
    )


def _counts():
    return Household.objects.count(), Member.objects.count(), AuditEvent.objects.count()


def _rows():
    return [
        factories.member_data(name="钱妻", relationship=Member.Relationship.SPOUSE),
        factories.member_data(name="孙子", relationship=Member.Relationship.SON),
        factories.member_data(name="李女", relationship=Member.Relationship.DAUGHTER),
    ]


def test_household_is_registered_with_every_member_and_an_event_each(world):
    before = AuditEvent.objects.count()
    household = _register(world, _rows())
    assert sorted(household.members.values_list("name", "relationship")) == sorted(
        [("赵户主", "head"), ("钱妻", "spouse"), ("孙子", "son"), ("李女", "daughter")]
    )
    events = list(AuditEvent.objects.filter(seq__gt=before).order_by("seq"))
    assert [e.action for e in events] == [
        "household.register",
        "member.add",
        "member.add",
        "member.add",
        "household_case.open",
        "process.start",
    ]
    added = {e.object_id for e in events if e.action == "member.add"}
    assert added == {str(m.pk) for m in household.members.exclude(relationship="head")}
    assert all(e.household_id == household.pk for e in events[:4])
    assert all(e.actor == world.caseworker1 for e in events)
    assert h.open_nodes(h.household_process(household)) == [HouseholdFlow.assess.name]


def test_the_flow_is_announced_once_after_every_member_is_saved(world):
    heard = []

    def receiver(sender, household, actor, **kwargs):
        heard.append(sorted(household.members.values_list("name", flat=True)))

    household_registered.connect(receiver, dispatch_uid="test_announced_after_members")
    try:
        _register(world, _rows())
    finally:
        household_registered.disconnect(dispatch_uid="test_announced_after_members")
    assert heard == [sorted(["赵户主", "钱妻", "孙子", "李女"])]


def test_bad_rows_give_one_error_naming_each_row_and_nothing_is_written(world):
    rows = _rows()
    rows[1]["document_number"] = "110105194912310021"  # wrong check character
    rows[2]["relationship"] = ""
    before = _counts()
    with pytest.raises(ValidationError) as excinfo:
        _register(world, rows)
    errors = excinfo.value.message_dict
    assert set(errors) == {
        member_error_key(1, "document_number"),
        member_error_key(2, "relationship"),
    }
    assert errors[member_error_key(1, "document_number")][0].startswith("第2行（孙子）：证件号码")
    assert "校验未通过" in errors[member_error_key(1, "document_number")][0]
    assert errors[member_error_key(2, "relationship")] == ["第3行（李女）：请选择与户主关系。"]
    assert _counts() == before


def test_a_row_without_a_name_is_named_by_its_number(world):
    rows = _rows()
    rows[0]["name"] = " "
    with pytest.raises(ValidationError) as excinfo:
        _register(world, rows)
    assert excinfo.value.message_dict[member_error_key(0, "name")] == ["第1行：请填写姓名。"]


def test_a_second_head_among_the_rows_is_refused(world):
    rows = _rows()
    rows[0]["relationship"] = Member.Relationship.HEAD
    with pytest.raises(ValidationError) as excinfo:
        _register(world, rows)
    (message,) = excinfo.value.message_dict[member_error_key(0, "relationship")]
    assert message.startswith("第1行（钱妻）：与户主关系")
    assert "赵户主" in message and "一户只能有一名户主" in message


def test_a_number_entered_twice_in_the_submission_is_refused(world):
    head = factories.member_data(name="赵户主")
    rows = _rows()
    rows[1]["document_number"] = head["document_number"]
    rows[2]["document_number"] = rows[0]["document_number"].lower()
    before = _counts()
    with pytest.raises(ValidationError) as excinfo:
        _register(world, rows, head=head)
    errors = excinfo.value.message_dict
    (with_head,) = errors[member_error_key(1, "document_number")]
    (with_row,) = errors[member_error_key(2, "document_number")]
    assert with_head.startswith("第2行（孙子）：") and "与户主（赵户主）的相同" in with_head
    assert with_row.startswith("第3行（李女）：") and "与第1行（钱妻）的相同" in with_row
    assert head["document_number"] not in with_head  # numbers are masked in messages
    assert member_error_key(0, "document_number") not in errors
    assert _counts() == before


def test_a_number_registered_already_is_refused_on_its_row(world):
    taken = world.h_b1.members.get().document_number
    rows = _rows()
    rows[2]["document_number"] = taken
    with pytest.raises(ValidationError) as excinfo:
        _register(world, rows)
    (message,) = excinfo.value.message_dict[member_error_key(2, "document_number")]
    assert message.startswith("第3行（李女）：") and "已登记给其他人员" in message
    assert taken not in message


def test_head_and_household_errors_keep_their_own_keys(world):
    taken = world.h_b1.members.get().document_number
    with pytest.raises(ValidationError) as excinfo:
        _register(
            world,
            _rows(),
            number=world.h_a1.number,
            head=factories.member_data(name="赵户主", document_number=taken),
        )
    assert set(excinfo.value.message_dict) == {"number", "head_document_number"}
