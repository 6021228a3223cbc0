"""What each kind of workflow process is about: its subject.

Every process points at one domain object (a household case, an employment case, a vacated post,
a service request), and through it at one household and perhaps one member. This module is the
one place that knows, for each process class, how to get from the process to those. Scoping,
the task lists, the task pages, the audit hook, the case file and the dashboard all ask here.

Adding a flow adds one ``Subject`` to ``SUBJECTS``; ``tests/workflows/test_subjects.py`` fails
for a flow without exactly one entry.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Model, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, NullIf
from viewflow.workflow.models import Process

from casework.registry.models import Grid, Household, Member, Site

from .models import (
    EmploymentProcess,
    HouseholdProcess,
    MemberAssessmentProcess,
    PostVacancyProcess,
    ProcessScope,
    RiskEliminationProcess,
    ServiceRequestProcess,
)


@dataclass(frozen=True)
class Subject:
    """How one process class reaches its subject.

    ``subject`` is the field of the process that holds its domain object, and the name under
    which task pages receive that object; ``household`` and ``member`` are paths from the
    process class (``member`` is None when the process is about the whole household).
    """

    process_class: type[Process]
    subject: str
    household: str
    member: str | None = None
    also: tuple[str, ...] = ()  # more relations the task pages show
    # Starts only in the transaction that registers its household (or splits it off), which
    # nobody else sees yet: its scope keys need no lock against a move (``workflows.scope``).
    with_new_household: bool = False

    @property
    def child(self) -> str:
        """The name of the process class's row as seen from viewflow's base ``Process``."""
        return self.process_class._meta.model_name or ""

    def from_process(self, path: str) -> str:
        """``path`` (from the process class) as a path from the base ``Process``."""
        return f"{self.child}__{path}"

    def related(self) -> list[str]:
        """What ``select_related`` needs to load the subject, its member and household."""
        paths = [f"{self.household}__grid__site"]
        if self.member is not None:
            paths.append(self.member)
        return [*paths, *self.also]


SUBJECTS: tuple[Subject, ...] = (
    Subject(
        HouseholdProcess,
        subject="household_case",
        household="household_case__household",
        with_new_household=True,
    ),
    Subject(
        EmploymentProcess,
        subject="case",
        household="case__member__household",
        member="case__member",
    ),
    Subject(
        MemberAssessmentProcess,
        subject="household_case",
        household="household_case__household",
        member="member",
    ),
    Subject(
        PostVacancyProcess,
        subject="vacancy",
        household="vacancy__vacated_by__member__household",
        member="vacancy__vacated_by__member",
        also=("vacancy__post",),
    ),
    Subject(
        ServiceRequestProcess,
        subject="service_request",
        household="service_request__household",
        also=("service_request__first_contact",),
    ),
    Subject(
        RiskEliminationProcess,
        subject="proposal",
        household="proposal__monitored__household",
        also=("proposal__monitored",),
    ),
)
_BY_CLASS: dict[type[Process], Subject] = {entry.process_class: entry for entry in SUBJECTS}


def subject_for(process_class: type[Process]) -> Subject:
    """The subject entry of a process class (KeyError for a class without one)."""
    return _BY_CLASS[process_class]


def subject_of(process: Process) -> Subject:
    """The subject entry of a process, whether given as its own class or viewflow's base."""
    return subject_for(process.flow_class.process_class)


# Queries across every kind of process, read from the scope keys each process carries
# (``ProcessScope``: one join, instead of one chain of joins per kind of subject). ``prefix`` is
# the path from the queried model to the base ``Process`` ("" for processes, "process__" for
# tasks).


def household_id_expression(prefix: str = "") -> Combinable:
    """The id of the household a process (or task, with ``prefix``) is about."""
    return F(f"{prefix}scope__household_id")


def household_number_expression(prefix: str = "") -> Combinable:
    """The 户编号 of the household a process (or task) is about."""
    return F(f"{prefix}scope__household__number")


def member_name_expression(prefix: str = "") -> Combinable:
    """The name of the member a process (or task) is about; NULL for household processes."""
    return F(f"{prefix}scope__member__name")


