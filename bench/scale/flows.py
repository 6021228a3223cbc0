"""The registered households' flows carried further along, in viewflow's own row shapes.

``household_flows_start_bulk`` leaves every household at 入户评估. Here, by the household's
number: one in 20 stays there, one in 20 waits for review, the rest were assessed, reviewed and
dispatched (one employment case and flow per labour member), then waited for, or had, a
household follow-up. Each employment flow stands at one step by the case's number: placement
(35 %), enrolment (15 %), post application (10 %), retention follow-up (10 %), in work waiting for
the next follow-up (20 %), stably employed and finished (10 %). Open human steps are a third
assigned, a fifth overdue. Every transition has the audit event the flows record, and every
domain write (assessments, cases, placements) the events of its service.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from viewflow.workflow.models import Process, Task

from casework.cases.models import Assessment, EmploymentCase, HouseholdCase
from casework.permissions import MANAGE_SITE
from casework.placement.models import Placement
from casework.registry.models import Grid, Household, Member, Site
from workflows.flows import EmploymentFlow, HouseholdFlow
from workflows.models import EmploymentProcess, HouseholdProcess, TaskDeadline

from . import households as shapes
from .rows import Chain, Ids, put, write

HF, EF = HouseholdFlow, EmploymentFlow
# The tables written here with ids of their own: their sequences are set past them afterwards.
WRITTEN = (
    Process,
    Task,
    Task.previous.through,
    TaskDeadline,
    Assessment,
    EmploymentCase,
    Placement,
)
TASK_COLUMNS = (
    "id", "flow_task", "flow_task_type", "status", "created", "started", "finished", "token",
    "owner_permission", "owner_id", "process_id", "owner_permission_content_type_id",
    "owner_permission_obj_pk", "assigned", "data", "scheduled",
)  # fmt: skip
_FLOW_TASK = Task._meta.get_field("flow_task")
_FLOW_CLASS = Process._meta.get_field("flow_class")
# Employment stages by the case's number (of 20): the open step, or the finished flow.
STAGES = ["placement"] * 7 + ["enrol"] * 3 + ["post_application"] * 2 + ["retention"] * 2
STAGES += ["waiting"] * 4 + ["stable"] * 2
STATE = {
    "placement": ("seeking", "capable"), "enrol": ("to_enrol", "training"),
    "post_application": ("to_apply", "three_no"), "retention": ("employed", "capable"),
    "waiting": ("employed", "capable"), "stable": ("stable", "capable"),
}  # fmt: skip
DONE, NEW, SCHEDULED = "DONE", "NEW", "SCHEDULED"
_PLACED = [(EF.placement, DONE), (EF.route, DONE)]
_CYCLE = [(EF.wait_followup, DONE), (EF.still_in_work, DONE), (EF.retention_followup, DONE)]
PATHS = {
    "placement": [(EF.placement, NEW)],
    "enrol": [(EF.enrol, NEW)],
    "post_application": [(EF.post_application, NEW)],
    "retention": [*_PLACED, (EF.wait_followup, DONE), (EF.still_in_work, DONE),
                  (EF.retention_followup, NEW)],
    "waiting": [*_PLACED, (EF.wait_followup, SCHEDULED)],
    "stable": [*_PLACED, *_CYCLE, (EF.route, DONE), (EF.end_stable, DONE)],
}  # fmt: skip
_ASSESSED = [(HF.review, DONE), (HF.check_review, DONE), (HF.dispatch, DONE)]
HOUSEHOLD_PATHS = [
    [*_ASSESSED, (HF.wait_followup, DONE), (HF.check_closed, DONE), (HF.household_followup, DONE),
     (HF.wait_followup, SCHEDULED)],
    [*_ASSESSED, (HF.wait_followup, DONE), (HF.check_closed, DONE), (HF.household_followup, NEW)],
    [*_ASSESSED, (HF.wait_followup, SCHEDULED)],
]  # fmt: skip
COMPLETED = {"START": "process.start", "HUMAN": "task.execute", "TIMER": "task.timer_fired",
             "END": "process.finish"}  # fmt: skip


@dataclass
class Context:
    """What every row of a tier needs: ids, the chain, the users, the clock."""

    ids: Ids
    chain: Chain
    users: dict[str, User]
    grid_one: int
    site_one: int
    now: datetime.datetime

    def __post_init__(self) -> None:
        self.types = {
            "grid": ContentType.objects.get_for_model(Grid).pk,
            "site": ContentType.objects.get_for_model(Site).pk,
        }
        self.tasks: list[tuple] = []
        self.links: list[tuple[int, int, int]] = []
        self.deadlines: list[tuple] = []
        self.counter = 0

    def actor(self, site_level: bool, grid_id: int, site_id: int) -> User:
        if site_level:
            return self.users["manager" if site_id == self.site_one else "staff"]
        return self.users["caseworker" if grid_id == self.grid_one else "staff"]

    def steps(self, process: int, household: Household, after: int | None, path: list) -> None:
        """Tasks (with links, deadlines and events) for ``path`` [(node, status)] of
        ``process``, after task ``after``."""
        ids = iter(self.ids.take(Task, len(path)))
        at = self.now - datetime.timedelta(days=len(path) * 9)
        for node, status in path:
            task = next(ids)
            at += datetime.timedelta(days=9)
            self.counter += 1
            human = node.task_type == "HUMAN"
            permission = node.calc_owner_permission(None) if human else None
            site_level = permission == MANAGE_SITE
            owner = None
            if human and (status == DONE or self.counter % 3 == 0):
                owner = self.actor(site_level, household.grid_id, household.grid.site_id)
                if status == NEW:
                    status = "ASSIGNED"
            done = status == DONE
            scheduled = self.now + datetime.timedelta(days=30) if status == SCHEDULED else None
            self.tasks.append((
                task, _FLOW_TASK.get_prep_value(node), node.task_type, status, at,
                at if done or owner else None, at if done else None, "start", permission,
                owner.pk if owner else None, process,
                self.types["site" if site_level else "grid"] if human else None,
                str(household.grid.site_id if site_level else household.grid_id) if human else None,
                at if owner else None, "{}", scheduled,
            ))  # fmt: skip
            if after is not None:
                self.links.append((self.ids.take(Task.previous.through, 1)[0], task, after))
            after = task
            if human:
                overdue = not done and self.counter % 5 == 0
                due = self.now + datetime.timedelta(days=-3 if overdue else 10)
                grid = None if done else household.grid_id  # the grid while it is open
                self.deadlines.append((self.ids.take(TaskDeadline, 1)[0], task, due, grid))
            self.events(task, node.task_type, status, owner, household.pk, at)

    def events(self, task: int, kind: str, status: str, owner: Any, household: int, at) -> None:
        add = self.chain.add
        if owner is not None:
            changes = {"status": ["NEW", "ASSIGNED"], "owner": [None, owner.username]}
            add("task.assign", "viewflow.task", task, household, changes, at, owner)
        if status == DONE and kind in COMPLETED:
            before = {"TIMER": SCHEDULED, "HUMAN": "STARTED"}.get(kind, NEW)
            add(COMPLETED[kind], "viewflow.task", task, household, {"status": [before, DONE]},
                at, owner)  # fmt: skip

    def flush(self) -> int:
        """Write the tasks, links and deadlines gathered so far; the events are the chain's."""
        count = write(Task, TASK_COLUMNS, self.tasks)
        count += write(Task.previous.through, ("id", "from_task_id", "to_task_id"), self.links)
        count += write(TaskDeadline, ("id", "task_id", "due_at", "open_grid_id"), self.deadlines)
        self.tasks, self.links, self.deadlines = [], [], []
        return count


