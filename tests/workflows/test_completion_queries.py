"""One placement step done through the service costs a fixed number of queries (issue 19: the
per-completion overhead): one lock and one read of the task, the audit chain locked and read
once for its four events, appended in one insert at the end, every policy parameter in one
query."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework import permissions
from casework.audit.models import AuditEvent
from casework.audit.verify import verify_chain
from casework.cases.models import Category, EmploymentCase
from casework.placement.services import placement_record
from casework.policy.params import param, params_memoised
from casework.policy.services import parameter_set
from tests.workflows import helpers as h
from workflows.flows import EmploymentFlow
from workflows.services import task_complete

pytestmark = pytest.mark.django_db

# Queries of one placement completion on a free task, SQLite; PostgreSQL adds the advisory
# lock of the audit chain (``casework.audit.services._chain_lock``), taken once. The step's
# events (taken, placed, case employed, done) are kept until its end and appended together
# (``audit_appends_deferred``): the chain's tail and the household's numbering read in one
# query, the four events in one insert. The process lock
# (``workflows.locks``) is one read of the process with its household, in a savepoint of its
# own (SAVEPOINT and RELEASE); it skips a row another transaction holds instead of failing on it,
# so its attempt needs no savepoint of its own. The activation and the first event use what it
# read. The actor's object grants are already read, as the workflow
# middleware has read them for a page's user; taking the task reads no grid and asks guardian
# nothing. The step's deadline leaves the overdue index in one update
# (``task_deadline_close``); the next step's deadline takes its grid inside its insert.
COMPLETION_QUERIES = 30


def _free_task(case: EmploymentCase) -> Task:
    task = h.open_task(h.employment_process(case), EmploymentFlow.placement)
    assert task.status == STATUS.NEW
    return task


def _complete(world, case: EmploymentCase, task: Task) -> None:
    task_complete(
        task=task,
        actor=world.caseworker1,
        perform=lambda: placement_record(
            actor=world.caseworker1, case=case, channel="enterprise", employer_name="礼县扶贫车间",
            start_date=timezone.localdate(), location_class="county",
            monthly_income=Decimal("2800"), industry="制造业", organised_transport=False,
        ),
    )  # fmt: skip


def test_a_placement_completion_costs_a_fixed_number_of_queries(
    world, assessed, django_assert_num_queries
):
    case = assessed(Category.CAPABLE)
    case = EmploymentCase.objects.select_related("member__household").get(pk=case.pk)
    task = _free_task(case)
    permissions.object_grants(world.caseworker1)
    expected = COMPLETION_QUERIES + (connection.vendor == "postgresql")
    with django_assert_num_queries(expected):
        _complete(world, case, task)
    case.refresh_from_db()
    assert case.state == EmploymentCase.State.EMPLOYED


def test_the_completion_locks_and_reads_the_chain_once_and_keeps_it_whole(world, assessed):
    case = assessed(Category.CAPABLE)
    case = EmploymentCase.objects.select_related("member__household").get(pk=case.pk)
    task = _free_task(case)
    before = AuditEvent.objects.order_by("-seq").first()
    with CaptureQueriesContext(connection) as queries:
        _complete(world, case, task)
    sql = [q["sql"] for q in queries.captured_queries]
    head_reads = [s for s in sql if s.startswith('SELECT "audit_auditevent"."seq"')]
    numbering = [s for s in sql if "MAX(" in s and "household_seq" in s]
    parameters = [s for s in sql if 'FROM "policy_parameter"' in s]
    assert (len(head_reads), len(numbering), len(parameters)) == (1, 1, 1)
    assert numbering == head_reads  # the household's numbering is read with the chain's tail
    events = list(AuditEvent.objects.filter(seq__gt=before.seq).order_by("seq"))
    assert [e.action for e in events] == [
        "task.assign", "placement.create", "employment_case.placed", "task.execute",
    ]  # fmt: skip
    assert [e.seq for e in events] == list(range(before.seq + 1, before.seq + 5))
    numbers = [e.household_seq for e in events]
    assert numbers == list(range(numbers[0], numbers[0] + 4))
    assert events[0].prev_hash == before.hash
    assert verify_chain().ok


def test_the_chain_is_locked_only_after_the_steps_own_writes(world, assessed):
    """The chain's lock serialises every writer until the commit: a completion takes it after
    its last write of its own, so two caseworkers' steps overlap but for the append."""
    case = assessed(Category.CAPABLE)
    case = EmploymentCase.objects.select_related("member__household").get(pk=case.pk)
    task = _free_task(case)
    with CaptureQueriesContext(connection) as queries:
        _complete(world, case, task)
    sql = [q["sql"] for q in queries.captured_queries]
    first = next(i for i, s in enumerate(sql) if "audit_auditevent" in s or "advisory" in s)
    from_chain = [s.split()[0] for s in sql[first:]]
    reads = 1 + (connection.vendor == "postgresql")  # the lock (PostgreSQL), the chain's tail
    assert from_chain[: reads + 1] == ["SELECT"] * reads + ["INSERT"]
    assert set(from_chain[reads + 1 :]) <= {"RELEASE"}  # then the step's savepoints end
    assert any(s.startswith('UPDATE "viewflow_task"') for s in sql[:first])


