"""check_consistency: none on the demo data; each of four corruptions (made by SQL, as a bad
script or a half-applied fix would) is found and named with its household and a link."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework.cases.models import Category, EmploymentCase
from casework.ops.consistency import consistency_breaches
from casework.ops.models import ConsistencyRun
from casework.ops.services import consistency_run_if_due
from casework.registry.models import Household
from tests import factories
from workflows.flows import EmploymentFlow, HouseholdFlow
from workflows.models import EmploymentProcess, ProcessScope

pytestmark = pytest.mark.django_db
ACTIVE = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.SCHEDULED]


def check() -> tuple[str, ConsistencyRun]:
    out = io.StringIO()
    call_command("check_consistency", stdout=out)
    return out.getvalue(), ConsistencyRun.objects.order_by("-pk").first()


def by_check(run: ConsistencyRun) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for breach in run.breaches:
        found.setdefault(breach["check"], []).append(breach["household"])
    return found


def _sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _case_at(node) -> EmploymentCase:
    process_ids = Task.objects.filter(flow_task=node, status__in=ACTIVE).values("process_id")
    return (
        EmploymentCase.objects.filter(process__pk__in=process_ids, closed_at__isnull=True)
        .select_related("member__household")
        .order_by("pk")
        .first()
    )


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def test_demo_data_has_no_breach_and_each_corruption_is_reported(demo):
    output, run = check()
    assert run.total == 0, run.breaches
    assert output.strip().endswith("0 breach(es)")

    # 1. A labour-age member slipped into a household whose assessment is done, with no case.
    assessed = (
        Household.objects.filter(cases__employment_cases__state=EmploymentCase.State.EMPLOYED)
        .exclude(
            pk__in=Task.objects.filter(
                flow_task__in=[HouseholdFlow.assess, HouseholdFlow.review], status__in=ACTIVE
            ).values("process__householdprocess__household_case__household")
        )
        .order_by("pk")
        .first()
    )
    now = timezone.now()
    _sql(
        "INSERT INTO registry_member (created_at, updated_at, household_id, name, document_type,"
        " document_number, sex, birth_date, relationship, education, in_school, health,"
        " labour_capacity, phone, political_status, arrival, left_reason)"
        " VALUES (%s, %s, %s, %s, 'resident_id', %s, 'M', %s, 'son', '', %s, 'healthy',"
        " 'ordinary', '', 'masses', 'moved_in', '')",
        [now, now, assessed.pk, "漏登成员", factories.resident_id(), "1995-05-05", False],
    )
    # 2. An open case whose only active step was cancelled behind the flow's back.
    stalled = _case_at(EmploymentFlow.placement)
    _sql(
        "UPDATE viewflow_task SET status = 'CANCELED' WHERE process_id = %s AND status IN"
        " ('NEW', 'ASSIGNED')",
        [EmploymentProcess.objects.get(case=stalled).pk],
    )
    # 3. A case put into a state its active step never waits in.
    wrong = (
        EmploymentCase.objects.filter(
            process__pk__in=Task.objects.filter(
                flow_task=EmploymentFlow.placement, status__in=ACTIVE
            ).values("process_id"),
            closed_at__isnull=True,
        )
        .exclude(pk=stalled.pk)
        .select_related("member__household")
        .order_by("pk")
        .first()
    )
    _sql("UPDATE cases_employmentcase SET state = 'in_training' WHERE id = %s", [wrong.pk])
    # 4. A household whose head was turned into a spouse.
    headless = (
        Household.objects.exclude(pk__in=[assessed.pk, stalled.member.household_id])
        .exclude(pk=wrong.member.household_id)
        .order_by("pk")
        .first()
    )
    _sql(
        "UPDATE registry_member SET relationship = 'spouse' WHERE household_id = %s AND"
        " relationship = 'head'",
        [headless.pk],
    )

    output, run = check()
    found = by_check(run)
    assert found == {
        "labour_without_case": [assessed.number],
        "case_task_count": [stalled.member.household.number],
        "case_state_step": [wrong.member.household.number],
        "household_heads": [headless.number],
        # The step cancelled behind the flow's back left its deadline filed as open.
        "process_scope_keys": [stalled.member.household.number],
    }, run.breaches
    assert run.total == 5 and output.strip().endswith("5 breach(es)")
    assert "漏登成员" in output and "户主不是恰好一人" in output
    links = {breach["check"]: breach["url"] for breach in run.breaches}
    assert links["household_heads"] == reverse("registry:household:detail", args=[headless.pk])
    assert links["case_state_step"] == reverse(
        "workflow:flows:employment:process_detail",
        args=[EmploymentProcess.objects.get(case=wrong).pk],
    )


def test_the_managers_page_lists_only_their_households_breaches(client, world):
    household = world.h_b1  # site B: not the manager's (site A)
    _sql(
        "UPDATE registry_member SET relationship = 'spouse' WHERE household_id = %s AND"
        " relationship = 'head'",
        [household.pk],
    )
    mine = world.h_a1
    _sql(
        "UPDATE registry_member SET relationship = 'spouse' WHERE household_id = %s AND"
        " relationship = 'head'",
        [mine.pk],
    )
    client.force_login(world.manager)
    response = client.post(reverse("consistency:index"))
    assert response.status_code == 302
    page = client.get(reverse("consistency:index")).content.decode()
    assert mine.number in page and household.number not in page
    assert "现有成员中户主0人" in page
    client.force_login(world.caseworker1)
    assert client.get(reverse("consistency:index")).status_code == 403


def test_the_scheduler_checks_once_a_day(world):
    assert consistency_run_if_due() is not None
    assert consistency_run_if_due() is None
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert consistency_run_if_due(tomorrow) is not None


def _insert_member(household, name, born, left=False):
    now = timezone.now()
    _sql(
        "INSERT INTO registry_member (created_at, updated_at, household_id, name, document_type,"
        " document_number, sex, birth_date, relationship, education, in_school, health,"
        " labour_capacity, phone, political_status, arrival, left_on, left_reason)"
        " VALUES (%s, %s, %s, %s, 'resident_id', %s, 'F', %s, 'daughter', '', %s, 'healthy',"
        " 'ordinary', '', 'masses', 'born', %s, %s)",
        [
            now, now, household.pk, name, factories.resident_id(sex="F"), born, False,
            timezone.localdate() if left else None, "moved_out" if left else "",
        ],
    )  # fmt: skip


def test_only_current_members_of_working_age_count(world, assessed):
    assessed(Category.CAPABLE)
    today = timezone.localdate()
    _insert_member(world.h_a1, "十岁", today.replace(year=today.year - 10))
    _insert_member(world.h_a1, "已迁出", today.replace(year=today.year - 30), left=True)
    _insert_member(world.h_a1, "五十六岁", today.replace(year=today.year - 56))  # women: 55
    _output, run = check()
    assert run.total == 0, run.breaches
    _insert_member(world.h_a1, "三十岁", today.replace(year=today.year - 30))
    _output, run = check()
    assert [(b["check"], b["subject"]) for b in run.breaches] == [("labour_without_case", "三十岁")]


def test_the_check_costs_the_same_queries_whatever_the_number_of_breaches(world):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            consistency_breaches()
        return len(captured.captured_queries)

    # One step cancelled behind the flow's back first: its deadline, still filed as open, is
    # one breach of the scope keys, whose households are then read (none are when none is).
    first = Task.objects.filter(status="NEW").order_by("pk").first()
    _sql("UPDATE viewflow_task SET status = 'CANCELED' WHERE id = %s", [first.pk])
    few = queries()
    for household in Household.objects.all():
        _sql(
            "UPDATE registry_member SET relationship = 'spouse' WHERE household_id = %s AND"
            " relationship = 'head'",
            [household.pk],
        )
    _sql("UPDATE viewflow_task SET status = 'CANCELED' WHERE status = 'NEW'", [])
    results = consistency_breaches()
    assert results["household_heads"][0] == 3
    assert queries() == few


def test_a_task_at_a_step_its_flow_no_longer_has_is_reported(world):
    """The task lists read a flow's tasks by their steps: one whose step was renamed would be
    in no list, so the check names it with its household."""
    household = world.h_a1
    scopes = ProcessScope.objects.filter(household=household).values("process_id")
    task = Task.objects.filter(process__in=scopes).order_by("pk").first()
    assert consistency_breaches()["steps_unknown"] == (0, [])
    _sql(
        "UPDATE viewflow_task SET flow_task = 'workflows/flows.HouseholdFlow.old_step' "
        "WHERE id = %s",
        [task.pk],
    )
    count, breaches = consistency_breaches()["steps_unknown"]
    assert count == 1
    assert (breaches[0].household, breaches[0].subject) == (household.number, f"#{task.process_id}")
    assert "old_step" in breaches[0].detail and f"#{task.pk}" in breaches[0].detail
