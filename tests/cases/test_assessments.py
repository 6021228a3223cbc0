"""The assessment services: the rules of one member's entry (each with its Chinese message naming
the member, and each satisfied by a reason), and four eyes on the review."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casework.cases import services as case_services
from casework.cases.models import Assessment, Category
from casework.policy.models import Parameter
from casework.registry import services as registry_services
from tests import factories
from tests.workflows import helpers as h

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
REASON = "经入户核实，本人身体健康，有务工经历"


def _born(age):
    """A birth date making someone ``age`` on TODAY, half a year from either birthday (the ID
    factory may move it by a few days)."""
    return TODAY.replace(year=TODAY.year - age) - datetime.timedelta(days=180)


def _member(world, name="赵成员", age=40, sex="M", **fields):
    return registry_services.member_add(
        actor=world.admin,
        household=world.h_a1,
        **factories.member_data(
            name=name, document_number=factories.resident_id(born=_born(age), sex=sex), **fields
        ),
    )


def _entry(member, category, **fields):
    return case_services.AssessmentEntry(
        member=member,
        category=category,
        labour_capacity=fields.pop("labour_capacity", "ordinary"),
        work_willing=fields.pop("work_willing", True),
        training_willing=fields.pop("training_willing", category == Category.TRAINING),
        **fields,
    )


def _errors(entry, household, on=TODAY):
    """The entry's errors by field ({} when it is accepted)."""
    try:
        case_services.assessment_entry_validate(entry, household, on=on)
    except ValidationError as refused:
        return refused.message_dict
    return {}


def test_a_member_under_the_working_age_must_be_not_in_the_labour_force(world):
    member = _member(world, name="赵少年", age=15)
    errors = _errors(_entry(member, Category.CAPABLE), world.h_a1)
    assert errors == {
        "category": [
            "赵少年 现年 15 周岁，未满劳动年龄（16 周岁）：应评估为非劳动力，或填写原因说明。"
        ]
    }
    assert _errors(_entry(member, Category.NOT_LABOUR, reasons="未满16周岁"), world.h_a1) == {}


@pytest.mark.parametrize("sex, age, retirement", [("M", 60, 60), ("F", 55, 55)])
def test_a_member_at_the_retirement_age_of_their_sex_must_be_not_in_the_labour_force(
    world, sex, age, retirement
):
    member = _member(world, name="赵长者", age=age, sex=sex)
    errors = _errors(_entry(member, Category.CAPABLE), world.h_a1)
    assert errors["category"] == [
        f"赵长者 现年 {age} 周岁，已达法定退休年龄（{retirement} 周岁）："
        "应评估为非劳动力，或填写原因说明。"
    ]
    younger = _member(world, name="赵中年", age=age - 1, sex=sex)
    assert _errors(_entry(younger, Category.CAPABLE), world.h_a1) == {}


def test_the_working_age_bounds_are_policy_parameters(world):
    member = _member(world, name="赵长者", age=61)
    assert "category" in _errors(_entry(member, Category.CAPABLE), world.h_a1)
    Parameter.objects.create(
        key="assessment.retirement_age", value={"M": 63, "F": 58}, valid_from=TODAY
    )
    assert _errors(_entry(member, Category.CAPABLE), world.h_a1) == {}
    Parameter.objects.create(key="assessment.working_age_min", value=18, valid_from=TODAY)
    young = _member(world, name="赵少年", age=17)
    assert (
        "未满劳动年龄（18 周岁）"
        in _errors(_entry(young, Category.CAPABLE), world.h_a1)["category"][0]
    )


def test_age_is_counted_on_the_assessment_day(world):
    member = _member(world, name="赵少年", age=15)
    sixteenth = member.birth_date.replace(year=member.birth_date.year + 16)
    entry = _entry(member, Category.CAPABLE)
    assert "category" in _errors(entry, world.h_a1, on=sixteenth - datetime.timedelta(days=1))
    assert _errors(entry, world.h_a1, on=sixteenth) == {}


