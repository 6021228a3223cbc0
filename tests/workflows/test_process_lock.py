"""The flows' process lock (``workflows.locks``): a row another transaction holds is waited
for and then refused as ``FlowLockFailed``, leaving the caller's transaction usable; the row
read under the lock is the one the activation uses."""

import threading
from unittest import mock

import pytest
from django.db import connection, connections, transaction
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task

from casework.cases.models import Category
from casework.registry.models import Member
from tests.workflows import helpers as h
from workflows import locks
from workflows.flows import EmploymentFlow
from workflows.models import EmploymentProcess
from workflows.scope.services import members_processes_move


def _held_elsewhere(process_pk: int):
    """Hold the process row in another connection until the returned event is set."""
    taken, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                EmploymentProcess.objects.select_for_update().filter(pk=process_pk).exists()
                taken.set()
                release.wait(30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(30)
    return release, thread


@pytest.mark.django_db(transaction=True)
def test_a_held_process_is_refused_and_the_callers_transaction_stays_usable(world, assessed):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (SQLite serialises whole transactions)")
    process = h.employment_process(assessed(Category.CAPABLE))
    release, thread = _held_elsewhere(process.pk)
    try:
        with mock.patch.object(locks.time, "sleep") as slept, transaction.atomic():
            with pytest.raises(FlowLockFailed):
                with locks.process_lock(EmploymentFlow, process.pk):
                    pytest.fail("the lock was taken while another transaction held the row")
            assert slept.call_count == locks.ATTEMPTS - 1  # waited between the attempts
            # Not "current transaction is aborted": the caller can still answer with a page.
            assert Task.objects.filter(process=process).exists()
    finally:
        release.set()
        thread.join(30)
    with locks.process_lock(EmploymentFlow, process.pk):  # free again: taken at once
        assert locks.locked_process(EmploymentFlow.process_class, process.pk) is not None


@pytest.mark.django_db
def test_the_activation_uses_the_process_read_under_the_lock(world, assessed):
    process = h.employment_process(assessed(Category.CAPABLE))
    task = h.open_task(process, EmploymentFlow.placement)
    with transaction.atomic(), locks.process_lock(EmploymentFlow, process.pk):
        locked = locks.locked_process(EmploymentProcess, process.pk)
        assert locked is not None and locked.pk == process.pk
        assert getattr(locked, locks.HOUSEHOLD) == process.case.member.household_id
        task = Task.objects.get(pk=task.pk)
        activation = task.flow_task.activation_class(task)
        assert activation.process is locked
    assert locks.locked_process(EmploymentProcess, process.pk) is None  # only while held


@pytest.mark.django_db
def test_a_process_that_is_gone_is_not_waited_for(world):
    with mock.patch.object(locks.time, "sleep") as slept, transaction.atomic():
        with locks.process_lock(EmploymentFlow, 10**9):
            pass
    slept.assert_not_called()


@pytest.mark.django_db
def test_a_member_moved_while_their_process_is_locked_takes_the_locked_row_along(world, assessed):
    """The household read with the locked process is what the step's audit events are filed
    under: a member split off meanwhile (``members_processes_move``) files them under the new
    household, not the one read when the lock was taken."""
    case = assessed(Category.CAPABLE)
    process = h.employment_process(case)
    member, other = case.member, world.h_a2
    with transaction.atomic(), locks.process_lock(EmploymentFlow, process.pk):
        locked = locks.locked_process(EmploymentProcess, process.pk)
        assert getattr(locked, locks.HOUSEHOLD) == world.h_a1.pk
        Member.objects.filter(pk=member.pk).update(household=other, relationship="son")
        members_processes_move(members=[member])
        assert getattr(locked, locks.HOUSEHOLD) == other.pk
