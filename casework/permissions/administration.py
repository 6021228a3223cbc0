"""Who may administer what: regions, sites, grids, user accounts, roles and grants.

- Administrators (superusers, or holders of the administrator role) administer everything.
  Only a superuser administers a superuser's account.
- A manager administers the sites they manage (``registry.manage_site``): those sites and their
  grids, and the accounts that work only there: every jurisdiction the account holds (a grid
  worked, a site managed, a household visited as helper, a course taught) lies inside the
  manager's sites, and it holds no role above caseworker, helper or trainer. An account with no
  jurisdiction at all belongs to no site: a manager administers it only if they created it
  (its ``account.user_create`` event names them), so that a new caseworker can be given a grid
  right after being created, and nobody else's fresh account is open to every manager.
- Managers create and edit caseworkers, helpers and trainers, never managers or
  administrators; they grant only their own sites' grids, never a site.
- Everyone else administers nothing (no menu, 403).
"""

from collections.abc import Sequence

from django.contrib.auth.models import User as AuthUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, Model, Q, QuerySet
from django.db.models.functions import Cast
from guardian.models import UserObjectPermission

from casework.audit.models import AuditEvent
from casework.registry.models import Grid, Household, Region, Site
from casework.training.models import Course

from .grants import (
    MANAGE_SITE,
    READ_COUNTY,
    TEACH_COURSE,
    VISIT_HOUSEHOLD,
    WORK_GRID,
    M,
    User,
    is_active_user,
    role_names,
)
from .households import jurisdiction_of
from .roles import ADMIN, CASEWORKER, COUNTY, HELPER, MANAGER, ROLE_LABELS, TRAINER
from .sites import sites_managed_by

# The roles a manager may give and the accounts they may edit.
MANAGER_ASSIGNABLE_ROLES = (CASEWORKER, HELPER, TRAINER)
# Accounts no manager edits: managers, administrators, and a county's bureau (it reads every
# site of a county, so no one site's manager answers for it).
ABOVE_MANAGERS_REACH = (MANAGER, ADMIN, COUNTY)
USER_CREATE_ACTION = "account.user_create"

# Each object permission that carries jurisdiction, with the path from its object to its site.
_JURISDICTIONS: tuple[tuple[str, type[Model], str], ...] = (
    (WORK_GRID, Grid, "site"),
    (MANAGE_SITE, Site, "pk"),
    (VISIT_HOUSEHOLD, Household, "grid__site"),
    (TEACH_COURSE, Course, "site"),
)


def is_administrator(user: User) -> bool:
    """An active superuser or holder of the administrator role: administers everything."""
    if not is_active_user(user):
        return False
    return bool(user.is_superuser or ADMIN in role_names(user))


def _is_manager(user: User) -> bool:
    return is_active_user(user) and MANAGER in role_names(user)


def sites_administered(user: User) -> QuerySet[Site]:
    """Every site for an administrator; the sites a manager manages; none otherwise."""
    if is_administrator(user):
        return Site.objects.all()
    if not _is_manager(user):
        return Site.objects.none()
    return sites_managed_by(user)


def may_administer(user: User) -> bool:
    """Whether the user sees the administration menu at all."""
    # A manager's sites from the jurisdiction the request has read (no query of its own).
    return is_administrator(user) or (
        _is_manager(user) and bool(jurisdiction_of(user).managed_site_ids)
    )


def grids_administered(user: User) -> QuerySet[Grid]:
    """The grids of the sites the user administers."""
    return Grid.objects.filter(site__in=sites_administered(user).values("pk"))


def regions_administered(user: User) -> QuerySet[Region]:
    """Regions (division codes) are the administrators' alone."""
    return Region.objects.all() if is_administrator(user) else Region.objects.none()


def _jurisdiction_holders(sites: QuerySet[Site], *, inside: bool) -> Q:
    """``pk`` among the users holding some jurisdiction inside (or outside) ``sites``."""
    condition = Q()
    for perm, model, site_path in _JURISDICTIONS:
        codename = perm.split(".", 1)[1]
        objects = model._default_manager.filter(**{f"{site_path}__in": sites.values("pk")})
        rows = UserObjectPermission.objects.filter(
            permission__content_type=ContentType.objects.get_for_model(model),
            permission__codename=codename,
        ).annotate(object_id=Cast("object_pk", BigIntegerField()))
        rows = (
            rows.filter(object_id__in=objects.values("pk"))
            if inside
            else rows.exclude(object_id__in=objects.values("pk"))
        )
        condition |= Q(pk__in=rows.values("user_id"))
    return condition


def _without_jurisdiction() -> Q:
    # A county's figures are jurisdiction too, outside every one site.
    perms = [perm for perm, _model, _path in _JURISDICTIONS] + [READ_COUNTY]
    codenames = [perm.split(".", 1)[1] for perm in perms]
    held = UserObjectPermission.objects.filter(permission__codename__in=codenames)
    return ~Q(pk__in=held.values("user_id"))


def _created_by(user: User) -> Q:
    created = (
        AuditEvent.objects.filter(
            action=USER_CREATE_ACTION, actor_id=user.pk, object_type="auth.user"
        )
        .annotate(user_id=Cast("object_id", BigIntegerField()))
        .values("user_id")
    )
    return Q(pk__in=created)


