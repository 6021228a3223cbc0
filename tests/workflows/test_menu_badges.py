"""The menu's inbox and queue badges count exactly up to 99 and say "99+" past it, and the task
lists count up to their bound, so that a county's lists never count every row they hold."""

import re

import pytest
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework.common import paging
from casework.common.paging import BadgeCount
from tests import factories
from tests.workflows import helpers as h
from workflows.flows import HouseholdFlow
from workflows.selectors import queue_tasks

pytestmark = pytest.mark.django_db


def _open_assessments(world, count):
    for n in range(count):
        household = factories.household(world.admin, world.grid_a1, number=f"B-{n:04d}")
        h.open_task(h.household_process(household), HouseholdFlow.assess)


def _badges(html):
    """The menu's inbox and queue badges, in that order."""
    return re.findall(r'<span class="mdc-list-item__meta">([^<]*)</span>', html)[:2]


def test_the_badge_is_exact_up_to_its_bound_and_says_more_past_it(world):
    _open_assessments(world, 4)
    queue = queue_tasks(world.caseworker1)
    exact = queue.count()
    assert exact >= 4
    assert BadgeCount(queue).count == str(exact)
    assert BadgeCount(queue, bound=exact).count == str(exact)
    assert BadgeCount(queue, bound=exact - 1).count == f"{exact - 1}+"


def test_the_menu_shows_the_users_own_counts(client, world):
    _open_assessments(world, 3)
    mine = Task.objects.filter(flow_task=HouseholdFlow.assess, status=STATUS.NEW).first()
    Task.objects.filter(pk=mine.pk).update(owner=world.caseworker1, status=STATUS.ASSIGNED)
    client.force_login(world.caseworker1)
    html = client.get("/workflow/queue/").content.decode()
    inbox, queue = _badges(html)
    assert inbox == "1"
    assert queue == str(queue_tasks(world.caseworker1).count())


def test_past_its_bound_the_queue_says_more_than_and_still_pages(client, world, monkeypatch):
    monkeypatch.setattr(paging.BoundedPaginator, "bound", 30)
    _open_assessments(world, 40)
    total = queue_tasks(world.caseworker1).count()
    assert total > 30
    client.force_login(world.caseworker1)
    first = client.get("/workflow/queue/").content.decode()
    assert "第 1–25 条，共超过 30 条" in first
    assert f"共 {total} 条" not in first
    last = client.get("/workflow/queue/", {"page": 2}).content.decode()
    assert f"第 26–{total} 条，共超过 30 条" in last