def flows_advance(ctx: Context, households: list[Household], first: int) -> int:
    """Carry the flows of ``households`` (numbered from ``first``) along; returns rows written."""
    cases = {c.household_id: c for c in HouseholdCase.objects.filter(household__in=households)}
    processes = dict(
        HouseholdProcess.objects.filter(household_case__in=cases.values()).values_list(
            "household_case_id", "pk"
        )
    )
    assess = dict(
        Task.objects.filter(process__in=processes.values(), flow_task=HF.assess).values_list(
            "process_id", "pk"
        )
    )
    members: dict[int, list[Any]] = {}
    for member in Member.objects.filter(household__in=households).order_by("pk"):
        members.setdefault(member.household_id, []).append(member)
    ctx.chain.households_read([h.pk for h in households])
    moving = [(first + n, h) for n, h in enumerate(households) if (first + n) % 20 != 0]
    for household in households:
        _looked_up(ctx, household)
    written = _assessments(ctx, moving, cases, members)
    employment: list[tuple[Household, Any, str]] = []
    assessed: dict[User, list[int]] = {}
    for i, household in moving:
        process = processes[cases[household.pk].pk]
        task = assess[process]
        owner = ctx.actor(False, household.grid_id, household.grid.site_id)
        assessed.setdefault(owner, []).append(task)
        ctx.events(task, "HUMAN", DONE, owner, household.pk, ctx.now)
        if i % 20 == 1:
            ctx.steps(process, household, task, [(HF.review, NEW)])
            continue
        ctx.steps(process, household, task, HOUSEHOLD_PATHS[i % 3])
        for j in shapes.labour_members(i):
            employment.append((household, members[household.pk][j], STAGES[(i * 3 + j) % 20]))
    for owner, tasks in assessed.items():
        for start in range(0, len(tasks), 5000):
            Task.objects.filter(pk__in=tasks[start : start + 5000]).update(
                status=DONE, owner=owner, assigned=ctx.now, started=ctx.now, finished=ctx.now
            )
    written += _employment(ctx, employment, cases)
    written += ctx.flush() + ctx.chain.flush()
    return written


