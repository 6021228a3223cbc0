"""The workbench shows the user's own counts: open tasks, overdue, due within 7 days, unread
notifications; each links to its list, and the counts cost the same queries for any number."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tests import factories
from tests.workflows import helpers as h
from workflows.flows import HouseholdFlow
from workflows.models import Notification, TaskDeadline
from workflows.selectors import claimable_tasks, next_tasks, workbench_counts

pytestmark = pytest.mark.django_db


def _assess_task(world, number, owner, due_in_days):
    """A new household's assessment step, assigned to ``owner``, due in ``due_in_days``."""
    household = factories.household(world.admin, world.grid_a1, number=number)
    task = h.open_task(h.household_process(household), HouseholdFlow.assess)
    if owner is not None:
        Task.objects.filter(pk=task.pk).update(owner=owner, status=STATUS.ASSIGNED)
    due = timezone.now() + datetime.timedelta(days=due_in_days)
    TaskDeadline.objects.filter(task=task).update(due_at=due)
    return task


@pytest.fixture
def busy_caseworker(world):
    """caseworker1 holds three tasks (one overdue, one due in 3 days, one in 20), has two
    unread notices and one read; others' tasks and notices and the queue must not count."""
    worker = world.caseworker1
    late = _assess_task(world, "W-LATE", worker, -2)
    _assess_task(world, "W-SOON", worker, 3)
    _assess_task(world, "W-LATER", worker, 20)
    _assess_task(world, "W-QUEUE", None, -5)  # in the queue, not theirs
    other = _assess_task(world, "W-OTHER", world.manager, -5)
    Notification.objects.create(recipient=worker, task=late, text="甲")
    Notification.objects.create(recipient=worker, task=late, kind="sent_back", text="乙")
    Notification.objects.create(recipient=worker, text="丙", read_at=timezone.now())
    Notification.objects.create(recipient=world.manager, task=other, text="丁")
    return worker


def _shown(html, name):
    match = re.search(
        rf'data-test="count-{name}">\s*<span class="wb-count__number">(\d+)</span>', html
    )
    assert match, name
    return int(match.group(1))


def test_the_selector_counts_only_the_users_own_work(world, busy_caseworker):
    counts = workbench_counts(busy_caseworker)
    assert (counts.open, counts.overdue, counts.due_soon, counts.unread) == (3, 1, 1, 2)


def test_the_workbench_shows_the_counts_with_links_to_their_lists(client, world, busy_caseworker):
    client.force_login(busy_caseworker)
    html = client.get("/home/").content.decode()
    shown = {name: _shown(html, name) for name in ("open", "overdue", "due-soon", "unread")}
    assert shown == {"open": 3, "overdue": 1, "due-soon": 1, "unread": 2}
    assert "我的待办" in html and "已逾期" in html and "7 天内到期" in html and "未读通知" in html
    assert 'href="/workflow/inbox/" data-test="count-open"' in html
    assert 'href="/workflow/inbox/?overdue=true"' in html
    assert 'href="/workflow/notifications/" data-test="count-unread"' in html


def test_the_overdue_link_lists_exactly_the_overdue_tasks(client, world, busy_caseworker):
    client.force_login(busy_caseworker)
    html = client.get("/workflow/inbox/?overdue=true").content.decode()
    assert "W-LATE" in html
    assert "W-SOON" not in html and "W-LATER" not in html


def test_the_open_count_is_the_inbox(client, world, busy_caseworker):
    client.force_login(busy_caseworker)
    html = client.get("/workflow/inbox/").content.decode()
    assert sorted(re.findall(r"W-[A-Z]+", html)) == ["W-LATE", "W-LATER", "W-SOON"]


def test_a_user_without_casework_sees_no_counts(client, world):
    client.force_login(world.outsider)
    html = client.get("/home/").content.decode()
    assert 'data-test="workbench-counts"' not in html


def _fresh(user):
    return get_user_model().objects.get(pk=user.pk)  # no permission caches


# The user's model permissions (their own, their groups'), their object grants and the grids
# they work (their jurisdiction, read once per request and shared with the rest of the page),
# the due-soon days in force (workbench.due_soon_days), the task counts, the unread count.
COUNT_QUERIES = 7


def test_the_counts_take_the_same_queries_for_one_task_and_many(world, django_assert_num_queries):
    worker = world.caseworker1
    _assess_task(world, "N-0000", worker, -1)
    Notification.objects.create(recipient=worker, text="一")
    user = _fresh(worker)
    with django_assert_num_queries(COUNT_QUERIES):
        assert workbench_counts(user).open == 1

    for n in range(1, 40):
        _assess_task(world, f"N-{n:04d}", worker, n % 10 - 3)
    for n in range(30):
        Notification.objects.create(recipient=worker, text=f"通知{n}")
    user = _fresh(worker)
    with django_assert_num_queries(COUNT_QUERIES):
        counts = workbench_counts(user)
    assert (counts.open, counts.unread) == (40, 31)


def test_the_workbench_page_takes_the_same_queries_for_one_task_and_many(client, world):
    worker = world.caseworker1
    _assess_task(world, "P-0000", worker, -1)
    client.force_login(worker)
    client.get("/home/")  # warm per-process caches (content types, URL resolvers)

    def page_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/home/").status_code == 200
        return len(queries)

    one = page_queries()
    for n in range(1, 30):
        _assess_task(world, f"P-{n:04d}", worker if n % 2 else None, n % 10 - 3)
        Notification.objects.create(recipient=worker, text=f"通知{n}")
    assert page_queries() == one


def test_the_workbench_shows_the_next_tasks_earliest_first_with_the_head_to_call(
    client, world, busy_caseworker
):
    cards = next_tasks(world.caseworker1)
    assert [card.household for card in cards] == ["W-LATE", "W-SOON", "W-LATER"]
    assert cards[0].overdue and not cards[1].overdue
    assert cards[0].head == "李户主" and cards[0].phone == "138****5678"  # factories' head

    client.force_login(world.caseworker1)
    html = client.get("/home/").content.decode()
    mine = html.split('data-test="next-tasks"')[1].split("</ul>")[0]
    assert mine.count('class="wb-task"') == 3
    assert "13812345678" not in html
    assert "/registry/household/" in html and "/call/" in html


def test_the_workbench_offers_free_tasks_to_take_and_do_in_one_step(client, world, busy_caseworker):
    """The queue's first tasks (earliest deadline first) with 认领并办理: a POST to viewflow's
    assign with ``_continue``, which takes the task and opens its form; only tasks of the
    user's jurisdiction, never someone else's."""
    cards = claimable_tasks(world.caseworker1)
    assert [card.household for card in cards] == ["W-QUEUE", "A1-0001"]
    assert cards[0].claim_url.endswith("/assign/") and cards[0].overdue
    assert [card.household for card in claimable_tasks(world.caseworker2)] == ["A2-0001"]

    client.force_login(world.caseworker1)
    html = client.get("/home/").content.decode()
    free = html.split('data-test="claimable-tasks"')[1].split("</ul>")[0]
    assert "W-QUEUE" in free and f'action="{cards[0].claim_url}"' in free
    assert 'name="_continue"' in free and "认领并办理" in free

    response = client.post(cards[0].claim_url, {"_continue": "1"})
    assert response.status_code == 302 and response["Location"] == cards[0].url  # its form
    task_pk = int(cards[0].claim_url.rstrip("/").split("/")[-2])
    assert Task.objects.get(pk=task_pk).owner == world.caseworker1
