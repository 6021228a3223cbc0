"""Which households a user may see, and what they may do to each.

Working the grid (caseworker) or managing the site (manager) allows changes; being the paired
helper allows viewing only; reviews need the site to be managed.
"""

from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from casework.registry.models import Grid, Household, Site

from .grants import (
    MANAGE_SITE,
    VISIT_HOUSEHOLD,
    WORK_GRID,
    User,
    is_active_user,
    object_grants,
    system_client_site,
)
from .sites import grids_worked_by
from .substitutes import covered_q

Action = Literal[
    "view",
    "change",
    "add_member",
    "change_member",
    "view_personal_data",
    "work_case",
    "review",
    "history",
    "casefile",
    "call",
    "monitor",
]

_ACTION_PERMS: dict[str, str] = {
    "view": "registry.view_household",
    "change": "registry.change_household",
    "add_member": "registry.add_member",
    "change_member": "registry.change_member",
    "view_personal_data": "registry.view_personal_data",
    "work_case": "cases.change_employmentcase",
    "review": "cases.review_assessment",
    # The full history and the case file: for those who work or manage the household, not for
    # its pairing helper.
    "history": "registry.view_household",
    "casefile": "registry.export_casefile",
    # Tap-to-call: the head's number goes to the phone's dialler, never onto a page, and each
    # call is recorded. Whoever may see the household may call it, its pairing helper included.
    "call": "registry.view_household",
    # 防返贫监测: identify, record measures and incomes, propose and conclude an elimination.
    "monitor": "monitoring.add_monitoredhousehold",
}
# Actions that need the household's site to be managed by the user, not just its grid worked.
_MANAGER_ACTIONS = {"review"}


def households_visible_to(user: User) -> QuerySet[Household]:
    """Every household the user may see: their grids, their sites and their paired households."""
    # By the keys ``jurisdiction_of`` caches for the request (the same grids and visit grants),
    # so the database reads the household table through its grid and primary-key indexes
    # instead of testing every household of the city against two subqueries.
    where = jurisdiction_seen(user)
    if where is None:
        return Household.objects.all()
    return Household.objects.filter(Q(grid_id__in=where.grid_ids) | Q(pk__in=where.household_ids))


def _grids_worked_q(user: User) -> Q:
    """The grids the user works, as a condition on grids: the ids the request's jurisdiction
    already holds (``jurisdiction_of``: granted, of a managed site, or covered today, the rule
    of ``grids_worked_by``), rather than guardian's object keys matched against every grid and
    site of the city. Superusers and API system clients keep ``grids_worked_by``'s own answer
    (every grid; their site's grids)."""
    if is_active_user(user) and not user.is_superuser and system_client_site(user) is None:
        return Q(pk__in=sorted(jurisdiction_of(user).grid_ids))
    return Q(pk__in=grids_worked_by(user).values("pk"))


def _households_visited(user: User) -> QuerySet[Household]:
    """The households the user sees besides those of the grids they work: their paired ones.
    Read from the request's jurisdiction, not as every household of their grids again (a
    county's 27,000 at a city's size, for the grids the other half of the condition has)."""
    where = jurisdiction_seen(user)
    if where is None:
        return households_visible_to(user)
    return Household.objects.filter(pk__in=sorted(where.household_ids))


def sites_visible_to(user: User) -> QuerySet[Site]:
    """Sites in which the user sees at least one household or grid."""
    return Site.objects.filter(
        Q(pk__in=Grid.objects.filter(_grids_worked_q(user)).values("site_id"))
        | Q(pk__in=_households_visited(user).values("grid__site_id"))
    )


def grids_visible_to(user: User) -> QuerySet[Grid]:
    """Grids the user works, and grids of the households they visit."""
    return Grid.objects.filter(
        _grids_worked_q(user) | Q(pk__in=_households_visited(user).values("grid_id"))
    )


@dataclass(frozen=True)
class Jurisdiction:
    grid_ids: frozenset[int]
    household_ids: frozenset[int]
    managed_site_ids: frozenset[int] = frozenset()


def _keys(texts: frozenset[str] | None) -> frozenset[int]:
    return frozenset(int(text) for text in texts or () if text.isdecimal())


def _jurisdiction_read(user: User) -> Jurisdiction:
    """The three id sets from the user's object grants (``object_grants``: one query a request,
    which the task queue reads too) and one query for the grids they work: granted, of a
    managed site, or covered today for an absent colleague (``grids_worked_by``'s rule, which
    stays a live query: callers ask it of user objects that outlive a grant)."""
    grants = object_grants(user)
    grid_keys, site_keys = _keys(grants.get(WORK_GRID)), _keys(grants.get(MANAGE_SITE))
    grids = Grid.objects.filter(Q(pk__in=grid_keys) | Q(site_id__in=site_keys) | covered_q(user))
    return Jurisdiction(
        grid_ids=frozenset(grids.order_by().values_list("pk", flat=True)),
        household_ids=_keys(grants.get(VISIT_HOUSEHOLD)),
        managed_site_ids=site_keys,
    )


