"""Rules found in review: parameters that disagree, four eyes, long text, and what the audit log
must not hold. (The single scheduler is tested in tests/ops/test_scheduler.py.)"""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied

from casework.audit.models import AuditEvent
from casework.cases import services as case_services
from casework.cases.models import Category, EmploymentCase
from casework.policy.models import Parameter
from tests.workflows import helpers as h
from workflows.flows import EmploymentFlow, HouseholdFlow
from workflows.services import scheduler_tick

pytestmark = pytest.mark.django_db


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
    from viewflow.workflow.models import Task

    household = world.h_a1
    process = h.household_process(household)
    head = household.members.get(relationship="head")
    data = h.assessment_data(household, {head.name: Category.CAPABLE}, colour=colour)
    h.do(client, world.caseworker1, h.open_task(process, HouseholdFlow.assess), data)
    h.do(client, world.manager, h.open_task(process, HouseholdFlow.review), {"decision": "approve"})
    timer = Task.objects.get(process=process, flow_task=HouseholdFlow.wait_followup)
    assert round((timer.scheduled - timer.created).total_seconds() / 86400) == days


def test_whoever_assessed_may_not_approve(world):
    household_case = h.household_process(world.h_a1).household_case
    head = world.h_a1.members.get(relationship="head")
    entries = [
        case_services.AssessmentEntry(
            member=member,
            category=Category.CAPABLE if member == head else Category.NOT_LABOUR,
            labour_capacity="ordinary",
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


def test_too_long_refusal_reason_is_refused_by_the_form_not_a_500(client, world, assessed):
    process = h.employment_process(assessed(Category.CAPABLE))
    task = h.open_task(process, EmploymentFlow.placement)
    response = h.do(
        client, world.caseworker1, task, {"outcome": "refused", "refusal_reason": "拒" * 201}
    )
    assert response.status_code == 200
    assert "refusal_reason" in response.context["form"].errors


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
    case.refresh_from_db()
    assert "尿毒症" not in case.close_reason
    numbers = re.compile(r"\d{17}[\dX]|1[3-9]\d{9}")
    for event in AuditEvent.objects.all():
        text = f"{event.changes} {event.reason}"
        assert not numbers.search(text), (event.action, text)
        assert "尿毒症" not in text, event.action
