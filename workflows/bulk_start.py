"""Starting HouseholdFlow for many new households at once (a ledger import).

This is the one place that writes viewflow's rows (process, tasks, their link) without going
through the flow's own start: viewflow's ``StartHandle.run`` costs about thirty queries per
household (6.5 ms; 65 s for 10,000), a ledger import starts tens of thousands.
``tests/workflows/test_bulk_start.py`` compares the rows of this path with the one-by-one
``HouseholdFlow.start.run`` column by column, and takes a bulk-started step through its page, so
a viewflow upgrade that changes what a start writes fails there first.
"""

from collections.abc import Sequence

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.token import Token

from casework.audit.services import PendingEvent, audit_record_many
from casework.cases.models import HouseholdCase
from casework.registry.models import Grid, Household

from .flows import HouseholdFlow
from .models import HouseholdProcess, TaskDeadline
from .scope.services import process_scopes_record

BATCH = 2000


def household_flows_start_bulk(
    *, actor: User | None, households: Sequence[Household]
) -> list[HouseholdProcess]:
    """``household_flow_start`` for many new households at once (a ledger import).

    Writes what the one-by-one start writes — the open case and its event, the process, the
    finished start task with its ``process.start`` event, the assessment step with its
    permission on the household's grid and its deadline — in a few bulk statements instead of
    about thirty queries per household. ``tests/workflows/test_bulk_start.py`` holds the two
    paths to the same rows. Must run inside the caller's transaction.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("household_flows_start_bulk must run inside a transaction")
    if not households:
        return []
    start, assess = HouseholdFlow.start, HouseholdFlow.assess
    owner_permission = assess.calc_owner_permission(None)
    if not isinstance(owner_permission, str) or assess.calc_owner(None) is not None:
        raise RuntimeError("The assessment step's permission or assignment has changed")
    grid_type = ContentType.objects.get_for_model(Grid)
    now = timezone.now()
    due_at = assess.due_at(None)
    token = Token("start")
    cases = HouseholdCase.objects.bulk_create(
        [HouseholdCase(household=household) for household in households], batch_size=BATCH
    )
    bases = Process.objects.bulk_create(
        [
            Process(flow_class=HouseholdFlow, status=PROCESS.NEW, created=now, data={})
            for _case in cases
        ],
        batch_size=BATCH,
    )
    # Django cannot bulk-create the child rows of a multi-table model: write them directly.
    table = HouseholdProcess._meta.db_table
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {qn(table)} ({qn('process_ptr_id')}, {qn('household_case_id')}) "  # noqa: S608 - names from the model
            "VALUES (%s, %s)",
            [(base.pk, case.pk) for base, case in zip(bases, cases, strict=True)],
        )
    started = Task.objects.bulk_create(
        [
            Task(
                process=base,
                flow_task=start,
                flow_task_type=start.task_type,
                status=STATUS.DONE,
                created=now,
                started=now,
                finished=now,
                token=token,
                data={},
            )
            for base in bases
        ],
        batch_size=BATCH,
    )
    steps = Task.objects.bulk_create(
        [
            Task(
                process=base,
                flow_task=assess,
                flow_task_type=assess.task_type,
                status=STATUS.NEW,
                created=now,
                token=token,
                owner_permission=owner_permission,
                owner_permission_content_type=grid_type,
                owner_permission_obj_pk=str(household.grid_id),
                data={},
            )
            for base, household in zip(bases, households, strict=True)
        ],
        batch_size=BATCH,
    )
    Task.previous.through.objects.bulk_create(
        [
            Task.previous.through(from_task_id=step.pk, to_task_id=first.pk)
            for step, first in zip(steps, started, strict=True)
        ],
        batch_size=BATCH,
    )
    process_scopes_record(list(zip(bases, households, strict=True)))
    TaskDeadline.objects.bulk_create(
        [
            TaskDeadline(task=step, due_at=due_at, open_grid_id=household.grid_id)
            for step, household in zip(steps, households, strict=True)
        ],
        batch_size=BATCH,
    )
    events: list[PendingEvent] = []
    for household, case, first in zip(households, cases, started, strict=True):
        events.append(PendingEvent("household_case.open", case, household.pk))
        events.append(
            PendingEvent(
                "process.start",
                first,
                household.pk,
                {"status": (str(STATUS.NEW), str(STATUS.DONE))},
            )
        )
    audit_record_many(actor=actor, events=events)
    return [
        HouseholdProcess(process_ptr=base, household_case=case)
        for base, case in zip(bases, cases, strict=True)
    ]
