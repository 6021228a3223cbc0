"""People are named by their names on the process page and the overdue list (issue 17), the
login only in brackets between namesakes, at a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from viewflow.workflow.models import Task

from casework.registry.services import jurisdiction_grant_grid
from tests import factories
from tests.workflows import helpers as h
from workflows import claims
from workflows.flows import HouseholdFlow
from workflows.models import TaskDeadline

pytestmark = pytest.mark.django_db


def _name(user, first: str) -> None:
    user.first_name = first
    user.save(update_fields=["first_name"])


def test_the_process_page_names_the_owner(client, world):
    _name(world.caseworker1, "李网格员")
    task = h.open_task(h.household_process(world.h_a1), HouseholdFlow.assess)
    claims.tasks_claim(actor=world.caseworker1, task_pks=[task.pk])
    client.force_login(world.manager)

    page = client.get(f"/workflow/flows/household/{task.process_id}/").content.decode()

    assert 'data-label="经办人">李网格员</td>' in page
    assert ">caseworker1<" not in page


def _owner(name: str) -> str:
    """The overdue list's owner cell (as the phone layout marks it) naming ``name``."""
    return f'<span class="wf-cell__label">经办人</span>{name}</span>'


def _overdue_page(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/workflow/overdue/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_overdue_list_names_the_owners_at_a_fixed_cost(client, world):
    _name(world.caseworker1, "王芳")
    _name(world.caseworker2, "王芳")  # a namesake: both get their login in brackets
    TaskDeadline.objects.update(due_at=timezone.now() - datetime.timedelta(days=1))
    a1, a2 = (
        h.open_task(h.household_process(hh), HouseholdFlow.assess)
        for hh in (world.h_a1, world.h_a2)
    )
    claims.tasks_claim(actor=world.caseworker1, task_pks=[a1.pk])
    client.force_login(world.manager)
    _overdue_page(client)  # warm per-process caches
    page, one_owner = _overdue_page(client)
    assert _owner("王芳（caseworker1）") in page and _owner("未认领") in page

    claims.tasks_claim(actor=world.caseworker2, task_pks=[a2.pk])
    more = [factories.household(world.admin, world.grid_a1, number=f"A1-01{n}") for n in range(3)]
    colleague = factories.user("colleague", "caseworker")
    _name(colleague, "赵六")
    jurisdiction_grant_grid(actor=world.admin, user=colleague, grid=world.grid_a1)
    tasks = [h.open_task(h.household_process(hh), HouseholdFlow.assess) for hh in more]
    claims.tasks_claim(actor=colleague, task_pks=[t.pk for t in tasks])
    TaskDeadline.objects.update(due_at=timezone.now() - datetime.timedelta(days=1))
    page, three_owners = _overdue_page(client)

    for name in ("王芳（caseworker1）", "王芳（caseworker2）", "赵六"):
        assert _owner(name) in page
    assert ">caseworker1<" not in page and ">colleague<" not in page
    assert three_owners == one_owner
    assert Task.objects.filter(owner=colleague).count() == 3
