"""Who enters and who closes the monthly work records (务工月监测).

A caseworker enters the month for the grids they work (a site's manager for every grid of the
site); the site's manager closes the month, after which nobody changes it.
"""

from django.db.models import QuerySet

from casework.registry.models import Grid, Site

from .grants import User, is_active_user
from .sites import grids_worked_by, sites_managed_by

RECORD_WORK_MONTHS = "monitoring.add_monthlyworkrecord"
CLOSE_WORK_MONTHS = "monitoring.add_workmonthclosure"


def grids_for_work_months(user: User) -> QuerySet[Grid]:
    """The grids whose monthly work records ``user`` may enter."""
    if not is_active_user(user) or not user.has_perm(RECORD_WORK_MONTHS):
        return Grid.objects.none()
    return grids_worked_by(user)


def may_record_work_month(user: User, grid: Grid) -> bool:
    return grids_for_work_months(user).filter(pk=grid.pk).exists()


def sites_for_work_month_closing(user: User) -> QuerySet[Site]:
    """The sites whose months ``user`` may close: the sites they manage."""
    if not is_active_user(user) or not user.has_perm(CLOSE_WORK_MONTHS):
        return Site.objects.none()
    return sites_managed_by(user)


def may_close_work_month(user: User, site: Site) -> bool:
    return sites_for_work_month_closing(user).filter(pk=site.pk).exists()