def users_administered(user: User) -> QuerySet[AuthUser]:
    """The accounts the user may edit, deactivate, give roles and grants (see the module)."""
    if is_administrator(user):
        accounts = AuthUser.objects.all()
        return accounts if user.is_superuser else accounts.filter(is_superuser=False)
    if not _is_manager(user):
        return AuthUser.objects.none()
    sites = sites_managed_by(user)
    above = AuthUser.objects.filter(groups__name__in=ABOVE_MANAGERS_REACH).values("pk")
    return (
        AuthUser.objects.filter(is_superuser=False)
        .exclude(pk__in=above)
        .exclude(_jurisdiction_holders(sites, inside=False))
        .filter(
            _jurisdiction_holders(sites, inside=True)
            | (_without_jurisdiction() & _created_by(user))
        )
        .distinct()
    )


def accounts_of_sites(
    sites: QuerySet[Site], among: QuerySet[AuthUser] | None = None
) -> QuerySet[AuthUser]:
    """The accounts (of ``among``, all by default) below manager whose every jurisdiction lies
    inside ``sites`` (one that holds none yet belongs to no other site): work given to them
    there takes them out of nobody else's reach."""
    above = AuthUser.objects.filter(groups__name__in=ABOVE_MANAGERS_REACH).values("pk")
    return (
        (AuthUser.objects.all() if among is None else among)
        .filter(is_superuser=False)
        .exclude(pk__in=above)
        .exclude(_jurisdiction_holders(sites, inside=False))
    )


def may_edit_user(actor: User, account: AuthUser) -> bool:
    """Whether ``actor`` may edit ``account`` (name, roles, grants, password, active)."""
    return users_administered(actor).filter(pk=account.pk).exists()


def roles_assignable(actor: User) -> list[str]:
    """The roles ``actor`` may give or take away, in the order of ``ROLE_LABELS``."""
    if is_administrator(actor):
        return list(ROLE_LABELS)
    if may_administer(actor):
        return [role for role in ROLE_LABELS if role in MANAGER_ASSIGNABLE_ROLES]
    return []


def may_create_users(actor: User) -> bool:
    """Administrators and managers of a site create accounts."""
    return may_administer(actor)


def may_administer_site(actor: User, site: Site) -> bool:
    """Edit the site's details, create its grids."""
    return sites_administered(actor).filter(pk=site.pk).exists()


def may_create_sites(actor: User) -> bool:
    """Sites are created by administrators (a manager edits their own)."""
    return is_administrator(actor)


def may_grant_grid(actor: User, account: AuthUser, grid: Grid) -> bool:
    """Give (or take back) ``grid`` to ``account``: the grid is the actor's and so is the
    account."""
    return grids_administered(actor).filter(pk=grid.pk).exists() and may_edit_user(actor, account)


def may_grant_site(actor: User, account: AuthUser) -> bool:
    """Make ``account`` a manager of a site (or stop it): administrators only."""
    return is_administrator(actor) and may_edit_user(actor, account)


def administrators_active() -> QuerySet[AuthUser]:
    """The active accounts that administer everything."""
    return AuthUser.objects.filter(
        Q(is_superuser=True) | Q(groups__name=ADMIN), is_active=True
    ).distinct()


def users_holding(perm: str, obj: Model) -> QuerySet[AuthUser]:
    """The accounts holding ``perm`` on ``obj`` themselves (not through a group, not as
    superusers): a grid's caseworkers, a site's managers, as granted."""
    rows = UserObjectPermission.objects.filter(
        permission__content_type=ContentType.objects.get_for_model(obj),
        permission__codename=perm.split(".", 1)[1],
        object_pk=str(obj.pk),
    )
    return AuthUser.objects.filter(pk__in=rows.values("user_id")).order_by("username")


def users_holding_each(perm: str, objects: Sequence[Model]) -> dict[int, list[AuthUser]]:
    """``users_holding`` for each of ``objects`` (one list: a page of grids), in one query:
    the accounts by object pk, ordered by user name."""
    if not objects:
        return {}
    rows = UserObjectPermission.objects.filter(
        permission__content_type=ContentType.objects.get_for_model(objects[0]),
        permission__codename=perm.split(".", 1)[1],
        object_pk__in=[str(obj.pk) for obj in objects],
    ).select_related("user")
    holders: dict[int, list[AuthUser]] = {obj.pk: [] for obj in objects}
    for row in sorted(rows, key=lambda row: row.user.username):
        holders[int(row.object_pk)].append(row.user)
    return holders


def objects_held(account: AuthUser, perm: str, model: type[M]) -> QuerySet[M]:
    """The objects of ``model`` on which ``account`` holds ``perm`` itself (as granted; a
    superuser's blanket right is not a grant)."""
    rows = UserObjectPermission.objects.filter(
        user_id=account.pk,
        permission__content_type=ContentType.objects.get_for_model(model),
        permission__codename=perm.split(".", 1)[1],
    ).annotate(object_id=Cast("object_pk", BigIntegerField()))
    return model._default_manager.filter(pk__in=rows.values("object_id"))
