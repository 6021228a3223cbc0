"""The scope keys every process carries (``workflows.models.ProcessScope``): written when a
process starts, rewritten when its household moves, checked and rebuilt; and the lists read
through them never show anyone more than the household's grid, site and helper may see."""

import datetime

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from casework.audit.models import AuditEvent
from casework.ops.consistency import consistency_breaches
from casework.permissions import roles
from casework.registry.models import Household, Member
from casework.registry.registration import HouseholdRegistration, households_register_bulk
from casework.registry.services import (
    household_update,
    jurisdiction_grant_grid,
)
from tests import factories
from tests.workflows import helpers as h
from workflows.flows import EmploymentFlow, HouseholdFlow
from workflows.models import ProcessScope, TaskDeadline
from workflows.scope.selectors import process_scopes_check
from workflows.scope.services import process_scopes_rebuild
from workflows.scoping import visible_process_ids

pytestmark = pytest.mark.django_db


def _keys(process: Process) -> tuple[int, int, int]:
    scope = ProcessScope.objects.get(process=process)
    return scope.household_id, scope.grid_id, scope.site_id


def test_every_started_process_carries_the_keys_of_its_household(world, assessed):
    case = assessed()  # a household process, then an employment process for its head
    household_process = h.household_process(world.h_a1)
    employment_process = h.employment_process(case)
    expected = (world.h_a1.pk, world.grid_a1.pk, world.site_a.pk)
    assert _keys(household_process) == expected
    assert _keys(employment_process) == expected
    assert ProcessScope.objects.get(process=household_process).flow_class is HouseholdFlow
    assert ProcessScope.objects.get(process=employment_process).flow_class is EmploymentFlow
    assert _keys(h.household_process(world.h_b1)) == (
        world.h_b1.pk,
        world.grid_b1.pk,
        world.site_b.pk,
    )
    assert ProcessScope.objects.count() == Process.objects.count()
    assert process_scopes_check().clean


def test_a_ledger_import_keys_every_process_it_starts(world):
    (household,) = h.households_imported(world.grid_b1, ["B1-0900"])
    assert _keys(h.household_process(household)) == (
        household.pk,
        world.grid_b1.pk,
        world.site_b.pk,
    )
    assert ProcessScope.objects.get(process=h.household_process(household)).flow_class is (
        HouseholdFlow
    )
    assert process_scopes_check().clean


def _page(client: Client, name: str) -> str:
    response = client.get(reverse(name))
    assert response.status_code == 200, name
    return response.content.decode()


LISTS = ("workflow:inbox", "workflow:queue", "workflow:flows:household:process_list")


def test_a_household_moved_to_another_grid_leaves_one_caseworkers_lists_for_the_others(
    client, world
):
    process = h.household_process(world.h_a1)
    assess = h.open_task(process, HouseholdFlow.assess)
    client.force_login(world.caseworker1)
    assert client.post(h.url(assess, "assign")).status_code == 302
    first, second, helper = Client(), Client(), Client()
    first.force_login(world.caseworker1)
    second.force_login(world.caseworker2)
    helper.force_login(world.helper)
    assert "A1-0001" in _page(first, "workflow:inbox")
    assert all("A1-0001" not in _page(second, name) for name in LISTS)

    household_update(actor=world.admin, household=world.h_a1, grid=world.grid_a2)

    # Both lists at once, after the move: the household left the first caseworker's inbox,
    # queue and process list and came into the second's queue and process list.
    assert all("A1-0001" not in _page(first, name) for name in LISTS)
    assert "A1-0001" in _page(second, "workflow:queue")
    assert "A1-0001" in _page(second, "workflow:flows:household:process_list")
    detail = reverse("workflow:flows:household:process_detail", args=[process.pk])
    assert first.get(detail).status_code == 404
    assert second.get(detail).status_code == 200
    assert helper.get(detail).status_code == 200  # the pairing goes with the household
    assert _keys(process) == (world.h_a1.pk, world.grid_a2.pk, world.site_a.pk)

    # The step the first caseworker held is free again, offered to the new grid.
    assess.refresh_from_db()
    assert (assess.status, assess.owner_id) == (STATUS.NEW, None)
    assert assess.owner_permission_obj_pk == str(world.grid_a2.pk)
    event = AuditEvent.objects.get(action="household.tasks_move")
    released = event.changes["released"][1]
    assert [row[0] for row in released] == [assess.pk]
    assert released[0][2] == "caseworker1"
    # The release is in the step's own history too, just before the move's summary.
    (unassigned,) = AuditEvent.objects.filter(
        action="task.unassign", object_id=str(assess.pk), seq__lt=event.seq
    )
    assert (unassigned.household_id, unassigned.actor_id) == (world.h_a1.pk, world.admin.pk)
    assert process_scopes_check().clean


