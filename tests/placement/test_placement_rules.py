"""Recording a job: data-quality rules 9–11 of reference/domain.md §5.11 (errors block,
warnings are shown and recorded), and places taken from the job menu."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.audit.models import AuditEvent
from casework.cases.models import Category
from casework.placement.models import Placement, Vacancy
from casework.placement.services import DataQualityWarning, placement_record
from tests.workflows import helpers as h
from workflows.flows import EmploymentFlow

pytestmark = pytest.mark.django_db


def _job(**overrides):
    data = {
        "channel": "enterprise",
        "start_date": timezone.localdate(),
        "location_class": "county",
        "monthly_income": Decimal("2800"),
        "employer_name": "县城酒店",
        "industry": "住宿和餐饮业",
        "organised_transport": False,
    }
    data.update(overrides)
    return data


@pytest.fixture
def seeking(world, assessed):
    return assessed(Category.CAPABLE)


def _errors(world, case, **overrides):
    with pytest.raises(ValidationError) as refused:
        placement_record(actor=world.caseworker1, case=case, **_job(**overrides))
    assert not isinstance(refused.value, DataQualityWarning)
    assert not Placement.objects.exists()
    return refused.value.message_dict


@pytest.mark.parametrize(
    "field, value",
    [("monthly_income", None), ("employer_name", ""), ("industry", ""),
     ("channel", ""), ("organised_transport", None)],
)  # fmt: skip
def test_rule_11_a_work_record_needs_income_employer_industry_channel_and_transport(
    world, seeking, field, value
):
    assert field in _errors(world, seeking, **{field: value})


def test_rule_11_own_business_needs_no_employer(world, seeking):
    placement_record(
        actor=world.caseworker1, case=seeking, **_job(channel="self_employed", employer_name="")
    )
    assert Placement.objects.get().employer_name == ""


@pytest.mark.parametrize("channel", ["workshop"])
@pytest.mark.parametrize("location", ["province", "outside"])
def test_rule_9_workshop_work_outside_the_county_is_a_contradiction(
    world, seeking, channel, location
):
    errors = _errors(world, seeking, channel=channel, location_class=location)
    assert "县内" in errors["location_class"][0]


def test_rule_9_workshop_work_in_the_county_is_fine(world, seeking):
    placement_record(actor=world.caseworker1, case=seeking, **_job(channel="workshop"))


@pytest.mark.parametrize("income", ["99", "30001", "-5"])
def test_rule_10_impossible_income_is_an_error(world, seeking, income):
    errors = _errors(world, seeking, monthly_income=Decimal(income))
    assert "100–30000" in errors["monthly_income"][0]


def test_rule_10_low_income_is_a_warning_that_must_be_confirmed_and_is_recorded(world, seeking):
    with pytest.raises(DataQualityWarning) as warned:
        placement_record(actor=world.caseworker1, case=seeking, **_job(monthly_income=350))
    assert "低于 400 元" in warned.value.messages[0]
    assert not Placement.objects.exists()
    placement = placement_record(
        actor=world.caseworker1, case=seeking, accept_warnings=True,
        **_job(monthly_income=Decimal("350")),
    )  # fmt: skip
    assert placement.warnings == ["务工月收入 350 元低于 400 元。"]
    event = AuditEvent.objects.get(action="placement.create")
    assert event.changes["warnings_accepted"] == [None, ["务工月收入 350 元低于 400 元。"]]


def test_rule_10_warning_over_http_asks_for_confirmation(client, world, seeking):
    process = h.employment_process(seeking)
    task = h.open_task(process, EmploymentFlow.placement)
    response = h.do(client, world.caseworker1, task, h.placement_data(monthly_income="350"))
    assert response.status_code == 200
    assert "低于 400 元" in response.content.decode()
    confirmed = h.placement_data(monthly_income="350", accept_warnings="on")
    assert client.post(h.url(task, "execute"), confirmed).status_code == 302
    assert Placement.objects.get().warnings


def test_a_job_from_the_menu_takes_a_place_and_a_full_vacancy_is_refused(
    world, assessed, employer, vacancy, client
):
    restaurant = employer(name="县城酒店", kind="enterprise", industry="住宿和餐饮业")
    kitchen = vacancy(restaurant, "后厨帮厨", "cooking", headcount=1)
    first = assessed(Category.CAPABLE)
    task = h.open_task(h.employment_process(first), EmploymentFlow.placement)
    data = h.placement_data(employer_name="", industry="", vacancy=str(kitchen.pk))
    page = h.do(client, world.caseworker1, task, {})
    assert "后厨帮厨" in page.content.decode()  # suggested on the page
    assert client.post(h.url(task, "execute"), data).status_code == 302
    placement = Placement.objects.get()
    assert (placement.vacancy, placement.employer, placement.employer_name) == (
        kitchen,
        restaurant,
        "县城酒店",
    )
    assert placement.industry == "住宿和餐饮业"
    assert Vacancy.objects.get(pk=kitchen.pk).filled == 1

    from tests import factories

    household = factories.household(world.admin, world.grid_a1, number="A1-FULL01")
    second = assessed(Category.CAPABLE, household=household)
    with pytest.raises(ValidationError) as refused:
        placement_record(
            actor=world.caseworker1, case=second, vacancy=kitchen,
            **_job(employer_name=""),
        )  # fmt: skip
    assert "vacancy" in refused.value.message_dict


def test_a_vacancy_sets_the_location_and_must_fit_age_and_certificates(
    world, assessed, employer, vacancy
):
    agency = employer(name="劳务公司", kind="labour_agency", location_class="outside",
                      industry="建筑业")  # fmt: skip
    far = vacancy(agency, "建筑工", "construction", location_class="outside")
    case = assessed(Category.CAPABLE)
    # Typed as workshop work in the county, the job is where the vacancy is: rule 9 catches it.
    errors = _errors(world, case, vacancy=far, channel="workshop", location_class="county",
                     employer_name="")  # fmt: skip
    assert "location_class" in errors
    old_only = vacancy(agency, "看门", "other", location_class="outside", age_min=55, age_max=60)
    errors = _errors(world, case, vacancy=old_only, channel="organised", employer_name="")
    assert "55–60" in errors["vacancy"][0]
    certified = vacancy(agency, "持证焊工", "construction", location_class="outside",
                        required_certificate_trade=True)  # fmt: skip
    errors = _errors(world, case, vacancy=certified, channel="organised", employer_name="")
    assert "证书" in errors["vacancy"][0]


def test_losing_a_job_from_the_menu_frees_its_place(client, world, assessed, employer, vacancy):
    from workflows.services import scheduler_tick

    kitchen = vacancy(employer(), "帮厨", "cooking", headcount=1)
    case = assessed(Category.CAPABLE)
    process = h.employment_process(case)
    h.do(client, world.caseworker1, h.open_task(process, EmploymentFlow.placement),
         h.placement_data(vacancy=str(kitchen.pk), channel="workshop"))  # fmt: skip
    assert Vacancy.objects.get(pk=kitchen.pk).filled == 1
    h.make_timer_due(process)
    scheduler_tick()
    h.do(client, world.caseworker1, h.open_task(process, EmploymentFlow.retention_followup),
         {"still_working": "no", "note": "辞职"})  # fmt: skip
    assert Vacancy.objects.get(pk=kitchen.pk).filled == 0


def test_a_place_of_work_keeps_its_spaces_on_one_line(world, seeking):
    placement_record(
        actor=world.caseworker1, case=seeking, **_job(place=" 县城 工业园\r\n3号 厂房\x00 ")
    )
    assert Placement.objects.get().place == "县城 工业园 3号 厂房"
