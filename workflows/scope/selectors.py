"""Reading the scope keys of workflow processes against what each process is about: the
consistency check's and the rebuild's questions (``workflows.scope.services`` writes them)."""

from dataclasses import dataclass

from django.db.models import CharField, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from casework.permissions import MANAGE_SITE, WORK_GRID

from ..models import OPEN_STATUSES, ProcessScope, TaskDeadline
from ..subjects import SUBJECTS, subject_for


def keys_of(process_class: type[Process]) -> QuerySet:
    """The processes of one class with their household, grid and site ids and their flow."""
    entry = subject_for(process_class)
    member = F(f"{entry.member}__pk") if entry.member else Value(None, IntegerField())
    return process_class.objects.values("pk").annotate(
        wf_household=F(f"{entry.household}__pk"),
        wf_grid=F(f"{entry.household}__grid_id"),
        wf_site=F(f"{entry.household}__grid__site_id"),
        wf_member=member,
        wf_flow=F("flow_class"),
    )


def keys_missing(process_class: type[Process]) -> QuerySet:
    """Processes of one class without scope keys."""
    return keys_of(process_class).filter(scope__isnull=True)


def keys_wrong(process_class: type[Process]) -> QuerySet:
    """Processes of one class whose keys disagree with their subject."""
    entry = subject_for(process_class)
    wrong = (
        ~Q(scope__household_id=F(f"{entry.household}__pk"))
        | ~Q(scope__grid_id=F(f"{entry.household}__grid_id"))
        | ~Q(scope__site_id=F(f"{entry.household}__grid__site_id"))
        | ~Q(scope__flow_class=F("flow_class"))
    )
    if entry.member:
        wrong |= Q(scope__member__isnull=True) | ~Q(scope__member_id=F(f"{entry.member}__pk"))
    else:
        wrong |= Q(scope__member__isnull=False)
    return keys_of(process_class).filter(wrong, scope__isnull=False)


@dataclass(frozen=True)
class ScopeReport:
    """What a check or rebuild found: processes without keys, keys that disagree with their
    subject, and open steps offered to another grid or site than their household's."""

    missing: int
    wrong: int
    steps: int = 0  # open steps offered to another grid or site than their household's
    deadlines: int = 0  # deadlines whose grid-while-open disagrees with their step

    @property
    def clean(self) -> bool:
        return not (self.missing or self.wrong or self.steps or self.deadlines)


def process_scope_disagreements(limit: int) -> list[tuple[str, int, int]]:
    """Up to ``limit`` processes whose keys are missing or disagree with their subject, then
    open steps offered elsewhere (``steps_offered_elsewhere``), as (``"missing"``, ``"wrong"``
    or ``"step"``, process id, household id); reads only."""
    found: list[tuple[str, int, int]] = []
    for entry in SUBJECTS:
        for kind, rows in (("missing", keys_missing), ("wrong", keys_wrong)):
            for row in rows(entry.process_class).order_by("pk")[: limit - len(found)]:
                found.append((kind, row["pk"], row["wf_household"]))
            if len(found) >= limit:
                return found
    steps = steps_offered_elsewhere().order_by("pk")
    for process, household in steps.values_list("process_id", "process__scope__household_id")[
        : limit - len(found)
    ]:
        found.append(("step", process, household))
    deadlines = deadline_keys_wrong().order_by("pk")
    for process, household in deadlines.values_list(
        "task__process_id", "task__process__scope__household_id"
    )[: max(limit - len(found), 0)]:
        found.append(("deadline", process, household))
    return found


def deadline_keys_wrong() -> QuerySet:
    """Deadlines whose grid-while-open (``TaskDeadline.open_grid``) disagrees with their step:
    an open human step's that is empty or not its process's grid as the scope keys have it
    (the step would be missing from its grid's overdue list), or a closed step's that is
    still set (never listed, the step's status is checked when shown, but counted in the
    overdue list's total, ``scoping.overdue_deadlines_in_scope``).
    Each row is annotated with the grid it should have (``wf_grid``, None when closed)."""
    open_step = Q(task__status__in=OPEN_STATUSES, task__flow_task_type="HUMAN")
    grid = ProcessScope.objects.filter(process_id=OuterRef("task__process_id")).values("grid_id")
    return TaskDeadline.objects.annotate(wf_grid=Subquery(grid[:1])).filter(
        (
            open_step
            & Q(wf_grid__isnull=False)
            & (Q(open_grid__isnull=True) | ~Q(open_grid=F("wf_grid")))
        )
        | (~open_step & Q(open_grid__isnull=False))
    )


def steps_offered_elsewhere() -> QuerySet[Task]:
    """Open human steps whose permission object (the grid whose caseworkers, or the site whose
    manager, may take them) is not their household's grid or site as the scope keys have it:
    nobody who sees the household may take them (a household moved before its steps followed
    it, or rows written outside the services)."""
    grid = Cast("process__scope__grid_id", CharField())
    site = Cast("process__scope__site_id", CharField())
    return Task.objects.filter(
        flow_task_type="HUMAN",
        status__in=(STATUS.NEW, STATUS.ASSIGNED),
        process__scope__isnull=False,
    ).filter(
        (Q(owner_permission=WORK_GRID) & ~Q(owner_permission_obj_pk=grid))
        | (Q(owner_permission=MANAGE_SITE) & ~Q(owner_permission_obj_pk=site))
    )


def process_scopes_check() -> ScopeReport:
    """Compare every process's keys with its subject, and every open step's grid or site with
    its process's keys (reads only)."""
    return ScopeReport(
        missing=sum(keys_missing(entry.process_class).count() for entry in SUBJECTS),
        wrong=sum(keys_wrong(entry.process_class).count() for entry in SUBJECTS),
        steps=steps_offered_elsewhere().count(),
        deadlines=deadline_keys_wrong().count(),
    )
