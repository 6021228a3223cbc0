"""Timers fire when due and not before; overdue tasks escalate once (acceptance 5)."""

import datetime
import io
from unittest import mock

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework.audit.models import AuditEvent
from casework.cases.models import Category
from casework.policy.models import Parameter
from tests.workflows import helpers as h
from workflows.flows import EmploymentFlow, HouseholdFlow
from workflows.models import Notification, TaskDeadline
from workflows.services import deadlines_escalate, scheduler_tick
from workflows.tasks import deadlines_escalate_task

pytestmark = pytest.mark.django_db


def _at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_retention_follow_up_appears_when_due_and_not_before(client, world, assessed):
    process = h.employment_process(assessed(Category.CAPABLE))
    start = timezone.localdate() - datetime.timedelta(days=3)
    task = h.open_task(process, EmploymentFlow.placement)
    h.do(client, world.caseworker1, task, h.placement_data(start_date=start.isoformat()))
    timer = Task.objects.get(process=process, flow_task=EmploymentFlow.wait_followup)
    due = timezone.make_aware(
        datetime.datetime.combine(start + relativedelta(months=1), datetime.time.min)
    )
    assert timer.scheduled == due  # one month after the start of work

    assert scheduler_tick()[0] == 0
    with _at(due - datetime.timedelta(minutes=1)):
        assert scheduler_tick()[0] == 0
    assert not Task.objects.filter(process=process, flow_task=EmploymentFlow.retention_followup)
    with _at(due + datetime.timedelta(minutes=1)):
        assert scheduler_tick()[0] == 1
    followup = h.open_task(process, EmploymentFlow.retention_followup)
    assert followup.deadline.due_at > due


def test_follow_up_months_are_a_parameter(client, world, assessed):
    Parameter.objects.create(
        key="retention.followup_months", value=[2, 4], valid_from=datetime.date(2020, 1, 1)
    )
    process = h.employment_process(assessed(Category.CAPABLE))
    start = datetime.date(2026, 1, 15)
    task = h.open_task(process, EmploymentFlow.placement)
    h.do(client, world.caseworker1, task, h.placement_data(start_date=start.isoformat()))
    timer = Task.objects.get(process=process, flow_task=EmploymentFlow.wait_followup)
    assert timezone.localtime(timer.scheduled).date() == datetime.date(2026, 3, 15)


def test_household_follow_up_cadence_follows_the_label(client, world, assessed):
    assessed(Category.CAPABLE)
    process = h.household_process(world.h_a1)
    timer = Task.objects.get(process=process, flow_task=HouseholdFlow.wait_followup)
    days = (timer.scheduled - timer.created).days
    assert days == 29 or days == 30  # green: monthly by default


def test_overdue_task_escalates_once_to_owner_and_manager(client, world):
    process = h.household_process(world.h_a1)
    assess = h.open_task(process, HouseholdFlow.assess)
    client.force_login(world.caseworker1)
    client.post(h.url(assess, "assign"))
    assert deadlines_escalate() == 0
    later = assess.deadline.due_at + datetime.timedelta(minutes=1)
    # All three households' assessments are late: A1 and A2 (site A), B1 (site B).
    assert deadlines_escalate(later) == 3
    assert deadlines_escalate(later) == 0
    notices = Notification.objects.filter(task=assess)
    assert set(notices.values_list("recipient__username", flat=True)) == {"caseworker1", "manager"}
    assert "评估" in notices.first().text or "Assess" in notices.first().text
    assert not Notification.objects.filter(
        recipient=world.manager,
        task__process__householdprocess__household_case__household=world.h_b1,
    )
    assert AuditEvent.objects.filter(action="task.escalate").count() == 3

    client.force_login(world.manager)
    assert "A1-0001" not in client.get("/workflow/overdue/").content.decode()  # not late yet
    TaskDeadline.objects.filter(task=assess).update(
        due_at=timezone.now() - datetime.timedelta(days=1)
    )
    overdue = client.get("/workflow/overdue/").content.decode()
    assert "A1-0001" in overdue and "B1-0001" not in overdue
    client.force_login(world.caseworker1)
    assert "wf-overdue" in client.get("/workflow/inbox/").content.decode()


def test_inbox_lists_overdue_and_soonest_due_first(client, world):
    from tests import factories

    tasks = []
    for n in range(3):
        household = factories.household(world.admin, world.grid_a1, number=f"A1-D{n}")
        task = h.open_task(h.household_process(household), HouseholdFlow.assess)
        tasks.append(task)
    # Make the middle one the most urgent.
    due = timezone.now() - datetime.timedelta(days=1)
    type(tasks[1].deadline).objects.filter(task=tasks[1]).update(due_at=due)
    client.force_login(world.caseworker1)
    page = client.get("/workflow/queue/").content.decode()
    assert page.index("A1-D1") < page.index("A1-D0")
    assert page.index("A1-D1") < page.index("A1-D2")
    assert Task.objects.filter(status=STATUS.NEW, flow_task=HouseholdFlow.assess).count() >= 3


def test_the_scheduler_leaves_overdue_notices_to_a_worker_task(world):
    process = h.household_process(world.h_a1)
    assess = h.open_task(process, HouseholdFlow.assess)
    call_command("run_scheduler", once=True, stdout=io.StringIO())
    assert not DBTaskResult.objects.exists()  # nothing late: nothing queued

    TaskDeadline.objects.update(due_at=timezone.now() - datetime.timedelta(minutes=1))
    call_command("run_scheduler", once=True, stdout=io.StringIO())
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "workflows.tasks.deadlines_escalate_task"
    assert not Notification.objects.exists()  # the sweep wrote none itself

    assert deadlines_escalate_task.call() == 3  # what the worker runs
    assert Notification.objects.filter(task=assess, kind=Notification.Kind.OVERDUE).exists()
    assert deadlines_escalate_task.call() == 0  # a second delivery changes nothing