def test_a_household_moved_to_another_site_leaves_its_managers_lists(client, world):
    process = h.household_process(world.h_a1)
    manager = Client()
    manager.force_login(world.manager)
    detail = reverse("workflow:flows:household:process_detail", args=[process.pk])
    assert manager.get(detail).status_code == 200

    household_update(actor=world.admin, household=world.h_a1, grid=world.grid_b1)

    assert manager.get(detail).status_code == 404
    assert "A1-0001" not in _page(manager, "workflow:flows:household:process_list")
    assert _keys(process) == (world.h_a1.pk, world.grid_b1.pk, world.site_b.pk)


def test_the_check_finds_missing_and_wrong_keys_and_the_rebuild_puts_them_right(world):
    lost = h.household_process(world.h_a1)
    moved = h.household_process(world.h_a2)
    ProcessScope.objects.filter(process=lost).delete()
    ProcessScope.objects.filter(process=moved).update(grid_id=world.grid_b1.pk)

    report = process_scopes_check()
    # The wrongly keyed process's open step is offered to its household's real grid, and its
    # deadline filed under it, which its wrong keys disagree with: found too, and right again
    # once the keys are.
    assert (report.missing, report.wrong, report.steps, report.deadlines) == (1, 1, 1, 1)
    count, breaches = consistency_breaches()["process_scope_keys"]
    assert count == 4
    assert {breach.household for breach in breaches} == {"A1-0001", "A2-0001"}

    rebuilt = process_scopes_rebuild()
    assert (rebuilt.missing, rebuilt.wrong, rebuilt.steps, rebuilt.deadlines) == (1, 1, 0, 0)
    assert process_scopes_check().clean
    event = AuditEvent.objects.get(action="process_scopes.rebuild")
    assert (event.changes["scope_missing"][1], event.changes["scope_wrong"][1]) == (1, 1)
    assert _keys(lost) == (world.h_a1.pk, world.grid_a1.pk, world.site_a.pk)
    assert _keys(moved) == (world.h_a2.pk, world.grid_a2.pk, world.site_a.pk)


def test_a_process_without_keys_is_shown_to_nobody_but_a_superuser(client, world):
    process = h.household_process(world.h_a1)
    ProcessScope.objects.filter(process=process).delete()
    detail = reverse("workflow:flows:household:process_detail", args=[process.pk])
    client.force_login(world.caseworker1)
    assert client.get(detail).status_code == 404
    client.force_login(world.admin)
    assert client.get(detail).status_code == 200


# The plans of the list queries on PostgreSQL: the scope keys are read by their indexes, and no
# step needs a sequential scan of the task or process table.
#
# At a few thousand rows, reading a small table whole is the planner's right choice; at a city's
# 825,000 processes and 4.1 million tasks it is the ten seconds the keys exist to avoid. So the
# plans are asked for with sequential scans priced out (``enable_seqscan = off``): a query that
# only a sequential scan can answer still gets one, and fails here. (The join to viewflow's
# process table for its flow filter may still walk that table's primary key at this size;
# ``bench/scale.py`` measures the city.)

TABLES = ("viewflow_task", "viewflow_process")
SCOPE = "workflows_processscope"


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _plans(queries: list[dict]) -> list[list[dict]]:
    plans = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for query in queries:
            sql = query["sql"]
            if not sql.startswith("SELECT") or not any(table in sql for table in (*TABLES, SCOPE)):
                continue
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            plans.append(list(_nodes(cursor.fetchone()[0][0]["Plan"])))
    return plans


def _sequential(node: dict) -> bool:
    return node["Node Type"] == "Seq Scan" and node.get("Relation Name") in (*TABLES, SCOPE)


def _scope_by_index(node: dict) -> bool:
    """The scope keys read through one of their indexes: by the user's grids or households
    (``wf_scope_*``), or, when the list starts from few rows of its own (an inbox: the user's
    held steps, by owner), each row's keys by the process (the table's primary key), checked
    against the user's grids there."""
    index = node.get("Index Name", "")
    return index.startswith("wf_scope_") or (
        node.get("Relation Name") == SCOPE and index == f"{SCOPE}_pkey"
    )


