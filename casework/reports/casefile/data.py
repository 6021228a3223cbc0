"""What a household's case file shows: everything that happened to it, read in a fixed number
of queries whatever the household's size (the selector of ``casefile.service``).

Personal data is masked unless the caller passes ``unmasked=True`` for a viewer who holds that
right.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Process, Task

from casework import permissions
from casework.audit.anchor import Anchor, AnchorFileBroken, anchor_latest
from casework.audit.history import HistoryEntry, household_history
from casework.audit.people import people_labels, viewer_label
from casework.audit.selectors import chain_head, household_events
from casework.audit.verify import Verification, verify_household
from casework.cases.models import Assessment
from casework.monitoring.models import MonitoredHousehold, MonthlyWorkRecord
from casework.notices.selectors import notices_of_household
from casework.pairing.models import Pairing, ServiceRequest, Visit
from casework.placement.models import Placement
from casework.policy.models import Code
from casework.policy.selectors import with_code_label
from casework.posts.models import PostAssignment
from casework.registry.models import Household
from casework.registry.selectors import members_head_first
from casework.training.models import Enrolment
from workflows import subjects


@dataclass(frozen=True)
class TaskRow:
    title: str
    actor: str
    created: datetime.datetime
    finished: datetime.datetime | None
    status: str
    due: datetime.datetime | None
    deadline: str  # met / missed / open / overdue / ""


@dataclass(frozen=True)
class ProcessRow:
    pk: int
    title: str
    status: str
    tasks: list[TaskRow]


@dataclass
class CaseFile:
    household: Household
    members: list[dict[str, Any]]
    assessments: list[Any]
    enrolments: list[Any]
    placements: list[Any]
    posts: list[Any]
    pairings: list[Any]
    visits: list[Any]
    service_requests: list[Any]
    processes: list[ProcessRow]
    history: list[HistoryEntry]
    people: dict[int, str]  # every person the file names, by pk (``people_labels``)
    verification: Verification
    viewer: str
    generated_at: datetime.datetime
    unmasked: bool
    head_seq: int = 0
    head_hash: str = ""
    anchor: Anchor | None = None  # the chain's last head written outside the database
    anchor_broken: bool = False
    deadlines_missed: int = 0
    deadlines_met: int = 0
    work_months: list[Any] = field(default_factory=list)  # 务工月监测, by month then member
    # 防返贫监测: each monitoring of the household, with its incomes, measures and proposals.
    monitorings: list[Any] = field(default_factory=list)
    # 公示: each public notice of the household, with its objections and their resolution.
    notices: list[Any] = field(default_factory=list)


def _deadline_state(task: Task, now: datetime.datetime) -> tuple[datetime.datetime | None, str]:
    deadline = getattr(task, "deadline", None)
    if deadline is None:
        return None, ""
    if task.finished is not None:
        return deadline.due_at, "met" if task.finished <= deadline.due_at else "missed"
    return deadline.due_at, "overdue" if now > deadline.due_at else "open"


def _processes(household: Household, now: datetime.datetime) -> list[ProcessRow]:
    tasks = Task.objects.select_related("owner", "deadline").order_by("created", "pk")
    processes = (
        Process.objects.filter(subjects.about_households(household))
        .select_related(*subjects.member_paths())
        .order_by("created", "pk")
        .prefetch_related(Prefetch("task_set", queryset=tasks))
    )
    processes = list(processes)
    owners = people_labels(
        {task.owner for process in processes for task in process.task_set.all() if task.owner_id}
    )
    rows = []
    for process in processes:
        task_rows = []
        for task in process.task_set.all():
            due, state = _deadline_state(task, now)
            human = task.flow_task_type in ("HUMAN", "HUMAN_START")
            task_rows.append(
                TaskRow(
                    title=str(task.flow_task.task_title),
                    actor=owners[task.owner_id] if human and task.owner_id else _("System"),
                    created=timezone.localtime(task.created),
                    finished=timezone.localtime(task.finished) if task.finished else None,
                    status=str(task.get_status_display()),
                    due=timezone.localtime(due) if due else None,
                    deadline=state,
                )
            )
        title = subjects.process_title(process)
        rows.append(
            ProcessRow(
                pk=process.pk,
                title=title,
                status=str(process.get_status_display()),
                tasks=task_rows,
            )
        )
    return rows


def casefile_data(household: Household, *, viewer: User | None, unmasked: bool = False) -> CaseFile:
    """Everything about ``household`` for its case file, masked unless ``unmasked``."""
    now = timezone.now()
    today = timezone.localdate()
    household = (
        Household.objects.select_related("grid__site", "origin_region")
        .prefetch_related(Prefetch("members", queryset=members_head_first()))
        .get(pk=household.pk)
    )
    shown = permissions.PersonalData(unmasked=unmasked)
    members = [shown.member(member, today) for member in household.members.all()]
    processes = _processes(household, now)
    states = [task.deadline for process in processes for task in process.tasks]
    events = household_events(household.pk)
    head_seq, head_hash = chain_head()
    try:
        anchor, anchor_broken = anchor_latest(), False
    except AnchorFileBroken:
        anchor, anchor_broken = None, True
    assessments = list(
        Assessment.objects.filter(member__household=household)
        .select_related("member", "assessed_by", "reviewed_by")
        .order_by("member_id", "version")
    )
    enrolments = list(
        Enrolment.objects.filter(member__household=household)
        .select_related("member", "course", "result_by")
        .order_by("enrolled_at", "pk")
    )
    # Channel and exit-reason labels from the code lists, in the same queries.
    placements = list(
        with_code_label(
            Placement.objects.filter(member__household=household),
            "channel",
            Code.List.CHANNEL,
        )
        .select_related("member", "employer", "recorded_by")
        .order_by("start_date", "pk")
    )
    posts = list(
        with_code_label(
            PostAssignment.objects.filter(member__household=household),
            "exit_reason",
            Code.List.EXIT_REASON,
        )
        .select_related("member", "post", "decided_by")
        .order_by("applied_at", "pk")
    )
    pairings = list(
        Pairing.objects.filter(household=household)
        .select_related("helper", "helper_household")
        .order_by("start_date", "pk")
    )
    visits = list(
        Visit.objects.filter(household=household).select_related("visitor").order_by("date", "pk")
    )
    work_months = list(
        with_code_label(
            MonthlyWorkRecord.objects.filter(member__household=household),
            "channel",
            Code.List.CHANNEL,
        )
        .select_related("member", "recorded_by")
        .order_by("month", "member_id")
    )
    monitorings = list(
        MonitoredHousehold.objects.filter(household=household)
        .select_related("identified_by")
        .prefetch_related("incomes", "measures", "proposals")
        .order_by("identified_on", "pk")
    )
    notices = list(notices_of_household(household.pk))
    people = [
        *(n.posted_by for n in notices),
        *(n.concluded_by for n in notices),
        *(o.recorded_by for n in notices for o in n.objections.all()),
        *(o.resolved_by for n in notices for o in n.objections.all()),
        *(m.identified_by for m in monitorings),
        *(p.proposed_by for m in monitorings for p in m.proposals.all()),
        *(p.decided_by for m in monitorings for p in m.proposals.all()),
        *(user for a in assessments for user in (a.assessed_by, a.reviewed_by)),
        *(e.result_by for e in enrolments),
        *(p.recorded_by for p in placements),
        *(p.decided_by for p in posts),
        *(p.helper for p in pairings),
        *(v.visitor for v in visits),
        *(w.recorded_by for w in work_months),
    ]
    return CaseFile(
        household=household,
        members=members,
        assessments=assessments,
        enrolments=enrolments,
        placements=placements,
        posts=posts,
        pairings=pairings,
        visits=visits,
        service_requests=list(
            ServiceRequest.objects.filter(household=household)
            .select_related("first_contact", "resolved_by")
            .order_by("created_at", "pk")
        ),
        processes=processes,
        history=household_history(household.pk, events),
        people=people_labels({user for user in people if user is not None}),
        verification=verify_household(household.pk, events),
        viewer=viewer_label(viewer) if viewer is not None else _("Command line"),
        generated_at=timezone.localtime(now),
        unmasked=unmasked,
        head_seq=head_seq,
        head_hash=head_hash if head_seq else "",
        anchor=anchor,
        anchor_broken=anchor_broken,
        deadlines_met=states.count("met"),
        deadlines_missed=states.count("missed") + states.count("overdue"),
        work_months=work_months,
        monitorings=monitorings,
        notices=notices,
    )
