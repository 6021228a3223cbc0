import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casework.audit.models import AuditEvent
from casework.registry import services
from casework.registry.models import Household, Member
from tests import factories


def test_register_creates_household_with_its_head(world):
    household = factories.household(
        world.caseworker1,
        world.grid_a1,
        number="A1-0100",
        head=factories.member_data(name="赵户主"),
    )
    head = household.members.get()
    assert head.relationship == Member.Relationship.HEAD
    assert head.name == "赵户主"


def test_register_derives_sex_and_birth_date_and_upgrades_15_digits(world):
    household = factories.household(
        world.caseworker1,
        world.grid_a1,
        head=factories.member_data(document_number="110105491231002"),
    )
    head = household.members.get()
    assert head.document_number == "11010519491231002X"
    assert head.sex == "F"
    assert str(head.birth_date) == "1949-12-31"


def test_duplicate_document_number_is_refused(world):
    taken = world.h_a1.members.first().document_number
    with pytest.raises(ValidationError) as excinfo:
        services.member_add(
            actor=world.caseworker1,
            household=world.h_a1,
            **factories.member_data(document_number=taken.lower()),
        )
    text = " ".join(excinfo.value.message_dict["document_number"])
    assert "已登记给其他人员" in text
    assert taken not in text  # the message masks the number


def test_duplicate_document_number_on_register_is_reported_on_the_head_field(world):
    taken = world.h_b1.members.first().document_number
    with pytest.raises(ValidationError) as excinfo:
        factories.household(
            world.caseworker1, world.grid_a1, head=factories.member_data(document_number=taken)
        )
    assert "head_document_number" in excinfo.value.message_dict
    assert not Household.objects.filter(grid=world.grid_a1).exclude(pk=world.h_a1.pk).exists()


def test_second_head_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        services.member_add(
            actor=world.caseworker1,
            household=world.h_a1,
            **factories.member_data(relationship=Member.Relationship.HEAD),
        )
    text = excinfo.value.message_dict["relationship"][0]
    assert text.startswith("与户主关系")
    assert "甲户主" in text


def test_changing_a_member_into_a_second_head_is_refused(world):
    son = world.h_a1.members.exclude(relationship=Member.Relationship.HEAD).first()
    with pytest.raises(ValidationError):
        services.member_update(
            actor=world.caseworker1, member=son, relationship=Member.Relationship.HEAD
        )


def test_bad_phone_is_refused_naming_the_field(world):
    with pytest.raises(ValidationError) as excinfo:
        services.member_add(
            actor=world.caseworker1, household=world.h_a1, **factories.member_data(phone="1234")
        )
    assert excinfo.value.message_dict["phone"][0].startswith("联系电话")


def test_caseworker_cannot_write_to_another_grid(world):
    with pytest.raises(PermissionDenied):
        services.member_add(
            actor=world.caseworker2, household=world.h_a1, **factories.member_data()
        )
    with pytest.raises(PermissionDenied):
        services.household_update(actor=world.caseworker2, household=world.h_a1, colour="red")
    with pytest.raises(PermissionDenied):
        factories.household(world.caseworker2, world.grid_a1)


def test_helper_cannot_write_to_paired_household(world):
    with pytest.raises(PermissionDenied):
        services.household_update(actor=world.helper, household=world.h_a1, colour="red")


def test_failed_write_leaves_nothing_behind(world):
    before = (Household.objects.count(), Member.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError):
        factories.household(
            world.caseworker1,
            world.grid_a1,
            head=factories.member_data(document_number="110105194912310021"),
        )
    after = (Household.objects.count(), Member.objects.count(), AuditEvent.objects.count())
    assert after == before