def test_the_routing_reads_the_case_row_without_its_member(world, assessed):
    """The routing after the step (the switch's condition, the timer's due date) reads the
    case's own row: no join to the member, whose many indexes the planner would weigh on every
    step (issue 19)."""
    case = assessed(Category.CAPABLE)
    case = EmploymentCase.objects.select_related("member__household").get(pk=case.pk)
    task = _free_task(case)
    with CaptureQueriesContext(connection) as queries:
        _complete(world, case, task)
    case_reads = [
        q["sql"] for q in queries.captured_queries
        if q["sql"].startswith('SELECT "cases_employmentcase"."id"')
    ]  # fmt: skip
    assert len(case_reads) == 2  # the switch and the timer, each activation reading it fresh
    assert not [s for s in case_reads if "registry_member" in s]
    assert Task.objects.get(pk=task.pk).status == STATUS.DONE


def test_a_parameter_changed_inside_a_memoised_block_is_read_anew(world):
    """The parameters are read once per completion, but a change inside it is seen."""
    day = timezone.localdate()
    with params_memoised():
        assert param("placement.start_days_ahead") == param("placement.start_days_ahead", on=day)
        parameter_set(
            actor=world.admin, key="placement.start_days_ahead", value=5,
            valid_from=day - datetime.timedelta(days=1),
        )  # fmt: skip
        assert param("placement.start_days_ahead") == 5


def test_the_steps_pages_read_the_process_once_under_the_lock(client, world, assessed):
    """Taking a step and doing it through its pages: each POST reads the process row with its
    household under the flow's lock (``workflows.locks``), and viewflow's activation and the
    audit events use that row; the only other read of it is the placement page's subject (the
    case, member and household it shows). Whether the step is the user's to see is one query."""
    case = assessed(Category.CAPABLE)
    task = _free_task(case)
    client.force_login(world.caseworker1)
    reads = []
    for name, data in (("assign", {}), ("execute", h.placement_data())):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(h.url(task, name), data)
        assert response.status_code == 302, (name, response.status_code)
        sql = [q["sql"] for q in queries.captured_queries]
        reads.append(
            (
                sum('FROM "workflows_employmentprocess"' in s for s in sql),
                sum('LEFT OUTER JOIN "workflows_processscope"' in s for s in sql),
                sum(s.startswith('SELECT 1 AS "a" FROM "viewflow_') for s in sql),
            )
        )
    # (process rows read, households looked up apart, visibility checks) per request
    assert reads == [(1, 0, 1), (2, 0, 1)]
    task.refresh_from_db()
    assert task.status == STATUS.DONE
