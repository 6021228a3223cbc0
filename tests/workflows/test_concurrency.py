"""Races: two people on one task, two schedulers on one timer (acceptance 4 and 5).

These run in real transactions with one thread per request, on SQLite (IMMEDIATE transactions)
and, in CI, on PostgreSQL (select_for_update_lock).
"""

import threading
import time
from unittest import mock

import pytest
from django.db import connection, connections
from django.test import Client
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS
from viewflow.workflow.timers import fire_due_timers

from casework.cases.models import Category
from casework.placement.models import Placement
from tests import factories
from tests.workflows import helpers as h
from workflows.flows import EmploymentFlow

pytestmark = pytest.mark.django_db(transaction=True)


def _race(requests):
    """Run each ``(user, method, url, data)`` in its own thread at the same moment."""
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def run(index, user, url, data):
        client = Client()
        client.force_login(user)
        try:
            barrier.wait()
            response = client.post(url, data)
            results[index] = (response.status_code, response.content.decode())
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(i, *request)) for i, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _slow(method):
    """Make a write slow, so that the second request arrives while the first holds the lock."""

    def slow(self, *args, **kwargs):
        time.sleep(0.3)
        return method(self, *args, **kwargs)

    return slow


@pytest.fixture
def placement_task(client, world, assessed):
    process = h.employment_process(assessed(Category.CAPABLE))
    client.logout()
    return h.open_task(process, EmploymentFlow.placement)


def test_two_caseworkers_assign_the_same_task_one_wins(world, placement_task):
    from casework.registry.services import jurisdiction_grant_grid

    rival = world.caseworker2
    jurisdiction_grant_grid(actor=world.admin, user=rival, grid=world.grid_a1)
    url = h.url(placement_task, "assign")
    with mock.patch.object(Task, "save", _slow(Task.save)):
        results = _race([(world.caseworker1, url, {}), (rival, url, {})])
    codes = sorted(code for code, _text in results)
    assert codes == [302, 409], codes
    placement_task.refresh_from_db()
    assert placement_task.status == STATUS.ASSIGNED
    loser = next(text for code, text in results if code == 409)
    assert placement_task.owner.get_username() in loser  # "already taken by <name>"


def test_double_execute_of_one_task_completes_it_once(client, world, placement_task):
    client.force_login(world.caseworker1)
    assert client.post(h.url(placement_task, "assign")).status_code == 302
    url = h.url(placement_task, "execute")
    with mock.patch.object(Task, "save", _slow(Task.save)):
        results = _race(
            [
                (world.caseworker1, url, h.placement_data()),
                (world.caseworker1, url, h.placement_data()),
            ]
        )
    codes = sorted(code for code, _text in results)
    assert codes == [302, 409], codes
    assert Placement.objects.count() == 1
    process = placement_task.process
    assert Task.objects.filter(process=process, flow_task=EmploymentFlow.wait_followup).count() == 1


def test_two_schedulers_fire_each_timer_once(client, world, assessed):
    processes = []
    for n in range(6):
        household = factories.household(world.admin, world.grid_a1, number=f"A1-T{n:03d}")
        process = h.employment_process(assessed(Category.CAPABLE, household=household))
        task = h.open_task(process, EmploymentFlow.placement)
        h.do(client, world.caseworker1, task, h.placement_data())
        h.make_timer_due(process)
        processes.append(process)
    counts = []
    barrier = threading.Barrier(2)

    def dispatch():
        try:
            barrier.wait()
            counts.append(fire_due_timers())
        finally:
            connection.close()

    with mock.patch.object(Task, "save", _slow_short(Task.save)):
        threads = [threading.Thread(target=dispatch) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert sum(counts) == len(processes), counts
    for process in processes:
        followups = Task.objects.filter(
            process=process, flow_task=EmploymentFlow.retention_followup
        )
        assert followups.count() == 1


def _slow_short(method):
    def slow(self, *args, **kwargs):
        time.sleep(0.05)
        return method(self, *args, **kwargs)

    return slow
