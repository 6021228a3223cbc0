"""Substitutes: while a caseworker is away, a named colleague covers their grids.

During a substitution's dates the substitute works the grids the absent caseworker holds
``registry.work_grid`` on (their own grants, not a group's): ``grids_worked_by`` adds them, so
the substitute sees those households and may take the tasks of those grids (``covers_grid``,
which the flows' steps ask besides their own permission). Each question is one indexed query on
``accounts.Substitution`` (as a subquery where a queryset is returned).
"""

import datetime
from typing import Any

from django.contrib.auth.models import User as AuthUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from guardian.models import UserObjectPermission

from casework.accounts.models import Substitution
from casework.registry.models import Grid

from .grants import WORK_GRID, User, is_active_user
from .roles import CASEWORKER, MANAGER


def substitutions_in_force(on: datetime.date | None = None) -> QuerySet[Substitution]:
    """The substitutions covering ``on`` (today by default) and not ended early."""
    day = on or timezone.localdate()
    return Substitution.objects.filter(
        start_date__lte=day, end_date__gte=day, ended_at__isnull=True
    )


def _work_grid_grants_of(absent_ids: "QuerySet[Any]") -> QuerySet[UserObjectPermission]:
    return UserObjectPermission.objects.filter(
        user_id__in=absent_ids,
        permission__codename=WORK_GRID.split(".", 1)[1],
        content_type=ContentType.objects.get_for_model(Grid),
    )


def covered_grid_ids(user: User, on: datetime.date | None = None) -> "QuerySet[Any]":
    """The pks of the grids ``user`` covers as a substitute on ``on`` (a subquery)."""
    if not is_active_user(user):
        return Grid.objects.none().values("pk")
    absent = substitutions_in_force(on).filter(substitute_id=user.pk).values("absent_id")
    return (
        _work_grid_grants_of(absent)
        .annotate(grid_id=Cast("object_pk", BigIntegerField()))
        .values("grid_id")
    )


def grids_covered_by(user: User, on: datetime.date | None = None) -> QuerySet[Grid]:
    """The grids ``user`` covers for an absent colleague on ``on``."""
    return Grid.objects.filter(pk__in=covered_grid_ids(user, on))


def is_absent(user: AuthUser, on: datetime.date | None = None) -> bool:
    """Is a substitute covering ``user`` on ``on``? (New work then goes to the queue, where the
    substitute finds it, rather than to them.)"""
    return substitutions_in_force(on).filter(absent_id=user.pk).exists()


def substitutes_for(absent: AuthUser) -> QuerySet[AuthUser]:
    """Who may be named to cover ``absent``: the other active caseworkers and managers."""
    return (
        AuthUser.objects.filter(is_active=True, groups__name__in=(CASEWORKER, MANAGER))
        .exclude(pk=absent.pk)
        .distinct()
        .order_by("username")
    )


def covers_grid(user: User, grid_pk: object) -> bool:
    """Does ``user`` cover the grid with ``grid_pk`` today for an absent colleague? (The flows'
    steps ask this besides the step's own permission: one indexed query.)"""
    if not is_active_user(user) or not str(grid_pk).isdigit():
        return False
    absent = substitutions_in_force().filter(substitute_id=user.pk).values("absent_id")
    return _work_grid_grants_of(absent).filter(object_pk=str(grid_pk)).exists()


def covered_q(user: User) -> Q:
    """``pk`` among the grids ``user`` covers today (for ``grids_worked_by``)."""
    return Q(pk__in=covered_grid_ids(user))
