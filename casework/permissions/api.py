"""Who manages the API's clients, and how far a system client sees.

Administrators make and revoke system clients; staff who see households hold personal tokens of
their own. A system client's account holds no object grant: it appears in no list of a site's
staff, is handed no task, and sees exactly the grids of its client's site, set on the account
object each time its token is recognised."""

from django.contrib.auth.models import User as AuthUser

from casework.registry.models import Grid

from .administration import is_administrator
from .grants import API_SITE, User
from .households import Jurisdiction


def may_manage_api_clients(user: User) -> bool:
    return is_administrator(user)


def may_hold_api_tokens(user: User) -> bool:
    """Staff who see households (their grids, their sites, or the households they are paired
    with) may hold personal tokens, which act as them and no further."""
    return user.is_authenticated and user.is_active and user.has_perm("registry.view_household")


def system_client_scope(account: AuthUser, site_id: int) -> None:
    """The jurisdiction of a system client's account for this request: every grid of its site
    (as a caseworker of them, within the account's own model rights: ``grids_worked_by`` reads
    the site too), no household by pairing, no site managed, no object grant (cached empty, so
    guardian is not asked)."""
    grids = frozenset(Grid.objects.filter(site_id=site_id).values_list("pk", flat=True))
    account.__dict__[API_SITE] = site_id
    account.__dict__["_casework_object_grants"] = {}
    account.__dict__["_casework_jurisdiction"] = Jurisdiction(
        grid_ids=grids, household_ids=frozenset()
    )
