"""Staff changes: who may change whose work, who works a grid, and which grids or sites
would be left with nobody when a user leaves."""

from typing import cast

from django.contrib.auth.models import User as AuthUser
from django.db.models import QuerySet
from guardian.shortcuts import get_users_with_perms

from casework.registry.models import Grid, Household, Site
from casework.training.models import Course

from .administration import is_administrator, users_administered
from .grants import (
    MANAGE_SITE,
    TEACH_COURSE,
    WORK_GRID,
    User,
    held_by_others_pk_q,
    is_active_user,
    objects_granted,
)
from .households import can
from .sites import grids_worked_by


def grid_workers(grid: Grid) -> QuerySet[AuthUser]:
    """The active users holding ``work_grid`` on the grid (directly or through a group; not
    superusers): its caseworkers."""
    workers = cast(
        "QuerySet[AuthUser]",
        get_users_with_perms(
            grid,
            only_with_perms_in=[WORK_GRID.split(".")[1]],
            with_superusers=False,
            with_group_users=True,
        ),
    )
    return workers.filter(is_active=True)


def grids_left_unworked(user: AuthUser) -> list[Grid]:
    """The grids ``user`` works that no other active user works: their free tasks would wait
    for nobody once ``user`` leaves."""
    granted = objects_granted(user, WORK_GRID, Grid).select_related("site")
    return list(granted.exclude(held_by_others_pk_q(user, WORK_GRID, Grid)))


def sites_left_unmanaged(user: AuthUser) -> list[Site]:
    """The sites ``user`` manages that no other active user manages."""
    granted = objects_granted(user, MANAGE_SITE, Site)
    return list(granted.exclude(held_by_others_pk_q(user, MANAGE_SITE, Site)))


def may_change_staff(actor: User, user: AuthUser) -> bool:
    """May ``actor`` hand ``user``'s work to others and deactivate them? An administrator, or
    the manager of the sites they work in; never oneself."""
    if not is_active_user(actor) or actor.pk == user.pk:
        return False
    return users_administered(actor).filter(pk=user.pk).exists()


def courses_taught_by(user: AuthUser) -> QuerySet[Course]:
    """The courses on which ``user`` holds ``teach_course`` themselves."""
    return objects_granted(user, TEACH_COURSE, Course)


def courses_taught_only_by(user: AuthUser) -> QuerySet[Course]:
    """The courses ``user`` teaches that no other active user teaches (``course_trainers``)."""
    return courses_taught_by(user).exclude(held_by_others_pk_q(user, TEACH_COURSE, Course))


def may_pair(actor: User, household: Household) -> bool:
    """May ``actor`` pair helpers with ``household``, end or hand over its pairings? An
    administrator anywhere; whoever may change the household (its grid's caseworkers, its
    site's managers)."""
    return is_administrator(actor) or can(actor, "change", household)


def households_pairable_by(actor: User) -> QuerySet[Household]:
    """The households ``actor`` may pair (``may_pair``), as a queryset."""
    if is_administrator(actor):
        return Household.objects.all()
    if not is_active_user(actor) or not actor.has_perm("registry.change_household"):
        return Household.objects.none()
    return Household.objects.filter(grid__in=grids_worked_by(actor).values("pk"))
