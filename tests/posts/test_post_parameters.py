"""Former constants of the post rules are policy parameters: changing one changes the rule,
and the rule reads the value in force on the day of the application."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.cases.models import Category
from casework.policy.models import Parameter
from casework.posts import services
from casework.posts.models import PostAssignment
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LONG_AGO = datetime.date(2020, 1, 1)


def _case(world, assessed, number, age, category=Category.THREE_NO):
    born = TODAY.replace(year=TODAY.year - age) - datetime.timedelta(days=10)
    head = factories.member_data(
        name=f"户主{number}", relationship="head",
        document_number=factories.resident_id(born=born), labour_capacity="ordinary",
    )  # fmt: skip
    household = factories.household(world.admin, world.grid_a1, number=number, head=head)
    return assessed(category, household=household)


def _extended(welfare_post):
    welfare_post.extended_age = True
    welfare_post.save(update_fields=["extended_age"])
    Parameter.objects.create(key="posts.age_limit_extended", value=80, valid_from=LONG_AGO)


def test_the_age_nobody_holds_a_post_follows_its_parameter(world, assessed, welfare_post):
    _extended(welfare_post)
    case = _case(world, assessed, "K-0068", age=68)
    assert services.post_eligibility(case, welfare_post) == []
    Parameter.objects.create(key="posts.age_never", value=66, valid_from=LONG_AGO)
    assert services.post_eligibility(case, welfare_post) == ["66 岁及以上人员不得安置公益性岗位。"]


def test_the_age_rule_in_force_on_the_application_day_applies(world, assessed, welfare_post):
    _extended(welfare_post)
    case = _case(world, assessed, "K-0072", age=72)
    # Raised to 75 from a month ago; the application was made two months ago, under 70.
    Parameter.objects.create(
        key="posts.age_never", value=75, valid_from=TODAY - datetime.timedelta(days=30)
    )
    application = PostAssignment.objects.create(
        member=case.member, case=case, post=welfare_post, post_type=welfare_post.kind,
        applied_by=world.caseworker1,
    )  # fmt: skip
    PostAssignment.objects.filter(pk=application.pk).update(
        applied_at=timezone.now() - datetime.timedelta(days=60)
    )
    assert services.post_eligibility(case, welfare_post) == ["70 岁及以上人员不得安置公益性岗位。"]
    PostAssignment.objects.filter(pk=application.pk).update(applied_at=timezone.now())
    assert services.post_eligibility(case, welfare_post) == []


def test_the_eligible_categories_follow_their_parameter(world, assessed, welfare_post):
    case = _case(world, assessed, "K-0100", age=40, category=Category.CAPABLE)
    assert services.post_eligibility(case, welfare_post) == [
        "公益性岗位只安置评估为“三无”的人员或弱劳动力或半劳动力。"
    ]
    Parameter.objects.create(
        key="posts.eligible_categories", value=["three_no", "capable"], valid_from=LONG_AGO
    )
    assert services.post_eligibility(case, welfare_post) == []


def test_the_longest_term_of_a_post_follows_its_parameter(world):
    fields = {"site": world.site_a, "kind": "cleaning", "quota": 2, "monthly_subsidy": 800}
    post = services.post_create(actor=world.manager, name="保洁", **fields)
    assert post.term_months == 12  # posts.term_months_default
    Parameter.objects.create(key="posts.term_months_max", value=24, valid_from=LONG_AGO)
    with pytest.raises(ValidationError) as refused:
        services.post_create(actor=world.manager, name="护林", term_months=36, **fields)
    assert refused.value.message_dict["term_months"] == ["岗位聘期最长 24 个月。"]
