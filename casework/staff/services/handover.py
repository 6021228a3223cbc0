"""A departing user's work handed on: their open tasks, their pairings, the courses only they
teach; then the account is deactivated.

Each hand-on is one administrative action: one transaction and one summary audit event with the
actor, listing the items moved; the task transitions inside are collected and written in one
bulk append before it (``workflows.records.transitions_collected``), so that each task's and
each household's history says who holds what from then on. ``staff_deactivate`` runs them all
and the deactivation in one transaction: either nothing is left orphaned and the account is
deactivated, or nothing changes.
"""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm
from viewflow.workflow.status import STATUS

from casework import permissions
from casework.accounts.services import user_deactivate
from casework.audit.context import acting
from casework.audit.services import audit_record
from casework.pairing.models import Pairing
from casework.pairing.services import pairing_handover_all
from casework.permissions import roles
from casework.registry.models import Grid
from casework.training.models import Course
from casework.training.services.courses import TRAINER_OUT_OF_REACH
from workflows.claims import may_take
from workflows.flows import HouseholdFlow
from workflows.records import transitions_collected
from workflows.undo import household_of

from ..selectors import courses_taught_alone, covers_of, inbox_loads, open_tasks


def _require(actor: User, user: User) -> None:
    if not permissions.may_change_staff(actor, user):
        raise PermissionDenied(_("You may not change this account."))


@dataclass(frozen=True)
class TaskTarget:
    """Where the tasks go: to one person, or spread over a grid's caseworkers."""

    person: User | None = None
    grid: Grid | None = None


def _takers(actor: User, user: User, target: TaskTarget) -> list[User]:
    if target.person is not None:
        if not target.person.is_active or target.person.pk == user.pk:
            raise ValidationError({"tasks_to": _("Choose an active colleague.")})
        return [target.person]
    if target.grid is None:
        return []  # only household visits that follow their household's new helper
    if not permissions.grids_administered(actor).filter(pk=target.grid.pk).exists():
        raise ValidationError({"tasks_to": _("Choose a grid you administer.")})
    workers = list(permissions.grid_workers(target.grid).exclude(pk=user.pk))
    if not workers:
        raise ValidationError({"tasks_to": _("Nobody else works this grid.")})
    return workers


def _new_helper(task: object, household_id: int, leaving: User) -> User | None:
    """For a household follow-up (a visit by the paired helper): the household's staff helper
    now, if it is someone else than ``leaving`` (the pairings were handed over first)."""
    if getattr(task, "flow_task", None) is not HouseholdFlow.household_followup:
        return None
    pairing = (
        Pairing.objects.filter(household_id=household_id, end_date__isnull=True)
        .exclude(helper__isnull=True)
        .exclude(helper=leaving)
        .select_related("helper")
        .first()
    )
    return pairing.helper if pairing else None


def staff_tasks_reassign(*, actor: User, user: User, target: TaskTarget) -> list[list[object]]:
    """Hand ``user``'s open tasks (``selectors.open_tasks``) to one person, or spread them over
    a grid's caseworkers: each task to the one with the fewest open tasks who may take it
    (round robin by load). Refused as a whole when any task would find nobody. One audit
    event ``staff.tasks_reassign`` lists [task, household, step, new owner], after each task's
    own assignment event (in its household's history; written in one bulk append)."""
    _require(actor, user)
    tasks = list(open_tasks(user).order_by("pk"))
    if not tasks:
        return []
    takers = _takers(actor, user, target)
    loads = inbox_loads(User.objects.filter(pk__in=[taker.pk for taker in takers]))
    administered = set(permissions.grids_administered(actor).values_list("pk", flat=True))
    items: list[list[object]] = []
    refused: list[str] = []
    with transaction.atomic(), acting(actor):
        with transitions_collected():
            for task in tasks:
                with task.activation() as activation:
                    if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
                        continue  # finished meanwhile
                    household = household_of(task)
                    title = str(task.flow_task.task_title)
                    able = [t for t in takers if may_take(t, task)]
                    if household is None or household.grid_id not in administered:
                        able = []
                    elif helper := _new_helper(task, household.pk, user):
                        able = [helper]  # a visit follows the household to its new helper
                    if household is None or not able:  # nobody may take it: all is refused
                        refused.append(f"{household.number if household else task.pk} · {title}")
                        continue
                    taker = min(able, key=lambda t: (loads.get(t.pk, 0), t.username))
                    loads[taker.pk] = loads.get(taker.pk, 0) + 1
                    if task.status == STATUS.NEW:
                        activation.assign(taker)
                    else:
                        activation.reassign(taker)
                    items.append([task.pk, household.number, title, taker.get_username()])
            if refused:
                raise ValidationError(
                    {
                        "tasks_to": _("Choose who takes these tasks: %(tasks)s.")
                        % {"tasks": _("; ").join(refused)}
                    }
                )
        audit_record(
            actor=actor,
            action="staff.tasks_reassign",
            obj=user,
            household_id=None,
            changes={"tasks": (None, items)},
        )
    return items


