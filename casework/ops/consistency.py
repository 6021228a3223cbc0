"""The consistency check: the promises the data and the flows make to each other, looked for
everywhere, each breach named with a link (``manage.py check_consistency``, daily by the
scheduler, shown to managers).

1. Every labour-age member of a household under assistance has an open employment case, or a
   recorded reason why not (assessed 非劳动力, a closed case with its reason, or an assessment
   still under way).
2. Every open employment case has exactly one active flow task or timer.
3. No case is in a state its flow cannot be at: the active step of an open case matches its
   state, and a closed case has no active step.
4. Every household has exactly one head among its current members.
5. Every workflow process carries the scope keys of its household, grid and site, and they agree
   with what the process is about (a wrong key would show it to the wrong grid).
6. Every task is at a step its flow has: the task lists read a flow's tasks by their steps, so a
   step renamed or removed from a flow would hide its tasks.

Each check is a few set-based queries, whatever the number of households.
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from casework.cases.models import Assessment, Category, EmploymentCase, HouseholdCase
from casework.policy.params import param
from casework.registry.models import Household, Member
from workflows.flows import FLOWS, EmploymentFlow, HouseholdFlow
from workflows.models import HouseholdProcess, MemberAssessmentProcess
from workflows.scope.selectors import process_scope_disagreements, process_scopes_check
from workflows.selectors import step_refs

State = EmploymentCase.State
ACTIVE = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.SCHEDULED)
LIMIT = 1000  # breaches listed per check (all are counted)

CHECKS = {
    "labour_without_case": gettext_lazy("Labour-age member without a case or a reason"),
    "case_task_count": gettext_lazy("Open case without exactly one active step"),
    "case_state_step": gettext_lazy("Case state its flow cannot be at"),
    "household_heads": gettext_lazy("Household without exactly one head"),
    "process_scope_keys": gettext_lazy("Case whose scope keys disagree with its household"),
    "steps_unknown": gettext_lazy("Task at a step its flow no longer has"),
}

# The case states each EmploymentFlow step may be waiting in. A follow-up also waits while the
# work ended under it (a post's term ran out: the step then routes the case afresh).
STEP_STATES: dict[Any, tuple[str, ...]] = {
    EmploymentFlow.placement: (State.SEEKING,),
    EmploymentFlow.enrol: (State.TO_ENROL,),
    EmploymentFlow.training_outcome: (State.IN_TRAINING,),
    EmploymentFlow.post_application: (State.TO_APPLY,),
    EmploymentFlow.post_approval: (State.AWAITING_POST,),
    EmploymentFlow.post_notice: (State.AWAITING_POST,),
    EmploymentFlow.wait_post_start: (State.POST_APPROVED,),
    EmploymentFlow.reassess: (State.REASSESSING,),
    EmploymentFlow.reassess_review: (State.REASSESSING,),
    EmploymentFlow.wait_followup: (*EmploymentCase.WORKING_STATES, State.REASSESSING),
    EmploymentFlow.retention_followup: (*EmploymentCase.WORKING_STATES, State.REASSESSING),
}


@dataclass(frozen=True)
class Breach:
    check: str
    household_id: int | None
    household: str
    subject: str
    detail: str
    url: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _counted(rows: QuerySet[Any], found: list[Breach]) -> tuple[int, list[Breach]]:
    """The breach count with the breaches listed: counted again only when the list was cut."""
    return (rows.count() if len(found) == LIMIT else len(found)), found


def _household_url(household_id: int) -> str:
    return reverse("registry:household:detail", args=[household_id])


def _process_url(process_id: int | None, household_id: int) -> str:
    if process_id is None:
        return _household_url(household_id)
    return reverse("workflow:flows:employment:process_detail", args=[process_id])


def labour_age_q(day: datetime.date) -> Q:
    """Members of working age on ``day`` (policy parameters: youngest age, retirement by sex)."""
    youngest = int(param("assessment.working_age_min", day))
    retirement: dict[str, int] = param("assessment.retirement_age", day)
    born_by = day - relativedelta(years=youngest)
    age = Q()
    for sex, years in retirement.items():
        age |= Q(sex=sex, birth_date__gt=day - relativedelta(years=int(years)))
    return Q(birth_date__lte=born_by) & age


def _active_tasks(process_field: str = "pk") -> QuerySet[Task]:
    return Task.objects.filter(process=OuterRef(process_field), status__in=ACTIVE)


def labour_without_case(day: datetime.date) -> tuple[int, list[Breach]]:
    open_case = EmploymentCase.objects.filter(member=OuterRef("pk"), closed_at__isnull=True)
    closed_case = EmploymentCase.objects.filter(member=OuterRef("pk"), closed_at__isnull=False)
    not_labour = Assessment.objects.filter(
        member=OuterRef("pk"),
        category=Category.NOT_LABOUR,
        review__in=[Assessment.Review.APPROVED, Assessment.Review.NOT_REQUIRED],
    )
    # An assessment under way: the household's own step (assess or review) or the member's own.
    household_assessing = Task.objects.filter(
        process__in=HouseholdProcess.objects.filter(
            household_case__household=OuterRef(OuterRef("household_id"))
        ),
        flow_task__in=[HouseholdFlow.assess, HouseholdFlow.review],
        status__in=ACTIVE,
    )
    member_assessing = MemberAssessmentProcess.objects.filter(
        member=OuterRef("pk"), status=PROCESS.NEW
    )
    open_household = HouseholdCase.objects.filter(
        household=OuterRef("household_id"), closed_at__isnull=True
    )
    members = (
        Member.objects.current()
        .filter(labour_age_q(day), Exists(open_household))
        .exclude(Exists(open_case))
        .exclude(Exists(closed_case))
        .exclude(Exists(not_labour))
        .exclude(Exists(member_assessing))
        .exclude(Exists(household_assessing))
        .select_related("household")
        .order_by("household_id", "pk")
    )
    found = [
        Breach(
            "labour_without_case",
            member.household_id,
            member.household.number,
            member.name,
            _("Of working age, with no open case, no closed case and no 非劳动力 assessment."),
            _household_url(member.household_id),
        )
        for member in members[:LIMIT]
    ]
    return _counted(members, found)


def case_task_count(day: datetime.date) -> tuple[int, list[Breach]]:
    cases = (
        EmploymentCase.objects.filter(closed_at__isnull=True)
        .annotate(
            active=Count("process__task", filter=Q(process__task__status__in=ACTIVE)),
            process_pk=F("process__pk"),
        )
        .exclude(active=1)
        .select_related("member__household")
        .order_by("pk")
    )
    found = []
    for case in cases[:LIMIT]:
        household = case.member.household
        detail = (
            _("No workflow process.")
            if case.process_pk is None
            else _("%(n)s active steps (one expected).") % {"n": case.active}
        )
        found.append(
            Breach(
                "case_task_count",
                household.pk,
                household.number,
                f"{case.member.name} · {case.get_state_display()}",
                detail,
                _process_url(case.process_pk, household.pk),
            )
        )
    return _counted(cases, found)


def _state_breaches() -> Iterator[tuple[EmploymentCase, str]]:
    label = {node: str(node.task_title or node.name) for node in STEP_STATES}
    for node, states in STEP_STATES.items():
        at_step = _active_tasks("process").filter(flow_task=node)
        wrong = (
            EmploymentCase.objects.filter(closed_at__isnull=True, process__isnull=False)
            .filter(Exists(at_step))
            .exclude(state__in=states)
            .select_related("member__household", "process")
        )
        for case in wrong[:LIMIT]:
            yield (
                case,
                _("At the step “%(step)s”, which a case in this state never reaches.")
                % {"step": label[node]},
            )
    closed_active = (
        EmploymentCase.objects.filter(closed_at__isnull=False, process__isnull=False)
        .filter(Exists(_active_tasks("process")))
        .select_related("member__household", "process")
    )
    for case in closed_active[:LIMIT]:
        yield case, _("Closed, but its flow still has an active step.")
    known = EmploymentCase.objects.exclude(state__in=State.values).select_related(
        "member__household", "process"
    )
    for case in known[:LIMIT]:
        yield case, _("Unknown state “%(state)s”.") % {"state": case.state}


def case_state_step(day: datetime.date) -> tuple[int, list[Breach]]:
    found = []
    for case, detail in _state_breaches():
        household = case.member.household
        process = getattr(case, "process", None)
        found.append(
            Breach(
                "case_state_step",
                household.pk,
                household.number,
                f"{case.member.name} · {case.get_state_display()}",
                detail,
                _process_url(process.pk if process else None, household.pk),
            )
        )
    return len(found), found


def household_heads(day: datetime.date) -> tuple[int, list[Breach]]:
    households = (
        Household.objects.annotate(
            heads=Count(
                "members",
                filter=Q(members__relationship=Member.Relationship.HEAD)
                & Q(members__left_on__isnull=True),
            )
        )
        .exclude(heads=1)
        .order_by("pk")
    )
    found = [
        Breach(
            "household_heads",
            household.pk,
            household.number,
            household.number,
            _("%(n)s heads among its current members (one expected).") % {"n": household.heads},
            _household_url(household.pk),
        )
        for household in households[:LIMIT]
    ]
    return _counted(households, found)


def process_scope_keys(day: datetime.date) -> tuple[int, list[Breach]]:
    rows = process_scope_disagreements(LIMIT)
    numbers = dict(
        Household.objects.filter(pk__in={household for _k, _p, household in rows}).values_list(
            "pk", "number"
        )
    )
    texts = {
        "missing": _("Process #%(process)s has no scope keys."),
        "wrong": _("Process #%(process)s is keyed to another household, grid or site."),
        "step": _(
            "An open step of process #%(process)s is offered to another grid or site than its "
            "household's: nobody who sees the household may take it."
        ),
        "deadline": _(
            "The deadline of a step of process #%(process)s is filed under another grid than "
            "its household's, or still filed after the step closed: the overdue lists miss it "
            "or keep it."
        ),
    }
    found = [
        Breach(
            "process_scope_keys",
            household,
            numbers.get(household, ""),
            f"#{process}",
            texts[kind] % {"process": process},
            _household_url(household),
        )
        for kind, process, household in rows
    ]
    if len(found) < LIMIT:
        return len(found), found
    report = process_scopes_check()
    return report.missing + report.wrong + report.steps + report.deadlines, found


def steps_unknown(day: datetime.date) -> tuple[int, list[Breach]]:
    tasks = (
        Task.objects.filter(process__flow_class__in=FLOWS)
        .exclude(flow_task__in=step_refs(tuple(FLOWS)))
        # The step as stored (the field would turn an unknown one into a made-up title).
        .annotate(
            step=Cast("flow_task", CharField()), household_id=F("process__scope__household_id")
        )
        .order_by("pk")
    )
    rows = list(tasks.values_list("pk", "process_id", "step", "household_id")[:LIMIT])
    numbers = dict(
        Household.objects.filter(pk__in={row[3] for row in rows}).values_list("pk", "number")
    )
    found = [
        Breach(
            "steps_unknown",
            household,
            numbers.get(household, ""),
            f"#{process}",
            _(
                "Task #%(task)s of process #%(process)s is at step %(step)s, which its flow no "
                "longer has: no task list shows it."
            )
            % {"task": task, "process": process, "step": step},
            _household_url(household) if household else "",
        )
        for task, process, step, household in rows
    ]
    return _counted(tasks, found)


RUNNERS: dict[str, Callable[[datetime.date], tuple[int, list[Breach]]]] = {
    "labour_without_case": labour_without_case,
    "case_task_count": case_task_count,
    "case_state_step": case_state_step,
    "household_heads": household_heads,
    "process_scope_keys": process_scope_keys,
    "steps_unknown": steps_unknown,
}


def consistency_breaches(day: datetime.date | None = None) -> dict[str, tuple[int, list[Breach]]]:
    """Every check's breach count and (up to ``LIMIT``) breaches."""
    day = day or timezone.localdate()
    return {name: run(day) for name, run in RUNNERS.items()}
