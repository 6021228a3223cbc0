"""Fewer clicks on the task lists: claim-and-do from a task or its row, bulk claim, and a
manager handing tasks to a colleague."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework.audit.models import AuditEvent
from casework.permissions import may_assign_task, task_assignees_for
from tests import factories
from tests.workflows import helpers as h
from workflows import claims
from workflows.flows import HouseholdFlow

pytestmark = pytest.mark.django_db

BULK = "/workflow/tasks/bulk/"


def _assess_task(household):
    return h.open_task(h.household_process(household), HouseholdFlow.assess)


@pytest.fixture
def more_a1(world):
    """Two more households of grid A1, so the caseworker has three free assessments."""
    return [
        factories.household(world.admin, world.grid_a1, number=f"A1-000{n}", members=1)
        for n in (2, 3)
    ]


def test_it_offers_claim_and_do_as_the_main_action_of_a_free_task(client, world):
    task = _assess_task(world.h_a1)
    client.force_login(world.caseworker1)
    response = client.get(h.url(task, "index"))
    assert response.status_code == 302 and response["Location"].endswith("/assign/")
    page = client.get(response["Location"]).content.decode()
    assert 'name="_continue"' in page and "认领并办理" in page
    assert page.index("认领并办理") < page.index('mdc-button__label">认领<')


def test_it_claims_and_lands_on_the_form_in_one_post(client, world):
    task = _assess_task(world.h_a1)
    client.force_login(world.caseworker1)
    response = client.post(h.url(task, "assign"), {"_continue": "1"}, follow=True)
    assert response.redirect_chain[-1][0].endswith(h.url(task, "execute"))
    assert response.status_code == 200
    task.refresh_from_db()
    assert task.status == STATUS.ASSIGNED and task.owner == world.caseworker1
    assert AuditEvent.objects.filter(action="task.assign", object_id=str(task.pk)).exists()


def test_a_task_assigned_to_the_user_opens_its_form_directly(client, world):
    task = _assess_task(world.h_a1)
    claims.tasks_claim(actor=world.caseworker1, task_pks=[task.pk])
    client.force_login(world.caseworker1)
    response = client.get(h.url(task, "index"))
    assert response["Location"].endswith(h.url(task, "execute"))


def test_the_queue_has_a_checkbox_and_a_claim_and_do_button_per_row(client, world, more_a1):
    client.force_login(world.caseworker1)
    page = client.get("/workflow/queue/").content.decode()
    tasks = [_assess_task(hh) for hh in [world.h_a1, *more_a1]]
    for task in tasks:
        assert f'name="tasks" value="{task.pk}" form="wf-bulk"' in page
        assert f'formaction="{h.url(task, "assign")}"' in page
    assert 'id="wf-bulk"' in page and "认领所选" in page
    assert "指派给" not in page  # a caseworker does not hand work out


def test_bulk_claim_takes_each_task_and_reports_the_ones_taken_already(client, world, more_a1):
    tasks = [_assess_task(hh) for hh in [world.h_a1, *more_a1]]
    # A colleague with the same grid took the last one a moment ago.
    colleague = factories.user("colleague", "caseworker")
    from casework.registry import services as registry_services

    registry_services.jurisdiction_grant_grid(actor=world.admin, user=colleague, grid=world.grid_a1)
    claims.tasks_claim(actor=colleague, task_pks=[tasks[2].pk])
    client.force_login(world.caseworker1)
    response = client.post(
        BULK,
        {"action": "claim", "tasks": [t.pk for t in tasks], "next": "/workflow/queue/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/workflow/queue/"
    text = response.content.decode()
    assert "2 项已认领，1 项已被他人认领" in text
    owners = {t.pk: Task.objects.get(pk=t.pk).owner for t in tasks}
    assert owners == {
        tasks[0].pk: world.caseworker1,
        tasks[1].pk: world.caseworker1,
        tasks[2].pk: colleague,
    }
    assert AuditEvent.objects.filter(action="task.assign", actor=world.caseworker1).count() == 2


def test_bulk_claim_refuses_tasks_outside_the_users_rights(world):
    a2_task = _assess_task(world.h_a2)  # caseworker2's grid
    b1_task = _assess_task(world.h_b1)  # another site
    outcome = claims.tasks_claim(actor=world.caseworker1, task_pks=[a2_task.pk, b1_task.pk])
    assert outcome.done == []
    # Outside the jurisdiction a task is not even found (not revealed); in it, refused.
    assert Task.objects.get(pk=a2_task.pk).owner is None
    assert Task.objects.get(pk=b1_task.pk).owner is None


def test_bulk_claim_counts_finished_tasks(client, world):
    task = _assess_task(world.h_a1)
    response = h.do(
        client,
        world.caseworker1,
        task,
        h.assessment_data(world.h_a1, {}),
    )
    assert response.status_code == 302
    outcome = claims.tasks_claim(actor=world.caseworker1, task_pks=[task.pk])
    assert outcome.done == [] and outcome.skipped == {claims.FINISHED: [task.pk]}
    assert "1 项已办结" in outcome.summary("%(count)d")


def test_assignees_are_the_colleagues_of_the_managed_site(world):
    assert set(task_assignees_for(world.manager)) == {
        world.caseworker1,
        world.caseworker2,
        world.manager,
    }
    assert list(task_assignees_for(world.caseworker1)) == []
    assert may_assign_task(world.manager, world.h_a1)
    assert not may_assign_task(world.manager, world.h_b1)
    assert not may_assign_task(world.caseworker1, world.h_a1)


def test_a_manager_hands_tasks_to_a_caseworker_who_may_do_them(client, world):
    a1_task, a2_task = _assess_task(world.h_a1), _assess_task(world.h_a2)
    client.force_login(world.manager)
    page = client.get("/workflow/overdue/").content.decode()
    assert "指派给" in page and f'value="{world.caseworker1.pk}"' in page
    response = client.post(
        BULK,
        {
            "action": "assign",
            "assignee": world.caseworker1.pk,
            "tasks": [a1_task.pk, a2_task.pk],
            "next": "/workflow/overdue/",
        },
        follow=True,
    )
    text = response.content.decode()
    # caseworker1 works A1 only: the A2 task is not theirs to take.
    assert "1 项已指派给 caseworker1，1 项超出权限" in text
    assert Task.objects.get(pk=a1_task.pk).owner == world.caseworker1
    assert Task.objects.get(pk=a2_task.pk).owner is None
    event = AuditEvent.objects.get(action="task.assign", object_id=str(a1_task.pk))
    assert event.actor == world.manager


def test_a_caseworker_may_not_hand_tasks_out(client, world):
    task = _assess_task(world.h_a1)
    client.force_login(world.caseworker1)
    response = client.post(
        BULK, {"action": "assign", "assignee": world.caseworker2.pk, "tasks": [task.pk]}
    )
    assert response.status_code == 302
    assert Task.objects.get(pk=task.pk).owner is None


def test_the_bulk_view_refuses_get_and_foreign_next(client, world):
    client.force_login(world.caseworker1)
    assert client.get(BULK).status_code == 405
    response = client.post(BULK, {"action": "claim", "next": "https://evil.example/"})
    assert response["Location"] == reverse("workflow:queue")


def test_the_plus_button_registers_a_household_for_those_who_may(client, world):
    client.force_login(world.caseworker1)
    page = client.get("/workflow/queue/").content.decode()
    assert "vf-dialog" not in page and "发起新流程" not in page
    assert f'href="{reverse("registry:household:add")}"' in page and "登记搬迁户" in page
    client.force_login(world.helper)
    page = client.get("/workflow/inbox/").content.decode()
    assert "vf-dialog" not in page and 'data-test="start-register"' not in page


def test_a_database_error_on_one_task_keeps_those_claimed_and_reports_the_rest(
    client, world, more_a1, monkeypatch
):
    """SQLite's "database is locked" on the second task: the first stays claimed, the page
    says which were not done (the others are not tried: each would wait the busy timeout)."""
    tasks = [_assess_task(hh) for hh in [world.h_a1, *more_a1]]
    one = claims._one

    def locked_on_the_second(actor, task, *args, **kwargs):
        if task.pk == tasks[1].pk:
            raise OperationalError("database is locked")
        return one(actor, task, *args, **kwargs)

    monkeypatch.setattr(claims, "_one", locked_on_the_second)
    client.force_login(world.caseworker1)
    response = client.post(
        BULK,
        {"action": "claim", "tasks": [t.pk for t in tasks], "next": "/workflow/queue/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/workflow/queue/"
    assert "1 项已认领，2 项未能办理，请稍后再试" in response.content.decode()
    owners = [Task.objects.get(pk=t.pk).owner for t in tasks]
    assert owners == [world.caseworker1, None, None]


def test_another_database_error_skips_only_its_task(world, more_a1, monkeypatch):
    tasks = [_assess_task(hh) for hh in [world.h_a1, *more_a1]]
    one = claims._one

    def broken_on_the_first(actor, task, *args, **kwargs):
        if task.pk == tasks[0].pk:
            raise IntegrityError("constraint failed")
        return one(actor, task, *args, **kwargs)

    monkeypatch.setattr(claims, "_one", broken_on_the_first)
    outcome = claims.tasks_claim(actor=world.caseworker1, task_pks=[t.pk for t in tasks])
    assert outcome.done == [tasks[1].pk, tasks[2].pk]
    assert outcome.skipped == {claims.NOT_DONE: [tasks[0].pk]}


def test_the_selection_is_capped(client, world):
    task = _assess_task(world.h_a1)
    too_many = [task.pk, *range(10**6, 10**6 + claims.BULK_LIMIT)]
    with pytest.raises(ValidationError):
        claims.tasks_claim(actor=world.caseworker1, task_pks=too_many)
    client.force_login(world.caseworker1)
    response = client.post(
        BULK, {"action": "claim", "tasks": too_many, "next": "/workflow/queue/"}, follow=True
    )
    assert f"一次最多可选 {claims.BULK_LIMIT} 项任务" in response.content.decode()
    assert Task.objects.get(pk=task.pk).owner is None
