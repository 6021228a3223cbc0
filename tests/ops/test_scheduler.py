"""One scheduler at a time: the lock outlives Django's recycling of connections."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections

from casework.audit.anchor import anchors_read
from casework.audit.selectors import chain_head
from casework.ops.scheduler import SchedulerBusy, scheduler_lock


@pytest.mark.django_db(transaction=True)
def test_only_one_scheduler_holds_the_lock_even_when_connections_are_recycled():
    with scheduler_lock():
        connections.close_all()  # what the loop does between sweeps
        with pytest.raises(SchedulerBusy):
            with scheduler_lock():
                pass
    with scheduler_lock():  # released when the first one ends
        pass


@pytest.mark.django_db
def test_each_sweep_anchors_the_audit_chain_head_outside_the_database(world, audit_anchor_file):
    call_command("run_scheduler", "--once", stdout=StringIO())
    anchors = anchors_read(audit_anchor_file)
    assert [(a.seq, a.hash) for a in anchors] == [chain_head()]
    call_command("run_scheduler", "--once", stdout=StringIO())  # nothing new: no new line
    assert len(anchors_read(audit_anchor_file)) == len(anchors) == 1
