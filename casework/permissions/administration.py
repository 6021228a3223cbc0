"""Who may administer what: the sites, grids and users a user may set up and change.

Administrators (superusers, and holders of the administrator role) administer everything; a
manager administers the sites they manage (``registry.manage_site``), the grids of those sites,
and the caseworkers, helpers and trainers whose grants all lie inside those sites (never
managers or administrators). Everyone else administers nothing.
"""

from typing import Any

from django.contrib.auth.models import User as AuthUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from guardian.models import UserObjectPermission

from casework.registry.models import Grid, Household, Site
from casework.training.models import Course

from .grants import User, is_active_user
from .roles import ADMIN, MANAGER
from .sites import sites_managed_by


def is_administrator(user: User) -> bool:
    """Administers everything: a superuser or a holder of the administrator role."""
    if not is_active_user(user):
        return False
    return bool(user.is_superuser or user.groups.filter(name=ADMIN).exists())


def may_administer(user: User) -> bool:
    """May the user open the administration pages at all? Administrators and managers."""
    return is_administrator(user) or sites_managed_by(user).exists()


def sites_administered(user: User) -> QuerySet[Site]:
    """The sites the user may administer: all for an administrator, a manager's own."""
    if is_administrator(user):
        return Site.objects.all()
    return sites_managed_by(user)


def grids_administered(user: User) -> QuerySet[Grid]:
    """The grids of the sites the user administers."""
    return Grid.objects.filter(site__in=sites_administered(user).values("pk")).select_related(
        "site"
    )


def _grants_q(sites: QuerySet[Site]) -> Q:
    """Object permissions held on the sites, their grids, their households or their courses."""
    types = ContentType.objects.get_for_models(Site, Grid, Household, Course)

    def on(model: type, pks: "QuerySet[Any]") -> Q:
        return Q(content_type=types[model], object_pk__in=[str(pk) for pk in pks])

    return (
        on(Site, sites.values_list("pk", flat=True))
        | on(Grid, Grid.objects.filter(site__in=sites).values_list("pk", flat=True))
        | on(
            Household,
            Household.objects.filter(grid__site__in=sites).values_list("pk", flat=True),
        )
        | on(Course, Course.objects.filter(site__in=sites).values_list("pk", flat=True))
    )


def users_administered(user: User) -> QuerySet[AuthUser]:
    """The accounts the user may administer: every one for an administrator; for a manager,
    the caseworkers, helpers and trainers holding some grant in their sites and none outside
    them (not managers, administrators or superusers)."""
    if is_administrator(user):
        return AuthUser.objects.all()
    sites = sites_managed_by(user)
    if not sites.exists():
        return AuthUser.objects.none()
    inside = _grants_q(sites)
    granted = UserObjectPermission.objects.filter(inside).values("user_id")
    anywhere = UserObjectPermission.objects.filter(
        content_type__in=ContentType.objects.get_for_models(Site, Grid, Household, Course).values()
    )
    outside = anywhere.exclude(inside).values("user_id")
    return (
        AuthUser.objects.filter(pk__in=granted, is_superuser=False)
        .exclude(pk__in=outside)
        .exclude(groups__name__in=(ADMIN, MANAGER))
        .exclude(pk=user.pk or 0)
    )