def _looked_up(ctx: Context, household: Household) -> None:
    """Seven audited reads over the years (full personal data shown, the household phoned):
    with the flows' own events, about 30 events a household, as in the issue's city."""
    viewer = ctx.actor(True, household.grid_id, household.grid.site_id)
    for n in range(7):
        action = ("personal_data.view", "personal_data.call")[n % 2]
        ctx.chain.add(action, "registry.household", household.pk, household.pk, {},
                      ctx.now - datetime.timedelta(days=40 * n), viewer)  # fmt: skip


def _assessments(ctx: Context, moving: list, cases: dict, members: dict) -> int:
    rows = []
    for i, household in moving:
        reviewed = i % 20 != 1
        for j, member in enumerate(members[household.pk]):
            labour = j in shapes.labour_members(i)
            category = STATE[STAGES[(i * 3 + j) % 20]][1] if labour else "not_labour"
            rows.append(Assessment(
                member=member, household_case=cases[household.pk], version=1, category=category,
                labour_capacity=member.labour_capacity, training_willing=category == "training",
                reasons="" if labour else "在校或无劳动能力",
                assessed_by=ctx.actor(False, household.grid_id, household.grid.site_id),
                review="approved" if reviewed else "pending",
                reviewed_by=ctx.actor(True, 0, household.grid.site_id) if reviewed else None,
                reviewed_at=ctx.now if reviewed else None, assessed_at=ctx.now,
            ))  # fmt: skip
    made = put(Assessment, rows, ctx.ids)
    for a in made:
        household = a.household_case.household_id
        ctx.chain.add("assessment.create", "cases.assessment", a.pk, household,
                      {"category": [None, a.category]}, ctx.now, a.assessed_by)  # fmt: skip
        if a.review == "approved":
            ctx.chain.add("assessment.approve", "cases.assessment", a.pk, household,
                          {"review": ["pending", "approved"]}, ctx.now, a.reviewed_by)  # fmt: skip
    return len(made)


def _employment(ctx: Context, employment: list, cases: dict) -> int:
    made = put(
        EmploymentCase,
        [
            EmploymentCase(
                member=member,
                household_case=cases[household.pk],
                category=STATE[stage][1],
                state=STATE[stage][0],
                work_episode=0 if STATE[stage][0] != "employed" else 1,
                working_since=ctx.now.date()
                if stage in ("retention", "waiting", "stable")
                else None,
                closed_at=ctx.now if stage == "stable" else None,
                opened_at=ctx.now,
            )  # fmt: skip
            for household, member, stage in employment
        ],
        ctx.ids,
    )
    ids = iter(ctx.ids.take(Process, len(made)))
    bases, children, placements = [], [], []
    flow = _FLOW_CLASS.get_prep_value(EF)
    for case, (household, member, stage) in zip(made, employment, strict=True):
        process = next(ids)
        finished = stage == "stable"
        bases.append((process, DONE if finished else NEW, ctx.now, ctx.now if finished else None,
                      flow, "{}"))  # fmt: skip
        children.append((process, case.pk))
        ctx.chain.add("employment_case.open", "cases.employmentcase", case.pk, household.pk,
                      {"state": [None, case.state]}, ctx.now)  # fmt: skip
        ctx.steps(process, household, None, [(EF.start, DONE), (EF.route, DONE), *PATHS[stage]])
        if stage in ("retention", "waiting", "stable"):
            placements.append(Placement(
                member=member, case=case, channel="workshop", start_date=ctx.now.date(),
                location_class="county", monthly_income=Decimal("2600"),
                recorded_by=ctx.actor(False, household.grid_id, household.grid.site_id),
                recorded_at=ctx.now,
            ))  # fmt: skip
    written = write(Process, ("id", "status", "created", "finished", "flow_class", "data"), bases)
    written += write(EmploymentProcess, ("process_ptr_id", "case_id"), children)
    for placement in put(Placement, placements, ctx.ids):
        ctx.chain.add("placement.create", "placement.placement", placement.pk,
                      placement.member.household_id, {"channel": [None, "workshop"]}, ctx.now,
                      placement.recorded_by)  # fmt: skip
    return written + len(made) + len(placements)
