"""The job menu: employers with a checked credit code, and vacancy suggestions (三单制)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.cases.models import Category, EmploymentCase
from casework.placement import services
from casework.placement.models import Vacancy
from casework.placement.selectors import vacancy_suggestions
from casework.training.services import ResultEntry, attendance_record
from tests.placement.conftest import VALID_CODE
from tests.training.conftest import trainee
from workflows.services import course_results_complete

pytestmark = pytest.mark.django_db


def test_credit_code_check_character_is_verified(world, employer):
    assert employer(credit_code=VALID_CODE).credit_code == VALID_CODE
    with pytest.raises(ValidationError) as bad:
        employer(name="另一家", credit_code="91110000600037341X")
    assert "不是有效的统一社会信用代码" in str(bad.value)
    with pytest.raises(ValidationError) as twice:
        employer(name="重复", credit_code=VALID_CODE.lower())
    assert "已登记" in str(twice.value)


def test_the_job_menu_is_kept_per_site(world):
    with pytest.raises(PermissionDenied):
        services.employer_create(
            actor=world.caseworker1, site=world.site_b, name="外站企业", kind="enterprise",
            location_class="county",
        )  # fmt: skip


@pytest.fixture
def cook(world, make_course):
    """A member who passed a cooking course and wants kitchen work in the county."""
    course = make_course(name="中式烹调师（初级）", trade="cooking")
    enrolment = trainee(world, course, "A1-COOK01", joined_on=course.start_date)
    attendance_record(
        actor=world.trainer, course=course, date=course.start_date, present={enrolment.pk}
    )
    entry = ResultEntry(enrolment.pk, "passed", "skill_level", "C-0001")
    course_results_complete(actor=world.trainer, course=course, entries=[entry])
    case = EmploymentCase.objects.select_related("member__household__grid").get(
        pk=enrolment.case_id
    )
    assessment = case.member.assessments.order_by("-version").first()
    assessment.desired_area = "county"
    assessment.desired_trade = ""
    assessment.save(update_fields=["desired_area", "desired_trade"])
    return case


def test_the_trained_cook_gets_the_kitchen_first_and_never_an_expired_or_full_one(
    world, employer, vacancy, cook
):
    today = timezone.localdate()
    workshop = employer()
    restaurant = employer(name="县城酒店", kind="enterprise")
    far = employer(name="省外餐饮公司", kind="labour_agency", location_class="outside")
    vacancy(workshop, "缝纫工", "other", wage_max=4200)
    vacancy(workshop, "建筑小工", "construction", wage_max=5000)
    kitchen = vacancy(restaurant, "后厨帮厨", "cooking")
    vacancy(far, "厨师-省外", "cooking", location_class="outside", wage_max=6000)
    expired = vacancy(
        restaurant, "厨师（已截止）", "cooking", valid_to=today - datetime.timedelta(days=1),
        valid_from=today - datetime.timedelta(days=40), wage_max=9000,
    )  # fmt: skip
    full = vacancy(restaurant, "面点师（满员）", "cooking", headcount=2, wage_max=9000)
    Vacancy.objects.filter(pk=full.pk).update(filled=2)
    suggestions = vacancy_suggestions(cook)
    assert suggestions[0] == kitchen
    assert expired not in suggestions and full not in suggestions
    assert [v.title for v in suggestions][:2] == ["后厨帮厨", "厨师-省外"]


def test_age_and_required_certificates_limit_the_suggestions(world, employer, vacancy, assessed):
    case = assessed(Category.CAPABLE)
    workshop = employer()
    young_only = vacancy(workshop, "快递分拣", "other", age_min=16, age_max=18)
    certified_only = vacancy(workshop, "持证电工", "electrician", required_certificate_trade=True)
    open_to_all = vacancy(workshop, "保洁", "housekeeping")
    suggestions = vacancy_suggestions(case)
    assert open_to_all in suggestions
    assert young_only not in suggestions and certified_only not in suggestions


def test_suggestions_run_constant_queries_for_10_and_1000_vacancies(world, employer, vacancy, cook):
    workshop = employer()
    counts = []
    for total in (10, 1000):
        template = vacancy(workshop, "模板", "other")
        Vacancy.objects.bulk_create(
            Vacancy(
                employer=workshop, title=f"岗位{n}", trade=("cooking", "other")[n % 2],
                headcount=3, filled=n % 4 == 0 and 3 or 0, wage_min=2000, wage_max=2000 + n,
                location_class=("county", "province")[n % 2], valid_from=template.valid_from,
                valid_to=template.valid_to,
            )
            for n in range(total - Vacancy.objects.count())
        )  # fmt: skip
        case = EmploymentCase.objects.select_related("member__household__grid").get(pk=cook.pk)
        with CaptureQueriesContext(connection) as queries:
            suggestions = vacancy_suggestions(case)
        assert len(suggestions) == (7 if total == 10 else 10)  # 3 of the first 10 are full
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
