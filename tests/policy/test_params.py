"""Policy parameters: the value in force on a day, and the flows that follow them."""

import datetime

import pytest
from viewflow.workflow.models import Task

from casework.cases.models import Category, EmploymentCase
from casework.policy.models import Parameter
from casework.policy.params import DEFAULTS, param
from tests.workflows import helpers as h
from workflows.flows import EmploymentFlow, HouseholdFlow
from workflows.services import scheduler_tick

pytestmark = pytest.mark.django_db


def test_a_parameter_without_rows_is_its_default():
    assert param("case.refusal_limit") == DEFAULTS["case.refusal_limit"].value


def test_the_row_in_force_on_a_day_is_the_latest_one_valid_from_then():
    key = "case.refusal_limit"
    Parameter.objects.create(key=key, value=4, valid_from=datetime.date(2024, 1, 1))
    Parameter.objects.create(key=key, value=5, valid_from=datetime.date(2025, 1, 1))
    assert param(key, on=datetime.date(2023, 12, 31)) == DEFAULTS[key].value
    assert param(key, on=datetime.date(2024, 6, 1)) == 4
    assert param(key, on=datetime.date(2025, 1, 1)) == 5


def test_an_unknown_parameter_is_an_error():
    with pytest.raises(KeyError):
        param("no.such.parameter")


def _followup(client, world, process, data):
    h.make_timer_due(process)
    scheduler_tick()
    return h.do(
        client, world.caseworker1, h.open_task(process, EmploymentFlow.retention_followup), data
    )


def test_follow_up_months_short_of_stability_still_end_in_a_stable_case(client, world, assessed):
    Parameter.objects.create(
        key="retention.followup_months", value=[2, 4], valid_from=datetime.date(2020, 1, 1)
    )
    case = assessed(Category.CAPABLE)
    process = h.employment_process(case)
    h.do(
        client,
        world.caseworker1,
        h.open_task(process, EmploymentFlow.placement),
        h.placement_data(),
    )
    for _ in range(3):
        _followup(client, world, process, {"still_working": "yes", "monthly_income": "2000"})
    case.refresh_from_db()
    assert list(case.followups.order_by("pk").values_list("month", flat=True)) == [2, 4, 6]
    assert case.state == EmploymentCase.State.STABLE


@pytest.mark.parametrize("colour, days", [("green", 30), ("yellow", 14), ("red", 7)])
def test_household_follow_up_cadence_follows_each_label(client, world, colour, days):
    household = world.h_a1
    process = h.household_process(household)
    head = household.members.get(relationship="head")
    data = h.assessment_data(household, {head.name: Category.CAPABLE}, colour=colour)
    h.do(client, world.caseworker1, h.open_task(process, HouseholdFlow.assess), data)
    h.do(client, world.manager, h.open_task(process, HouseholdFlow.review), {"decision": "approve"})
    timer = Task.objects.get(process=process, flow_task=HouseholdFlow.wait_followup)
    assert round((timer.scheduled - timer.created).total_seconds() / 86400) == days
