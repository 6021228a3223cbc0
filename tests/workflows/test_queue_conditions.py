"""A queue holds what viewflow's own queue condition would give each user, read by keys the
database indexes (``permissions.step_permission_q``), and every human step names the
permission that condition relies on."""

import pytest
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework import permissions
from tests import factories
from tests.workflows import helpers as h
from workflows.flows import FLOWS, HouseholdFlow
from workflows.selectors import queue_tasks

pytestmark = pytest.mark.django_db


def test_every_human_step_names_a_permission_on_an_object():
    """viewflow offers a step without a permission to everybody; ours never leave it out."""
    human = [
        (f"{flow_class.__name__}.{node.name}", node)
        for flow_class in FLOWS
        for node in flow_class.instance.nodes()
        if getattr(node, "task_type", None) == "HUMAN"
    ]
    assert len(human) > 10
    for name, node in human:
        assert node._owner_permission, f"{name} names no permission"
        assert node._owner_permission_obj, f"{name} names no object"


def _free_tasks(world):
    for n, grid in enumerate((world.grid_a1, world.grid_a2, world.grid_b1, world.grid_a1)):
        household = factories.household(world.admin, grid, number=f"Q-{n:04d}")
        h.open_task(h.household_process(household), HouseholdFlow.assess)
    return Task.objects.filter(status=STATUS.NEW, flow_task_type="HUMAN")


@pytest.mark.parametrize(
    "persona", ["caseworker1", "caseworker2", "manager", "helper", "trainer", "outsider", "admin"]
)
def test_the_step_condition_admits_the_tasks_viewflows_condition_admits(world, persona):
    free = _free_tasks(world)
    user = getattr(world, persona)
    theirs = set(free.user_queue(user).values_list("pk", flat=True))
    ours = set(free.filter(permissions.step_permission_q(user)).values_list("pk", flat=True))
    assert ours == theirs
    if persona in ("caseworker1", "caseworker2", "admin"):
        assert ours, "the comparison needs tasks the user may take"


@pytest.mark.parametrize(
    "persona", ["caseworker1", "caseworker2", "manager", "helper", "trainer", "outsider", "admin"]
)
def test_taking_a_step_is_allowed_exactly_as_viewflow_allows_it(world, persona):
    """``Step.can_assign`` reads the task's own keys and the user's object grants; viewflow's
    check looks the process's grid up again and asks guardian. They agree task by task, and an
    inactive user may take nothing."""
    from viewflow.workflow import flow

    free = list(_free_tasks(world))
    user = getattr(world, persona)
    theirs = [flow.View.can_assign(task.flow_task, user, task) for task in free]
    ours = [task.flow_task.can_assign(user, task) for task in free]
    assert ours == theirs
    if persona in ("caseworker1", "caseworker2", "admin"):
        assert any(ours), "the comparison needs tasks the user may take"
    user.is_active = False
    assert not any(permissions.holds_step_permission(user, task) for task in free)


def test_a_grant_made_in_the_same_request_is_seen(world):
    """The user's object grants are read once per user object and forgotten on a new grant."""
    from casework.registry import services

    _free_tasks(world)
    before = queue_tasks(world.caseworker2).count()
    services.jurisdiction_grant_grid(actor=world.admin, user=world.caseworker2, grid=world.grid_a1)
    assert queue_tasks(world.caseworker2).count() > before


def test_a_revived_step_keeps_its_permission_and_returns_to_the_grids_queue(world):
    """viewflow's revive makes a new task without the step's permission; ours keeps it, so the
    revived step is offered to the grid's caseworkers again and to nobody else."""
    from django.db import transaction

    household = factories.household(world.admin, world.grid_a1, number="Q-R001")
    task = h.open_task(h.household_process(household), HouseholdFlow.assess)
    with transaction.atomic():
        task.flow_task.activation_class(task).cancel()
    task.refresh_from_db()
    with transaction.atomic():
        revived = task.flow_task.activation_class(task).revive()
    revived.refresh_from_db()
    assert revived.status == STATUS.NEW
    assert (revived.owner_permission, revived.owner_permission_obj_pk) == (
        task.owner_permission,
        task.owner_permission_obj_pk,
    )
    assert revived in queue_tasks(world.caseworker1)
    assert revived not in queue_tasks(world.caseworker2)
    assert not revived.flow_task.can_assign(world.caseworker2, revived)


def test_a_step_revived_after_its_household_moved_goes_to_the_new_grid(world):
    """The replaced task still names the old grid (a move re-keys open steps only); the revived
    one is keyed to the household's grid now, so its new caseworker may take it and the old one
    may not, as viewflow's own check (which looks the grid up) would say."""
    from django.db import transaction
    from viewflow.workflow import flow

    from casework.registry.services import household_update

    household = factories.household(world.admin, world.grid_a1, number="Q-M001")
    task = h.open_task(h.household_process(household), HouseholdFlow.assess)
    with transaction.atomic():
        task.flow_task.activation_class(task).cancel()
    household_update(actor=world.admin, household=household, grid=world.grid_a2)
    task.refresh_from_db()
    assert task.owner_permission_obj_pk == str(world.grid_a1.pk)
    with transaction.atomic():
        revived = task.flow_task.activation_class(task).revive()
    revived.refresh_from_db()
    assert revived.owner_permission_obj_pk == str(world.grid_a2.pk)
    for user, may in ((world.caseworker2, True), (world.caseworker1, False)):
        assert revived.flow_task.can_assign(user, revived) is may
        assert flow.View.can_assign(revived.flow_task, user, revived) is may
    assert revived in queue_tasks(world.caseworker2)
