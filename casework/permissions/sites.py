"""Where a user works: the grids and sites of their jurisdiction, the site-scoped objects there
(job menus, public-welfare posts), and who manages a site."""

from typing import cast

from django.contrib.auth.models import User as AuthUser
from django.db.models import Q, QuerySet
from guardian.shortcuts import get_users_with_perms

from casework.ledgers.models import UnassignedHousehold
from casework.placement.models import Employer
from casework.posts.models import WelfarePost
from casework.registry.models import Grid, Site

from .grants import (
    MANAGE_SITE,
    WORK_GRID,
    User,
    is_active_user,
    objects_granted,
    system_client_site,
)
from .substitutes import covered_q


def grids_worked_by(user: User) -> QuerySet[Grid]:
    """Grids where the user does casework: granted directly, through a managed site, or
    covered for an absent colleague today (``substitutes``)."""
    if not is_active_user(user):
        return Grid.objects.none()
    if user.is_superuser:
        return Grid.objects.all()
    api_site = system_client_site(user)
    if api_site is not None:  # an API system client: its site's grids, nothing else
        return Grid.objects.filter(site_id=api_site)
    return Grid.objects.filter(
        Q(pk__in=objects_granted(user, WORK_GRID, Grid).values("pk"))
        | Q(site__in=objects_granted(user, MANAGE_SITE, Site).values("pk"))
        | covered_q(user)
    )


def sites_worked_by(user: User) -> QuerySet[Site]:
    """Sites where the user does casework: a site of a grid they work, or a site they manage."""
    return Site.objects.filter(pk__in=grids_worked_by(user).values("site_id"))


def sites_managed_by(user: User) -> QuerySet[Site]:
    """Sites the user manages (``registry.manage_site`` held on the site); superusers: all."""
    if not is_active_user(user):
        return Site.objects.none()
    if user.is_superuser:
        return Site.objects.all()
    return Site.objects.filter(pk__in=objects_granted(user, MANAGE_SITE, Site).values("pk"))


def sites_for_import(user: User) -> QuerySet[Site]:
    """Sites into which the user may import household ledgers: those they manage, with the
    import right."""
    if not user.is_authenticated or not user.has_perm("ledgers.import_ledger"):
        return Site.objects.none()
    return sites_managed_by(user)


def households_waiting_for(user: User) -> QuerySet[UnassignedHousehold]:
    """Households of a national table waiting for a grid that the user may place: those of a
    county of a site they import into, and those of no known county that they imported."""
    sites = sites_for_import(user)
    if not sites.exists():
        return UnassignedHousehold.objects.none()
    if user.is_superuser:
        return UnassignedHousehold.objects.all()
    return UnassignedHousehold.objects.filter(
        Q(county__in=sites.values("county")) | Q(county=None, imported_by=user.pk)
    )


def grids_for_registration(user: User) -> QuerySet[Grid]:
    """Grids in which the user may register a new household."""
    if not user.is_authenticated or not user.has_perm("registry.add_household"):
        return Grid.objects.none()
    return grids_worked_by(user).select_related("site")


def site_managers(site: Site) -> QuerySet[AuthUser]:
    """The active users who manage ``site`` (directly or through a group; not superusers)."""
    # guardian returns a list only with ``attach_perms=True``; here it is a queryset of users.
    managers = cast(
        "QuerySet[AuthUser]",
        get_users_with_perms(
            site,
            only_with_perms_in=[MANAGE_SITE.split(".")[1]],
            with_superusers=False,
            with_group_users=True,
        ),
    )
    return managers.filter(is_active=True)


def employers_visible_to(user: User) -> QuerySet[Employer]:
    """Employers on the job menus of the sites where the user does casework."""
    if not user.is_authenticated or not user.has_perm("placement.view_employer"):
        return Employer.objects.none()
    if user.is_superuser:
        return Employer.objects.all()
    return Employer.objects.filter(site__in=sites_worked_by(user).values("pk"))


def welfare_posts_visible_to(user: User) -> QuerySet[WelfarePost]:
    """Public-welfare posts of the sites where the user does casework."""
    if not user.is_authenticated or not user.has_perm("posts.view_welfarepost"):
        return WelfarePost.objects.none()
    if user.is_superuser:
        return WelfarePost.objects.all()
    return WelfarePost.objects.filter(site__in=sites_worked_by(user).values("pk"))
