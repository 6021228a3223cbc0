"""Reads for the staff-change pages: a user's open work, and who could take it on."""

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework import permissions
from casework.accounts.models import Substitution
from casework.pairing.models import Pairing
from casework.registry.models import Grid, Site
from casework.training.models import Course, Enrolment
from workflows.flows import FLOWS
from workflows.selectors import due_first, with_subject


@dataclass(frozen=True)
class OpenWork:
    """What a user leaves behind: their tasks, their pairings, the courses only they teach,
    the grids and sites nobody else works or manages, and whom they cover as a substitute (those
    substitutions end with the account)."""

    tasks: list[Task]
    pairings: list[Pairing]
    courses: list[Course]
    unworked_grids: list[Grid]
    unmanaged_sites: list[Site]
    covers: list[Substitution] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.tasks or self.pairings or self.courses)


def open_tasks(user: User) -> QuerySet[Task]:
    """The open human tasks ``user`` leaves: those assigned to them, and the free ones of the
    grids (and sites) nobody else works (or manages)."""
    grids = [str(grid.pk) for grid in permissions.grids_left_unworked(user)]
    sites = [str(site.pk) for site in permissions.sites_left_unmanaged(user)]
    free = Q(status=STATUS.NEW, owner__isnull=True) & (
        Q(owner_permission=permissions.WORK_GRID, owner_permission_obj_pk__in=grids)
        | Q(owner_permission=permissions.MANAGE_SITE, owner_permission_obj_pk__in=sites)
    )
    tasks: QuerySet[Task] = Task.objects.filter(
        Q(owner=user, status=STATUS.ASSIGNED) | free,
        process__flow_class__in=FLOWS,
        flow_task_type="HUMAN",
    )
    return tasks


def open_tasks_listed(user: User) -> list[Task]:
    """``open_tasks`` with their household, head and due date, earliest deadline first."""
    return list(due_first(with_subject(open_tasks(user))))


def pairings_of(user: User) -> QuerySet[Pairing]:
    """The user's pairings in force, as helper."""
    return Pairing.objects.filter(helper=user, end_date__isnull=True).select_related(
        "household__grid"
    )


def courses_taught_alone(user: User) -> list[Course]:
    """The courses ``user`` teaches with no other trainer, still running or awaiting results."""
    taught = Course.objects.filter(
        Q(end_date__gte=timezone.localdate()) | Q(enrolments__status=Enrolment.Status.ENROLLED)
    ).distinct()
    alone = permissions.courses_taught_only_by(user).values("pk")
    return list(taught.filter(pk__in=alone).select_related("site"))


def open_work(user: User) -> OpenWork:
    """Everything ``user`` leaves open (see ``OpenWork``)."""
    return OpenWork(
        tasks=open_tasks_listed(user),
        pairings=list(pairings_of(user)),
        courses=courses_taught_alone(user),
        unworked_grids=permissions.grids_left_unworked(user),
        unmanaged_sites=permissions.sites_left_unmanaged(user),
        covers=list(covers_of(user).select_related("absent")),
    )


def covers_of(user: User) -> QuerySet[Substitution]:
    """The substitutions in which ``user`` covers a colleague, in force or still to come."""
    return Substitution.objects.filter(
        substitute=user, ended_at__isnull=True, end_date__gte=timezone.localdate()
    ).order_by("start_date", "pk")


def inbox_loads(users: QuerySet[User]) -> dict[int, int]:
    """The number of open tasks in each user's inbox (their load), one query."""
    rows = (
        Task.objects.filter(owner__in=users, status=STATUS.ASSIGNED, process__flow_class__in=FLOWS)
        .values("owner_id")
        .annotate(n=Count("pk"))
    )
    loads = {user.pk: 0 for user in users}
    loads.update({row["owner_id"]: row["n"] for row in rows})
    return loads


def helpers_for(actor: User, leaving: User) -> QuerySet[User]:
    """Active pairing helpers ``actor`` may give ``leaving``'s households
    (``permissions.helpers_pairable``)."""
    return permissions.helpers_pairable(actor).exclude(pk=leaving.pk)


def trainers_for(actor: User, leaving: User) -> QuerySet[User]:
    """Active trainers ``actor`` may give ``leaving``'s courses
    (``permissions.trainers_assignable``)."""
    return permissions.trainers_assignable(actor).exclude(pk=leaving.pk)


def substitutions_arranged(actor: User) -> QuerySet[Substitution]:
    """The substitutions of the users ``actor`` administers, newest first."""
    users = permissions.users_administered(actor).values("pk")
    return Substitution.objects.filter(absent__in=users).select_related(
        "absent", "substitute", "created_by"
    )
