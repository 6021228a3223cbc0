"""The workflow pages speak Chinese: lists, process and task pages, every step's form."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tests.i18n.english import english_in
from tests.workflows import helpers as h
from workflows.flows import EmploymentFlow, HouseholdFlow
from workflows.services import scheduler_tick

pytestmark = pytest.mark.django_db

LISTS = ["/workflow/inbox/", "/workflow/queue/", "/workflow/archive/", "/workflow/overdue/",
         "/workflow/notifications/"]  # fmt: skip


def _check(client, url, **kwargs):
    response = client.get(url, follow=True, **kwargs)
    assert response.status_code == 200, url
    assert english_in(response.content.decode()) == [], url
    return response


def test_every_workflow_page_of_the_demo_is_chinese(client):
    call_command("seed_demo", stdout=io.StringIO())
    users = {u.username: u for u in get_user_model().objects.all()}
    for username in ("caseworker1", "manager"):
        client.force_login(users[username])
        for url in LISTS:
            _check(client, url)
        for flow_class in (HouseholdFlow, EmploymentFlow):
            _check(client, flow_class.instance.reverse("process_list"))
            _check(client, flow_class.instance.reverse("task_list"))

    # Bring every waiting follow-up forward so that both follow-up steps are open too.
    Task.objects.filter(status=STATUS.SCHEDULED).update(scheduled=timezone.now())
    scheduler_tick()
    client.force_login(users["admin"])  # the admin may open every step of every household
    steps_seen = set()
    for task in Task.objects.filter(flow_task_type="HUMAN", status=STATUS.NEW).order_by("pk"):
        if task.flow_task in steps_seen:
            continue
        steps_seen.add(task.flow_task)
        _check(client, h.url(task, "detail"))
        _check(client, h.url(task, "assign"))
        client.post(h.url(task, "assign"))
        _check(client, h.url(task, "execute"))
        process_url = task.flow_task.flow_class.instance.reverse(
            "process_detail", args=[task.process_id]
        )
        _check(client, process_url)
    # Every human step of the household and employment flows, the member assessment of the
    # demo's married-in member, and the review of the demo's risk-elimination proposal.
    assert len(steps_seen) == 13
