"""The bulk start of HouseholdFlow (used by the ledger import) writes the same rows as the
one-by-one start, and the flow goes on from there like any other."""

import pytest
from django.db import transaction
from viewflow.workflow.models import Process, Task

from casework.audit.models import AuditEvent
from casework.audit.verify import verify_chain
from casework.registry.models import Household, Member
from tests.factories import member_data
from tests.workflows import helpers as h
from workflows.bulk_start import household_flows_start_bulk
from workflows.flows import HouseholdFlow
from workflows.models import HouseholdProcess, TaskDeadline
from workflows.services import household_flow_start

pytestmark = pytest.mark.django_db

_VOLATILE = {"id", "created", "started", "finished", "process_id", "opened_at"}


def _rows(household: Household) -> dict:
    process = HouseholdProcess.objects.get(household_case__household=household)
    base = Process.objects.filter(pk=process.pk).values()[0]
    tasks = []
    for task in Task.objects.filter(process=process).order_by("pk"):
        row = Task.objects.filter(pk=task.pk).values()[0]
        row["flow_task"] = str(row["flow_task"])
        row["token"] = str(row["token"])
        row["previous"] = [str(t.flow_task) for t in task.previous.all()]
        row["timestamps_set"] = [row[k] is not None for k in ("created", "started", "finished")]
        tasks.append(row)
    deadlines = [
        (str(d.task.flow_task), d.due_at, d.escalated_at)
        for d in TaskDeadline.objects.filter(task__process=process).select_related("task")
    ]
    events = [
        (e.action, e.object_type, e.changes, e.household_seq, e.actor_id)
        for e in AuditEvent.objects.filter(household_id=household.pk).order_by("seq")
    ]
    return {
        "process": {k: str(v) for k, v in base.items() if k not in _VOLATILE},
        "tasks": [{k: v for k, v in t.items() if k not in _VOLATILE} for t in tasks],
        "deadlines": deadlines,
        "events": events,
    }


def test_the_bulk_start_writes_what_the_one_by_one_start_writes(world):
    one = Household.objects.create(number="X-1", grid=world.grid_a1)
    many = [Household.objects.create(number=f"X-{n}", grid=world.grid_a2) for n in (2, 3)]
    household_flow_start(actor=world.manager, household=one)
    with transaction.atomic():
        household_flows_start_bulk(actor=world.manager, households=many)

    expected = _rows(one)
    assert [t["flow_task"] for t in expected["tasks"]] == [
        str(HouseholdFlow.start),
        str(HouseholdFlow.assess),
    ]
    assert [e[0] for e in expected["events"]] == ["household_case.open", "process.start"]
    for household in many:
        got = _rows(household)
        # The step's permission object is the household's own grid.
        assert got["tasks"][1].pop("owner_permission_obj_pk") == str(world.grid_a2.pk)
        assert expected["tasks"][1]["owner_permission_obj_pk"] == str(world.grid_a1.pk)
        want = {**expected, "tasks": [dict(t) for t in expected["tasks"]]}
        want["tasks"][1] = {
            k: v for k, v in want["tasks"][1].items() if k != "owner_permission_obj_pk"
        }
        assert got == want
    assert verify_chain().ok


def test_a_bulk_started_household_is_assessed_through_its_page_like_any_other(client, world):
    household = Household.objects.create(number="X-9", grid=world.grid_a1)
    Member.objects.create(
        household=household,
        **{
            **member_data(name="导入户主", relationship="head"),
            "sex": "M",
            "birth_date": "1985-06-15",
        },
    )
    with transaction.atomic():
        household_flows_start_bulk(actor=None, households=[household])
    task = h.open_task(h.household_process(household), HouseholdFlow.assess)
    client.force_login(world.caseworker1)
    response = client.post(h.url(task, "assign"))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.owner == world.caseworker1
    # A caseworker of another grid may not take it.
    other = Household.objects.create(number="X-10", grid=world.grid_a2)
    with transaction.atomic():
        household_flows_start_bulk(actor=None, households=[other])
    other_task = h.open_task(h.household_process(other), HouseholdFlow.assess)
    assert not HouseholdFlow.assess.can_assign(world.caseworker1, other_task)
    assert HouseholdFlow.assess.can_assign(world.caseworker2, other_task)