def staff_courses_reassign(*, actor: User, user: User, trainer: User) -> list[Course]:
    """Give the courses only ``user`` teaches (still running or awaiting results) to
    ``trainer``, and take them from ``user``. One audit event ``staff.courses_reassign``."""
    _require(actor, user)
    courses = courses_taught_alone(user)
    if not courses:
        return []
    if (
        trainer.pk == user.pk
        or not trainer.is_active
        or roles.TRAINER not in roles.user_roles(trainer)
    ):
        raise ValidationError({"trainer": _("Only a trainer can be given a course.")})
    sites = set(permissions.sites_administered(actor).values_list("pk", flat=True))
    if any(course.site_id not in sites for course in courses):
        raise PermissionDenied(_("You may not do this to the course."))
    for course in courses:
        if not permissions.trainers_assignable(actor, course).filter(pk=trainer.pk).exists():
            raise ValidationError({"trainer": TRAINER_OUT_OF_REACH})
    with transaction.atomic():
        for course in courses:
            assign_perm(permissions.TEACH_COURSE, trainer, course)
            remove_perm(permissions.TEACH_COURSE, user, course)
        permissions.jurisdiction_forget(trainer)
        permissions.jurisdiction_forget(user)
        audit_record(
            actor=actor,
            action="staff.courses_reassign",
            obj=user,
            household_id=None,
            changes={
                "trainer": (user.get_username(), trainer.get_username()),
                "courses": (None, [course.name for course in courses]),
            },
        )
    return courses


def _covers_end(actor: User, user: User) -> None:
    """End the substitutions in which ``user`` covers a colleague (in force or to come): one
    audit event ``staff.substitutions_end`` listing [substitution, absent, from, until]."""
    covers = covers_of(user).select_related("absent")
    items = [
        [cover.pk, cover.absent.get_username(), cover.start_date, cover.end_date]
        for cover in covers
    ]
    if not items:
        return
    covers.update(ended_at=timezone.now())
    permissions.jurisdiction_forget(user)
    audit_record(
        actor=actor,
        action="staff.substitutions_end",
        obj=user,
        household_id=None,
        changes={"substitutions": (None, items)},
    )


@dataclass(frozen=True)
class Handover:
    """Who takes what from the departing user (None where they have nothing of that kind)."""

    tasks: TaskTarget = TaskTarget()
    helper: User | None = None
    trainer: User | None = None


def staff_deactivate(*, actor: User, user: User, handover: Handover) -> User:
    """Hand on all of ``user``'s open work as ``handover`` says, then deactivate the account,
    in one transaction. Refused while any open work would be left without someone. The
    substitutions in which ``user`` covers a colleague end with it."""
    _require(actor, user)
    missing: dict[str, str] = {}
    with transaction.atomic():
        if handover.helper is not None:
            pairing_handover_all(actor=actor, helper=user, to=handover.helper)
        if handover.trainer is not None:
            staff_courses_reassign(actor=actor, user=user, trainer=handover.trainer)
        staff_tasks_reassign(actor=actor, user=user, target=handover.tasks)
        if user.pairings.filter(end_date__isnull=True).exists():
            missing["helper"] = _("Choose the helper who takes over the households.")
        if courses_taught_alone(user):
            missing["trainer"] = _("Choose the trainer who takes over the courses.")
        if open_tasks(user).exists():
            missing["tasks_to"] = _("Choose who takes the open tasks.")
        if missing:
            raise ValidationError(missing)
        _covers_end(actor, user)
        user_deactivate(actor=actor, user=user)
    return user