def jurisdiction_of(user: User) -> Jurisdiction:
    """The ids of the grids a user works, the households they visit and the sites they manage,
    cached on the user object (empty for a superuser, whom they do not limit)."""
    cached = getattr(user, "_casework_jurisdiction", None)
    if cached is None:
        if is_active_user(user) and not user.is_superuser:
            cached = _jurisdiction_read(user)
        else:
            cached = Jurisdiction(grid_ids=frozenset(), household_ids=frozenset())
        setattr(user, "_casework_jurisdiction", cached)  # noqa: B010 - a per-request cache
    return cached


def works_some_grid(user: User) -> bool:
    """Whether the user sees households as the one who works their grid (a caseworker, a
    site's manager; superusers), not only as a pairing helper: read from the jurisdiction the
    request already holds, so no query of its own (menus ask it on every page)."""
    if not is_active_user(user) or not user.has_perm("registry.view_household"):
        return False
    return user.is_superuser or bool(jurisdiction_of(user).grid_ids)


def may_export_national_tables(user: User) -> bool:
    """Who may download the households of the grids they work in a national layout."""
    return works_some_grid(user)


def jurisdiction_seen(user: User) -> Jurisdiction | None:
    """What bounds the households a user may see, as ``households_visible_to`` reads it: the
    ids of the grids they work (granted, through a managed site, or covered today) and of the
    households they visit (``jurisdiction_of``, cached for the request). None for a superuser,
    who sees everything; nothing for a user without the view right on households. Tables that
    carry those keys (a process's ``ProcessScope``) are looked up by these few literal ids,
    which the database reads from their indexes and counts exactly when it plans."""
    if not is_active_user(user) or not user.has_perm("registry.view_household"):
        return Jurisdiction(grid_ids=frozenset(), household_ids=frozenset())
    if user.is_superuser:
        return None
    return jurisdiction_of(user)


def may_register_households(user: User) -> bool:
    """Whether ``grids_for_registration(user)`` is not empty, from the cached jurisdiction."""
    if not user.is_authenticated or not user.has_perm("registry.add_household"):
        return False
    if user.is_superuser:
        return Grid.objects.exists()
    return bool(jurisdiction_of(user).grid_ids)


def manages_some_site(user: User) -> bool:
    """Whether ``sites_managed_by(user)`` is not empty: from the sites the cached jurisdiction
    manages rather than guardian's object keys matched against every site (lists and menus
    ask it on each page)."""
    if not is_active_user(user):
        return False
    if user.is_superuser:
        return Site.objects.exists()
    return bool(jurisdiction_of(user).managed_site_ids)


def may_import_ledgers(user: User) -> bool:
    """Whether ``sites_for_import(user)`` is not empty (the household list offers the import
    then)."""
    return user.has_perm("ledgers.import_ledger") and manages_some_site(user)


def jurisdiction_forget(user: User) -> None:
    """Drop the cached jurisdiction and object grants after a grant or revocation for this user
    object."""
    user.__dict__.pop("_casework_jurisdiction", None)
    user.__dict__.pop("_casework_object_grants", None)


def household_rights(user: User, household: Household) -> frozenset[str]:
    """The actions a user may take on a household (empty when it is outside their jurisdiction)."""
    if not is_active_user(user):
        return frozenset()
    where = jurisdiction_of(user)
    if user.is_superuser:
        works_it, sees_it = True, True
    else:
        works_it = household.grid_id in where.grid_ids
        sees_it = works_it or household.pk in where.household_ids

    def manages_it() -> bool:  # reads the grid only when a manager action is in question
        return user.is_superuser or household.grid.site_id in where.managed_site_ids

    if not sees_it:
        return frozenset()
    rights = {"view", "call"} if user.has_perm(_ACTION_PERMS["view"]) else set()
    if works_it and rights:
        rights |= {
            action
            for action, perm in _ACTION_PERMS.items()
            if action != "view"
            and user.has_perm(perm)
            and (action not in _MANAGER_ACTIONS or manages_it())
        }
    return frozenset(rights)


def can(user: User, action: Action, household: Household) -> bool:
    """May ``user`` take ``action`` on ``household``?"""
    return action in household_rights(user, household)


def get_household_for_user(user: User, pk: object, action: Action = "view") -> Household:
    """The household with ``pk`` if the user may ``action`` it.

    Raises Http404 when the household is outside the user's jurisdiction (its existence is not
    revealed) and PermissionDenied when it is visible but the action is not allowed.
    """
    household = (
        households_visible_to(user).select_related("grid__site").filter(pk=int(str(pk))).first()
        if str(pk).isdigit()
        else None
    )
    if household is None:
        raise Http404(_("No such household in your jurisdiction."))
    if not can(user, action, household):
        raise PermissionDenied(_("You may not do this to the household."))
    return household
