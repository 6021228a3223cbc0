"""Who reads which figures: the month-end dashboard's tiers and the lists behind its numbers.

- a caseworker reads the grids they work;
- a manager, the grids of the sites they manage (and so those sites, and a township or county
  when every site of it is theirs);
- a county bureau (role ``county``), every grid of every site of the counties it holds
  ``registry.read_county`` on, read-only: the figures and the lists behind them, not the
  households' pages;
- an administrator, everything.
A reader may open a unit (grid, site, township, county) when every grid of it is theirs.
"""

from django.contrib.auth.models import User as AuthUser
from django.db.models import Q, QuerySet

from casework.registry.models import Grid, Region, Site

from .administration import is_administrator, may_edit_user
from .grants import READ_COUNTY, User, is_active_user, objects_granted, role_names
from .roles import ADMIN, CASEWORKER, COUNTY, MANAGER
from .sites import grids_worked_by, sites_managed_by


def counties_read_by(user: User) -> QuerySet[Region]:
    """The counties whose figures ``user`` reads as a county bureau: granted, and only while
    they hold the county role (a grant left behind by a role taken away reads nothing)."""
    if not is_active_user(user) or COUNTY not in role_names(user):
        return Region.objects.none()
    return objects_granted(user, READ_COUNTY, Region).filter(level=Region.Level.COUNTY)


def grids_for_figures(user: User) -> QuerySet[Grid]:
    """Every grid whose figures ``user`` reads (see the module)."""
    if not is_active_user(user):
        return Grid.objects.none()
    if user.is_superuser or is_administrator(user):
        return Grid.objects.all()
    return Grid.objects.filter(
        Q(pk__in=grids_worked_by(user).values("pk"))
        | Q(site__county__in=counties_read_by(user).values("pk"))
    )


def sites_for_figures(user: User) -> QuerySet[Site]:
    """Sites with at least one grid whose figures ``user`` reads."""
    return Site.objects.filter(pk__in=grids_for_figures(user).values("site_id"))


def sites_overseen_by(user: User) -> QuerySet[Site]:
    """The sites whose whole figures ``user`` oversees: those they manage and every site of the
    counties they read (the daily dashboard's sites)."""
    if not is_active_user(user):
        return Site.objects.none()
    return Site.objects.filter(
        Q(pk__in=sites_managed_by(user).values("pk"))
        | Q(county__in=counties_read_by(user).values("pk"))
    )


FIGURE_ROLES = frozenset({CASEWORKER, MANAGER, COUNTY, ADMIN})


def may_read_figures(user: User) -> bool:
    """Whether the month-end dashboard opens for ``user`` at all (the menu asks on every page,
    so no query beyond the roles, read once a request): the roles that read grids' figures.
    Which units it shows them is ``grids_for_figures``."""
    if not is_active_user(user):
        return False
    return bool(user.is_superuser or FIGURE_ROLES & role_names(user))


def may_grant_county(actor: User, account: AuthUser) -> bool:
    """Make ``account`` a county's bureau (or stop it): administrators only, as for sites."""
    return is_administrator(actor) and may_edit_user(actor, account)
