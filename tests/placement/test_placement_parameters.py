"""Former constants of the placement rules are policy parameters: the income bounds (read at
the job's start date), the vacancy age bounds and the ranking weights follow their values."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.cases.models import Category
from casework.placement.forms import VacancyForm
from casework.placement.models import Placement
from casework.placement.selectors import vacancy_suggestions
from casework.placement.services import DataQualityWarning, placement_record
from casework.policy.models import Parameter

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LONG_AGO = datetime.date(2020, 1, 1)


def _job(income, start=TODAY):
    return {
        "channel": "enterprise", "start_date": start, "location_class": "county",
        "monthly_income": Decimal(income), "employer_name": "县城酒店",
        "industry": "住宿和餐饮业", "organised_transport": False,
    }  # fmt: skip


@pytest.fixture
def seeking(world, assessed):
    return assessed(Category.CAPABLE)


def test_the_income_bounds_follow_their_parameters(world, seeking):
    Parameter.objects.create(key="placement.income_max", value=50000, valid_from=LONG_AGO)
    Parameter.objects.create(key="placement.income_min", value=500, valid_from=LONG_AGO)
    with pytest.raises(ValidationError) as refused:
        placement_record(actor=world.caseworker1, case=seeking, **_job("450"))
    assert refused.value.message_dict["monthly_income"] == [
        "月收入 450 元不在 500–50000 元之间，请核实。"
    ]
    placement_record(actor=world.caseworker1, case=seeking, **_job("40000"))
    assert Placement.objects.get().monthly_income == Decimal("40000")


def test_the_unusual_income_warning_follows_its_parameter(world, seeking):
    Parameter.objects.create(key="placement.income_unusual_below", value=1000, valid_from=LONG_AGO)
    with pytest.raises(DataQualityWarning) as warned:
        placement_record(actor=world.caseworker1, case=seeking, **_job("800"))
    assert warned.value.messages == ["务工月收入 800 元低于 1000 元。"]


def test_the_income_bounds_in_force_at_the_start_date_apply(world, seeking):
    # From today the highest plausible income is 5000; a job that started last week is
    # judged by the bounds of last week (the default 30000).
    Parameter.objects.create(key="placement.income_max", value=5000, valid_from=TODAY)
    last_week = TODAY - datetime.timedelta(days=7)
    placement_record(actor=world.caseworker1, case=seeking, **_job("8000", start=last_week))
    assert Placement.objects.get().start_date == last_week


def test_the_vacancy_age_bounds_follow_their_parameters(world, employer, vacancy):
    workshop = employer()
    assert vacancy(workshop, "保洁", "other", age_max=75).age_max == 75
    Parameter.objects.create(key="vacancy.age_highest", value=70, valid_from=LONG_AGO)
    Parameter.objects.create(key="vacancy.age_lowest", value=18, valid_from=LONG_AGO)
    with pytest.raises(ValidationError) as refused:
        vacancy(workshop, "门卫", "other", age_min=16, age_max=75)
    assert refused.value.message_dict == {
        "age_min": ["最低年龄不得小于 18 岁。"],
        "age_max": ["最高年龄不得大于 70 岁。"],
    }
    assert vacancy(workshop, "门卫", "other", age_min=18, age_max=70).age_max == 70


def test_a_new_vacancy_proposes_the_ages_in_force(world, employer):
    Parameter.objects.create(key="vacancy.age_max_default", value=55, valid_from=LONG_AGO)
    form = VacancyForm()
    assert (form.fields["age_min"].initial, form.fields["age_max"].initial) == (16, 55)


def test_the_ranking_weights_follow_their_parameter(world, seeking, employer, vacancy):
    seeking.member.assessments.update(desired_trade="cooking", desired_area="outside")
    near = employer(name="县城酒店", kind="enterprise")
    far = employer(name="省外劳务公司", kind="labour_agency", location_class="outside")
    cook = vacancy(near, "厨师", "cooking", wage_max=Decimal("4000"))
    away = vacancy(far, "普工", "other", location_class="outside", wage_max=Decimal("3600"))
    # By default the wanted trade (30) outweighs the wanted area (20).
    assert vacancy_suggestions(seeking)[:2] == [cook, away]
    Parameter.objects.create(
        key="vacancy.ranking_weights",
        value={"certified_trade": 50, "desired_trade": 10, "desired_area": 40},
        valid_from=LONG_AGO,
    )
    assert vacancy_suggestions(seeking)[:2] == [away, cook]