def _city_in_small(world) -> list:
    """3,000 households on a site of sixty grids beside the caseworker's fifty, a third of the
    open steps held by colleagues, a quarter of the deadlines past, and the planner's statistics
    read. Returns the sixty grids."""
    heads = [
        {
            "name": f"测试户主{n}",
            "document_number": factories.resident_id(),
            "relationship": Member.Relationship.HEAD,
            "sex": "M",
            "birth_date": datetime.date(1980, 1, 1),
        }
        for n in range(3000)
    ]
    # A city's shape in small: many grids of about fifty households, the caseworker's one of
    # them (a caseworker sees 450 of 268,600 households, one grid of some six hundred).
    _site, city_grids = factories.site_with_grids(world.admin, "C", 60)
    grids = [city_grids[n % 60] for n in range(2950)] + [world.grid_a1] * 50
    with transaction.atomic():
        households_register_bulk(
            actor=None,
            households=[
                HouseholdRegistration(f"X-{n:05d}", {"grid": grid}, [head])
                for n, (grid, head) in enumerate(zip(grids, heads, strict=True))
            ],
        )
    # A third of the open steps are held by colleagues, as in a city's inboxes.
    colleague = factories.user("colleague", roles.CASEWORKER)
    held = Task.objects.filter(status=STATUS.NEW).exclude(
        process__in=visible_process_ids(world.caseworker1)
    )
    Task.objects.filter(pk__in=list(held.values_list("pk", flat=True)[::3])).update(
        status=STATUS.ASSIGNED, owner=colleague
    )
    TaskDeadline.objects.filter(
        pk__in=list(TaskDeadline.objects.values_list("pk", flat=True)[::4])
    ).update(due_at=timezone.now() - datetime.timedelta(days=3))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    assert Task.objects.count() > 6000
    return city_grids


@pytest.mark.bulk
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plans")
def test_the_lists_read_the_scope_keys_by_index(world):
    _city_in_small(world)
    client = Client()
    client.force_login(world.caseworker1)
    for name in LISTS:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        plans = _plans(captured.captured_queries)
        assert plans, name
        for nodes in plans:
            wrong = [node for node in nodes if _sequential(node)]
            shown = [{k: v for k, v in node.items() if k != "Plans"} for node in wrong]
            assert not wrong, (name, shown)
            assert any(_scope_by_index(node) for node in nodes), (
                name,
                nodes,
            )


def test_the_rebuild_command_reports_and_mends(world):
    from io import StringIO

    from django.core.management import call_command

    ProcessScope.objects.filter(process=h.household_process(world.h_b1)).delete()
    out = StringIO()
    call_command("rebuild_scope_keys", stdout=out)
    assert out.getvalue().strip() == "missing: 1, wrong: 0"
    assert process_scopes_check().clean


def test_steps_left_behind_by_an_earlier_move_are_found_and_offered_to_the_new_grid(client, world):
    """A household moved before its steps followed it (rows written outside the services):
    the check finds its keys and its open step wrong, and the rebuild puts both right."""
    process = h.household_process(world.h_a1)
    assess = h.open_task(process, HouseholdFlow.assess)
    Household.objects.filter(pk=world.h_a1.pk).update(grid=world.grid_a2)

    report = process_scopes_check()
    assert (report.missing, report.wrong, report.steps) == (0, 1, 0)
    process_scopes_rebuild()
    assess.refresh_from_db()
    assert assess.owner_permission_obj_pk == str(world.grid_a2.pk)
    assert process_scopes_check().clean
    client.force_login(world.caseworker2)
    assert "A1-0001" in _page(client, "workflow:queue")

    # An open step alone offered to the wrong grid is found and moved too.
    Task.objects.filter(pk=assess.pk).update(owner_permission_obj_pk=str(world.grid_a1.pk))
    assert process_scopes_check().steps == 1
    count, breaches = consistency_breaches()["process_scope_keys"]
    assert count == 1 and breaches[0].household == "A1-0001"
    assert process_scopes_rebuild().steps == 1
    assess.refresh_from_db()
    assert assess.owner_permission_obj_pk == str(world.grid_a2.pk)


@pytest.mark.bulk
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's query plans")
def test_a_wide_jurisdictions_overdue_list_reads_late_deadlines_by_grid(world):
    """A user of six of the sixty grids (a county's share of a city): their overdue list is
    counted from the late deadlines filed under their grids (``wf_deadline_open_grid``), each
    step then looked up by its key; never by reading the open steps of every process in scope
    to check their deadlines, nor every late deadline of the city."""
    city_grids = _city_in_small(world)
    manager = factories.user("county_manager", roles.MANAGER)
    for grid in city_grids[:6]:
        jurisdiction_grant_grid(actor=world.admin, user=manager, grid=grid)
    client = Client()
    client.force_login(manager)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("workflow:overdue"))
    assert response.status_code == 200
    late = TaskDeadline.objects.filter(
        due_at__lt=timezone.now(), task__status__in=("NEW", "ASSIGNED", "STARTED"),
        task__process__scope__grid__in=city_grids[:6],
    ).count()  # fmt: skip
    assert late > 20
    assert f"{late}" in response.content.decode()
    counted = [
        q for q in captured.captured_queries if "COUNT(" in q["sql"] and "due_at" in q["sql"]
    ]
    assert counted, [q["sql"][:120] for q in captured.captured_queries]
    for nodes in _plans(counted):
        indexes = {node["Index Name"] for node in nodes if "Index Name" in node}
        assert "wf_deadline_open_grid" in indexes, indexes
        tasks = [n for n in nodes if n.get("Relation Name") == "viewflow_task"]
        assert {n.get("Index Name") for n in tasks} == {"viewflow_task_pkey"}, tasks
