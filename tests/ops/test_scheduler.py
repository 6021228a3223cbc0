"""One scheduler at a time: the lock outlives Django's recycling of connections."""

import pytest
from django.db import connections

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
