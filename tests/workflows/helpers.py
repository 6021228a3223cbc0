"""Drive the flows through their real URLs with the test client."""

import datetime
from typing import Any

from django.db import transaction
from django.urls import get_resolver
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework.cases.models import Category, EmploymentCase
from casework.registry.models import Household, Member
from casework.registry.registration import HouseholdRegistration, households_register_bulk
from workflows.flows import EmploymentFlow, HouseholdFlow
from workflows.models import EmploymentProcess, HouseholdProcess

# Flow nodes learn their URL namespace when the URLconf is built; build it before reversing.
URL_PATTERNS = get_resolver().url_patterns


def households_imported(grid: Any, numbers: list[str]) -> list[Household]:
    """Households registered as a ledger import registers them (``households_register_bulk``:
    their flows started in bulk), one head each, in ``grid``."""
    from tests import factories

    heads = [
        {
            "name": f"导入户主{n}",
            "document_number": factories.resident_id(),
            "relationship": Member.Relationship.HEAD,
            "sex": "F",
            "birth_date": datetime.date(1979, 3, 2),
        }
        for n in range(len(numbers))
    ]
    with transaction.atomic():
        return households_register_bulk(
            actor=None,
            households=[
                HouseholdRegistration(number, {"grid": grid}, [head])
                for number, head in zip(numbers, heads, strict=True)
            ],
        )


def url(task: Task, name: str) -> str:
    return task.flow_task.reverse(name, args=[task.process_id, task.pk])


def household_process(household: Household) -> HouseholdProcess:
    return HouseholdProcess.objects.get(household_case__household=household)


def employment_process(case: EmploymentCase) -> EmploymentProcess:
    return EmploymentProcess.objects.get(case=case)


def open_task(process: Any, node: Any) -> Task:
    """The one open task of ``node`` in ``process``."""
    return Task.objects.get(
        process=process, flow_task=node, status__in=[STATUS.NEW, STATUS.ASSIGNED]
    )


def open_nodes(process: Any) -> list[str]:
    return sorted(
        task.flow_task.name
        for task in Task.objects.filter(process=process).exclude(
            status__in=[STATUS.DONE, STATUS.CANCELED]
        )
    )


def do(client: Any, user: Any, task: Task, data: dict[str, Any]) -> Any:
    """Assign the task to ``user`` (if free) and execute it with ``data``; returns the response."""
    client.force_login(user)
    task.refresh_from_db()
    if task.status == STATUS.NEW:
        response = client.post(url(task, "assign"))
        assert response.status_code == 302, response.status_code
    return client.post(url(task, "execute"), data)


# What a caseworker writes for a category that needs a reason (三无, 非劳动力).
REASONS = {
    Category.THREE_NO: "无技能、体力弱，愿意做公益性岗位",
    Category.NOT_LABOUR: "在校生或年老体弱",
}


def assessment_data(household: Household, categories: dict[str, str], colour: str = "green"):
    """POST data for the assess page: ``categories`` maps member names to a category; members
    not named are assessed 非劳动力. Every answer is explicit, with the reason a category needs."""
    data: dict[str, Any] = {"colour": colour}
    for member in household.members.all():
        category = categories.get(member.name, Category.NOT_LABOUR)
        data.update(assessment_entry(category, member, prefix=f"m{member.pk}-"))
    return data


def assessment_entry(category: str, member: Any = None, prefix: str = "", **overrides: Any):
    """One member's assessment as POST data (a household row with ``prefix``, or the
    reassessment form without)."""
    labour = category != Category.NOT_LABOUR
    entry = {
        "category": category,
        "labour_capacity": "ordinary" if labour or member is None else member.labour_capacity,
        "work_willing": "yes" if labour else "no",
        "training_willing": "yes" if category == Category.TRAINING else "no",
        "desired_trade": "cooking" if category == Category.TRAINING else "",
        "desired_area": "county" if labour else "",
        "reasons": REASONS.get(category, ""),
        **overrides,
    }
    return {prefix + name: value for name, value in entry.items()}


def placement_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "outcome": "placed",
        "channel": "enterprise",
        "employer_name": "礼县扶贫车间",
        "start_date": timezone.localdate().isoformat(),
        "location_class": "county",
        "place": "城关镇",
        "monthly_income": "2800",
        "contract_months": "12",
        "industry": "制造业",
        "organised_transport": "no",
    }
    data.update(overrides)
    return data


def make_timer_due(process: Any) -> Task:
    """Move the process's scheduled timer into the past (reference/viewflow.md §3.3)."""
    timer = Task.objects.get(process=process, status=STATUS.SCHEDULED)
    Task.objects.filter(pk=timer.pk).update(
        scheduled=timezone.now() - datetime.timedelta(seconds=1)
    )
    return timer


__all__ = ["EmploymentFlow", "HouseholdFlow"]


def notice_over(process: Any, node: Any = EmploymentFlow.post_notice) -> Any:
    """Put the process's public notice back so that its period ended yesterday (the notice
    itself, its period and objections, is tested in ``tests/notices``)."""
    notice = node.notice_kind.notice(process)
    length = notice.ends_on - notice.starts_on
    ends_on = timezone.localdate() - datetime.timedelta(days=1)
    type(notice).objects.filter(pk=notice.pk).update(starts_on=ends_on - length, ends_on=ends_on)
    notice.refresh_from_db()
    return notice


def notice_pass(client: Any, user: Any, process: Any, node: Any = EmploymentFlow.post_notice):
    """The public notice's period over, ``user`` concludes it as passed through its page."""
    notice_over(process, node)
    return do(client, user, open_task(process, node), {"outcome": "pass", "reason": ""})


def notice_pass_by(actor: Any, process: Any, node: Any = EmploymentFlow.post_notice) -> None:
    """The same through the step's services (for tests that drive the flow without pages)."""
    from casework.notices import services as notice_services
    from workflows.services import task_complete

    notice = notice_over(process, node)
    kind = node.notice_kind

    def perform() -> None:
        concluded = notice_services.notice_conclude(actor=actor, notice=notice)
        kind.concluded(actor, kind.subject(process), concluded)

    task_complete(task=open_task(process, node), actor=actor, perform=perform)
