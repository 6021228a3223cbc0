"""Choosing a vacancy fills the job's channel, employer and location (in the browser, and on
the server for a page sent without JavaScript); 点对点 transport does not apply to local work."""

import json

import pytest
from django.utils import timezone

from casework.cases.models import Category
from casework.placement.models import Placement
from casework.placement.selectors import placement_applies, vacancy_placement_defaults
from tests.workflows import helpers as h
from workflows.flows import EmploymentFlow

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement_task(world, assessed):
    case = assessed(Category.CAPABLE)
    return h.open_task(h.employment_process(case), EmploymentFlow.placement)


def _only(**fields):
    """A placement POST naming only ``fields``, the start date and the income."""
    return {
        "outcome": "placed",
        "start_date": timezone.localdate().isoformat(),
        "monthly_income": "2800",
        **fields,
    }


def test_defaults_follow_the_employer_and_the_vacancy(world, employer, vacancy):
    workshop = employer(name="城关镇综合车间", kind="workshop", industry="纺织服装", place="城关镇")
    job = vacancy(workshop, "缝纫工", "cooking")
    assert vacancy_placement_defaults(job) == {
        "channel": "workshop",
        "employer_name": "城关镇综合车间",
        "industry": "纺织服装",
        "location_class": "county",
        "place": "城关镇",
    }
    agency = employer(name="劳务公司", kind="labour_agency", location_class="outside")
    far = vacancy(agency, "建筑工", "construction", location_class="outside")
    assert vacancy_placement_defaults(far)["channel"] == "organised"
    assert placement_applies("county") == {"organised_transport": False}
    assert placement_applies("outside") == {"organised_transport": True}


def test_without_javascript_the_server_fills_the_blanks_from_the_vacancy(
    client, world, employer, vacancy, placement_task
):
    workshop = employer(name="城关镇综合车间", kind="workshop", industry="纺织服装", place="城关镇")
    job = vacancy(workshop, "缝纫工", "cooking")
    # Channel, employer, industry, location and transport all left blank.
    response = h.do(client, world.caseworker1, placement_task, _only(vacancy=str(job.pk)))
    assert response.status_code == 302, response.content.decode()[:2000]
    placement = Placement.objects.get()
    assert (placement.channel, placement.employer_name, placement.industry) == (
        "workshop",
        "城关镇综合车间",
        "纺织服装",
    )
    assert (placement.location_class, placement.place) == ("county", "城关镇")
    assert placement.organised_transport is False


def test_what_was_typed_wins_over_the_vacancy_except_its_location(
    client, world, employer, vacancy, placement_task
):
    restaurant = employer(name="县城酒店", kind="enterprise", industry="住宿和餐饮业")
    job = vacancy(restaurant, "后厨帮厨", "cooking")
    data = _only(
        vacancy=str(job.pk),
        channel="flexible",
        employer_name="县城酒店分店",
        location_class="outside",
        organised_transport="yes",  # 点对点 does not apply to a job in the county: cleared
    )
    assert h.do(client, world.caseworker1, placement_task, data).status_code == 302
    placement = Placement.objects.get()
    assert (placement.channel, placement.employer_name) == ("flexible", "县城酒店分店")
    assert placement.location_class == "county"
    assert placement.organised_transport is False


def test_transport_is_kept_for_work_away_from_the_county(client, world, placement_task):
    data = h.placement_data(
        location_class="outside", channel="migration", organised_transport="yes"
    )
    assert h.do(client, world.caseworker1, placement_task, data).status_code == 302
    assert Placement.objects.get().organised_transport is True


def test_the_page_carries_each_vacancys_defaults_and_the_script(
    client, world, employer, vacancy, placement_task
):
    workshop = employer(name="城关镇综合车间", kind="workshop", industry="纺织服装")
    job = vacancy(workshop, "缝纫工", "cooking")
    page = h.do(client, world.caseworker1, placement_task, {}).content.decode()
    assert "casework/placement.js" in page and "<wf-placement-fill>" in page
    response = client.get(h.url(placement_task, "execute"))
    defaults = json.loads(response.context["vacancy_defaults"])
    assert defaults[str(job.pk)]["channel"] == "workshop"