def test_a_full_time_student_must_be_not_in_the_labour_force(world):
    member = _member(world, name="赵学生", age=19, in_school=True)
    errors = _errors(_entry(member, Category.TRAINING), world.h_a1)
    assert errors == {
        "category": ["赵学生 是在校生：应评估为非劳动力，或填写原因说明。"],
    }


def test_needing_training_needs_the_willingness_to_train(world):
    member = _member(world, name="赵学徒")
    errors = _errors(_entry(member, Category.TRAINING, training_willing=False), world.h_a1)
    assert errors == {
        "training_willing": ["赵学徒 评估为需培训，但无培训意愿：请核实培训意愿，或填写原因说明。"]
    }
    assert _errors(_entry(member, Category.TRAINING, training_willing=True), world.h_a1) == {}


@pytest.mark.parametrize(
    "category, label", [(Category.THREE_NO, "三无"), (Category.NOT_LABOUR, "非劳动力")]
)
def test_three_nos_and_not_in_the_labour_force_need_a_reason(world, category, label):
    member = _member(world, name="赵某某")
    errors = _errors(_entry(member, category), world.h_a1)
    assert errors == {"reasons": [f"请填写 赵某某 评估为“{label}”的原因说明。"]}
    assert _errors(_entry(member, category, reasons="   "), world.h_a1) == errors


@pytest.mark.parametrize(
    "case, category, fields",
    [
        ("too young", Category.CAPABLE, {"age": 15}),
        ("over the age", Category.CAPABLE, {"age": 62}),
        ("in school", Category.CAPABLE, {"age": 19, "in_school": True}),
        ("no willingness to train", Category.TRAINING, {"training_willing": False}),
        ("three-nos", Category.THREE_NO, {}),
        ("not in the labour force", Category.NOT_LABOUR, {}),
    ],
)
def test_each_rule_is_satisfied_by_a_reason(world, case, category, fields):
    entry_fields = {"training_willing": fields.pop("training_willing", True)}
    member = _member(world, name="赵例外", **fields)
    refused = _entry(member, category, **entry_fields)
    assert _errors(refused, world.h_a1), case
    accepted = _entry(member, category, reasons=REASON, **entry_fields)
    assert _errors(accepted, world.h_a1) == {}, case


def test_a_category_is_required(world):
    member = _member(world, name="赵某某")
    assert _errors(_entry(member, ""), world.h_a1) == {"category": ["请为 赵某某 选择类别。"]}


def test_a_household_assessment_refuses_by_member_and_writes_nothing(world):
    household_case = h.household_process(world.h_a1).household_case
    young = _member(world, name="赵少年", age=15)
    head = world.h_a1.members.get(relationship="head")
    entries = [
        _entry(m, Category.CAPABLE if m in (head, young) else Category.NOT_LABOUR)
        for m in world.h_a1.members.all()
    ]
    with pytest.raises(case_services.AssessmentErrors) as refused:
        case_services.household_assess(
            actor=world.caseworker1, household_case=household_case, entries=entries, colour="green"
        )
    by_member = refused.value.by_member
    assert head.pk not in by_member
    assert "未满劳动年龄" in by_member[young.pk].message_dict["category"][0]
    others = [m.pk for m in world.h_a1.members.exclude(pk__in=[head.pk, young.pk])]
    assert others and all("reasons" in by_member[pk].message_dict for pk in others)
    assert not Assessment.objects.exists()


def test_whoever_assessed_may_not_approve(world):
    household_case = h.household_process(world.h_a1).household_case
    head = world.h_a1.members.get(relationship="head")
    entries = [
        case_services.AssessmentEntry(
            member=member,
            category=Category.CAPABLE if member == head else Category.NOT_LABOUR,
            labour_capacity="ordinary",
            reasons="" if member == head else "在校生",
        )
        for member in world.h_a1.members.all()
    ]
    case_services.household_assess(
        actor=world.admin, household_case=household_case, entries=entries, colour="green"
    )
    with pytest.raises(PermissionDenied):
        case_services.assessment_review(
            actor=world.admin, household_case=household_case, approve=True
        )
    case_services.assessment_review(
        actor=world.manager, household_case=household_case, approve=True
    )
