"""The overdue lists read each open step's deadline by the grid of its household
(``TaskDeadline.open_grid``): filed when the step is made, following the household when it
moves, emptied when the step closes, checked and rebuilt like the scope keys; and the overdue
list shows each user exactly the late steps of the households they may see."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework.registry.services import household_update
from tests.workflows import helpers as h
from workflows.flows import EmploymentFlow, HouseholdFlow
from workflows.models import TaskDeadline
from workflows.scope.selectors import process_scopes_check
from workflows.scope.services import process_scopes_rebuild

pytestmark = pytest.mark.django_db

OVERDUE = "/workflow/overdue/"


def _filed(task: Task) -> int | None:
    return TaskDeadline.objects.get(task=task).open_grid_id


def _late(task: Task) -> None:
    TaskDeadline.objects.filter(task=task).update(
        due_at=timezone.now() - datetime.timedelta(days=2)
    )


def _overdue(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(OVERDUE)
    assert response.status_code == 200
    return response.content.decode()


def test_a_steps_deadline_is_filed_under_its_grid_until_the_step_is_done(client, world, assessed):
    assess = h.open_task(h.household_process(world.h_a2), HouseholdFlow.assess)
    assert _filed(assess) == world.grid_a2.pk
    case = assessed()  # h_a1's assessment and review done, a placement step open
    done = Task.objects.filter(
        process=h.household_process(world.h_a1), flow_task=HouseholdFlow.assess
    ).get()
    assert done.status == STATUS.DONE
    assert _filed(done) is None
    placement = h.open_task(h.employment_process(case), EmploymentFlow.placement)
    assert _filed(placement) == world.grid_a1.pk
    assert process_scopes_check().clean


def test_a_ledger_imports_first_steps_are_filed_under_their_grid(world):
    (household,) = h.households_imported(world.grid_b1, ["B1-0777"])
    assess = h.open_task(h.household_process(household), HouseholdFlow.assess)
    assert _filed(assess) == world.grid_b1.pk


def test_a_moved_households_late_step_leaves_one_overdue_list_for_the_other(world):
    assess = h.open_task(h.household_process(world.h_a1), HouseholdFlow.assess)
    _late(assess)
    assert "A1-0001" in _overdue(world.caseworker1)
    assert "A1-0001" not in _overdue(world.caseworker2)

    household_update(actor=world.admin, household=world.h_a1, grid=world.grid_a2)

    assert _filed(assess) == world.grid_a2.pk
    assert "A1-0001" not in _overdue(world.caseworker1)
    assert "A1-0001" in _overdue(world.caseworker2)
    assert "A1-0001" in _overdue(world.manager)  # still site A's
    assert process_scopes_check().clean


def test_each_user_sees_the_late_steps_of_the_households_they_may_see(world):
    for household in (world.h_a1, world.h_a2, world.h_b1):
        _late(h.open_task(h.household_process(household), HouseholdFlow.assess))
    seen = {
        world.caseworker1: {"A1-0001"},
        world.caseworker2: {"A2-0001"},
        world.manager: {"A1-0001", "A2-0001"},
        world.helper: {"A1-0001"},  # the household they are paired with
        world.unpaired_helper: set(),
        world.admin: {"A1-0001", "A2-0001", "B1-0001"},
    }
    for user, numbers in seen.items():
        page = _overdue(user)
        shown = {number for number in ("A1-0001", "A2-0001", "B1-0001") if number in page}
        assert shown == numbers, user


def test_a_deadline_filed_wrong_is_found_and_rebuilt(world):
    """Rows written outside the services: an open step's deadline filed under no grid is
    missing from every overdue list until the rebuild files it again; a done step's deadline
    still filed is found and emptied."""
    assess = h.open_task(h.household_process(world.h_a1), HouseholdFlow.assess)
    _late(assess)
    other = h.open_task(h.household_process(world.h_a2), HouseholdFlow.assess)
    TaskDeadline.objects.filter(task=assess).update(open_grid=None)
    Task.objects.filter(pk=other.pk).update(status=STATUS.CANCELED)
    assert "A1-0001" not in _overdue(world.caseworker1)

    assert process_scopes_check().deadlines == 2
    assert process_scopes_rebuild().deadlines == 2
    assert (_filed(assess), _filed(other)) == (world.grid_a1.pk, None)
    assert process_scopes_check().clean
    assert "A1-0001" in _overdue(world.caseworker1)


def _overdue_page(user, query: str = ""):
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(OVERDUE + query)
    assert response.status_code == 200
    counts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT")]
    listed = [sql for sql in counts if "workflows_taskdeadline" in sql.split(" WHERE ", 1)[0]]
    return response.context["paginator"].count, listed


def test_the_overdue_lists_total_is_counted_from_the_late_deadlines_alone(world, assessed):
    """Unfiltered, the total is the grids' late entries in the deadlines' index, the steps not
    read again: it still leaves out a step done (its entry emptied) and one not yet late, and
    a filtered list or a helper's (found by process) counts its own rows."""
    for household in (world.h_a1, world.h_a2, world.h_b1):
        _late(h.open_task(h.household_process(household), HouseholdFlow.assess))
    # A helper's late steps are found by the processes of the households they visit.
    count, counted = _overdue_page(world.helper)
    assert count == 1  # A1's assessment, the household they are paired with
    assert "viewflow_task" in counted[0]

    case = assessed()  # h_a1's assessment done (its late entry emptied), a placement step open
    placement = h.open_task(h.employment_process(case), EmploymentFlow.placement)
    assert TaskDeadline.objects.get(task=placement).due_at > timezone.now()  # not late

    count, counted = _overdue_page(world.manager)
    assert count == 1  # A2's assessment: A1's is done, B1 is another site's
    assert len(counted) == 1 and "viewflow_task" not in counted[0]
    _late(placement)
    count, counted = _overdue_page(world.manager)
    assert count == 2
    assert "viewflow_task" not in counted[0]

    # Filtered by step, the list's own rows are counted (joined to the steps).
    step = "workflows/flows.EmploymentFlow.placement"
    count, counted = _overdue_page(world.manager, f"?flow_task={step}")
    assert count == 1
    assert "viewflow_task" in counted[0]