def task_scope_expression(field: str) -> Subquery:
    """A field of the scope keys (``ProcessScope``) of a task's process, looked up by the task's
    own ``process_id``: no join to the process table, so a list of tasks is planned from the
    user's scope keys and the value is read for the rows shown only."""
    scopes = ProcessScope.objects.filter(process_id=OuterRef("process_id"))
    return Subquery(scopes.values(field)[:1])


def head_expression(field: str, household_id: str = "wf_household_id") -> Subquery:
    """A field of the head of the household whose id the query annotates as ``household_id``."""
    heads = Member.objects.filter(
        household_id=OuterRef(household_id), relationship=Member.Relationship.HEAD
    )
    return Subquery(heads.values(field)[:1])


def call_number_expression(
    household_phone: Combinable, household_id: str = "wf_household_id"
) -> Combinable:
    """The number tap-to-call dials (``registry.selectors.household_call_number``): the head's
    phone, else the household's (``household_phone``); NULL when neither is known."""
    return Coalesce(
        NullIf(head_expression("phone", household_id), Value("")),
        NullIf(household_phone, Value("")),
    )


def about_households(households: QuerySet[Household] | Household, prefix: str = "") -> Q:
    """Processes (or tasks, with ``prefix``) about ``households``: a queryset of them, or one
    household. Read from the scope keys (``ProcessScope``), so it is an index lookup by
    household, not a join through every kind of subject."""
    lookup = "household__in" if isinstance(households, QuerySet) else "household"
    scopes = ProcessScope.objects.filter(**{lookup: households})
    return Q(**{f"{prefix}pk__in": scopes.values("process_id")})


def process_household_id(process_pk: object) -> int | None:
    """The id of the household the process with ``process_pk`` is about."""
    return (
        Process.objects.filter(pk=process_pk)
        .annotate(household_id=household_id_expression())
        .values_list("household_id", flat=True)
        .first()
    )


def process_household_ids(process_pks: Iterable[int]) -> dict[int, int | None]:
    """The household id of each process in ``process_pks``, in one query."""
    return dict(
        Process.objects.filter(pk__in=set(process_pks))
        .annotate(household_id=household_id_expression())
        .values_list("pk", "household_id")
    )


def subject_annotations() -> dict[str, Combinable]:
    """``wf_household`` (its number) and ``wf_member`` (a name; NULL for household processes)
    for a list of processes, from their scope keys: outer joins on unique keys, which the
    list's count leaves out, instead of the inner joins through each kind of subject that
    made it read every process of the flow."""
    return {
        "wf_household": household_number_expression(),
        "wf_member": member_name_expression(),
    }


# One process's subject: for the flows' permission checks and the pages of a process or task.


def _household_values(process: Process, field: str) -> Subquery:
    entry = subject_of(process)
    rows = entry.process_class.objects.filter(pk=process.pk).order_by()
    return Subquery(rows.values(f"{entry.household}__{field}")[:1])


def grid_of(process: Process) -> Grid:
    """The grid of the process's household (the object of caseworkers' step permissions)."""
    return Grid.objects.get(pk=_household_values(process, "grid_id"))


def site_of(process: Process) -> Site:
    """The site of the process's household (the object of managers' step permissions)."""
    return Site.objects.get(pk=_household_values(process, "grid__site_id"))


def _follow(obj: Model, path: str) -> Any:
    for name in path.split("__"):
        obj = getattr(obj, name)
    return obj


def subject_context(process: Process) -> dict[str, Any]:
    """The process's domain object (under its ``subject`` name), household and member: one query."""
    entry = subject_of(process)
    loaded = entry.process_class.objects.select_related(*entry.related()).get(pk=process.pk)
    context: dict[str, Any] = {
        entry.subject: getattr(loaded, entry.subject),
        "household": _follow(loaded, entry.household),
    }
    if entry.member is not None:
        context["member"] = _follow(loaded, entry.member)
    return context


def member_paths() -> list[str]:
    """What ``select_related`` on base processes needs for ``process_title``."""
    return [s.from_process(s.member) for s in SUBJECTS if s.member is not None]


def process_title(process: Process) -> str:
    """The flow's title, with the member's name for processes about one member (the base
    process, loaded with ``member_paths``)."""
    title = str(process.flow_class.process_title)
    entry = subject_of(process)
    if entry.member is None:
        return title
    member = _follow(process, entry.from_process(entry.member))
    return f"{title}：{member.name}"
