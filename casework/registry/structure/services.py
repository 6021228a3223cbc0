"""How a county sets itself up: regions, sites and grids, and who works a grid or manages a
site (jurisdiction, held as guardian object permissions).

Each service is one transaction with exactly one audit event naming its actor. Rights are
checked here too (``casework.permissions.administration``), not only by the pages: an actor who
may not do it gets ``PermissionDenied``. ``actor`` None is the demo seed and the benchmarks,
which set up a county without anybody signed in. Errors are ``ValidationError``s keyed by field.
"""

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from casework import permissions
from casework.audit.services import Changes, audit_record
from casework.permissions import roles

from ..models import BuildingLeader, Grid, Region, Site
from ..validators import clean_line, clean_text, mask_phone, normalize_phone

REGION_FIELDS = ("code", "name", "level", "parent", "valid_from_year", "valid_to_year")
SITE_FIELDS = ("code", "name", "county", "township", "form", "planned_households")
GRID_FIELDS = ("code", "name", "leader")


def _shown(value: Any) -> Any:
    """What the audit log keeps of a field's value: a related row by its code or login."""
    if isinstance(value, User):
        return value.get_username()
    if isinstance(value, Region | Site):
        return value.code
    if isinstance(value, Model):
        return value.pk
    return value


def _apply(
    instance: Model, fields: tuple[str, ...], data: dict[str, Any], *, created: bool = False
) -> Changes:
    """Set the given fields on ``instance``; the before/after of those that changed (of a new
    row: every field given a value)."""
    unknown = set(data) - set(fields)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    changes: Changes = {}
    for field, new in data.items():
        old = None if created else getattr(instance, field)
        if old != new and not (created and new in ("", None)):
            changes[field] = (_shown(old), _shown(new))
        setattr(instance, field, new)
    return changes


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not administer this."))


@transaction.atomic
def region_ensure(
    *,
    actor: User | None,
    code: str,
    name: str,
    level: str,
    parent: Region | None = None,
    valid_to_year: int | None = None,
) -> Region:
    """Create a region by code unless it exists; codes are data, never checked against a list.
    (A ledger import creates the origin regions it names: no right beyond the import's.)"""
    region = Region.objects.filter(code=code).first()
    if region is not None:
        return region
    region = Region(code=code, name=name, level=level, parent=parent, valid_to_year=valid_to_year)
    region.full_clean()
    region.save()
    audit_record(
        actor=actor,
        action="region.create",
        obj=region,
        household_id=None,
        changes={"code": (None, code), "name": (None, name)},
    )
    return region


@transaction.atomic
def region_create(*, actor: User, **fields: Any) -> Region:
    """Create a region (a current or a historical division code): administrators only."""
    _require(permissions.is_administrator(actor))
    region = Region()
    changes = _apply(region, REGION_FIELDS, fields, created=True)
    region.full_clean()
    region.save()
    audit_record(
        actor=actor, action="region.create", obj=region, household_id=None, changes=changes
    )
    return region


@transaction.atomic
def region_update(*, actor: User, region: Region, **fields: Any) -> Region:
    """Change a region's code, name, level, parent or years of validity."""
    _require(permissions.is_administrator(actor))
    region = Region.objects.select_for_update().get(pk=region.pk)
    changes = _apply(region, REGION_FIELDS, fields)
    if not changes:
        return region
    if region.parent_id is not None and region.parent_id == region.pk:
        raise ValidationError({"parent": _("Parent: a region cannot be its own parent.")})
    region.full_clean()
    region.save()
    audit_record(
        actor=actor, action="region.update", obj=region, household_id=None, changes=changes
    )
    return region


@transaction.atomic
def site_create(*, actor: User | None, code: str, name: str, **fields: Any) -> Site:
    """Create a resettlement site: administrators only."""
    if actor is not None:
        _require(permissions.may_create_sites(actor))
    site = Site()
    changes = _apply(site, SITE_FIELDS, {"code": code, "name": name, **fields}, created=True)
    site.full_clean()
    site.save()
    audit_record(actor=actor, action="site.create", obj=site, household_id=None, changes=changes)
    return site


@transaction.atomic
def site_update(*, actor: User, site: Site, **fields: Any) -> Site:
    """Change a site's details: its administrators (a manager their own sites)."""
    _require(permissions.may_administer_site(actor, site))
    site = Site.objects.select_for_update().get(pk=site.pk)
    changes = _apply(site, SITE_FIELDS, fields)
    if not changes:
        return site
    site.full_clean()
    site.save()
    audit_record(actor=actor, action="site.update", obj=site, household_id=None, changes=changes)
    return site


@transaction.atomic
def grid_create(
    *, actor: User | None, site: Site, code: str, name: str, leader: User | None = None
) -> Grid:
    """Create a grid in a site the actor administers."""
    if actor is not None:
        _require(permissions.may_administer_site(actor, site))
    grid = Grid(site=site)
    changes = _apply(
        grid, GRID_FIELDS, {"code": code, "name": name, "leader": leader}, created=True
    )
    grid.full_clean()
    grid.save()
    changes = {"site": (None, site.code), **changes}
    audit_record(actor=actor, action="grid.create", obj=grid, household_id=None, changes=changes)
    return grid


@transaction.atomic
def grid_update(*, actor: User, grid: Grid, **fields: Any) -> Grid:
    """Change a grid's code, name or leader (网格长)."""
    _require(permissions.grids_administered(actor).filter(pk=grid.pk).exists())
    grid = Grid.objects.select_for_update().get(pk=grid.pk)
    leader = fields.get("leader")
    if leader is not None and not leader.is_active:
        raise ValidationError({"leader": _("Grid leader: this account is deactivated.")})
    changes = _apply(grid, GRID_FIELDS, fields)
    if not changes:
        return grid
    grid.full_clean()
    grid.save()
    audit_record(actor=actor, action="grid.update", obj=grid, household_id=None, changes=changes)
    return grid


@transaction.atomic
def building_leader_set(
    *, actor: User, grid: Grid, building: str, name: str, phone: str = ""
) -> BuildingLeader:
    """Name the leader of a building or unit of ``grid`` (楼栋长, 户长), replacing the one named
    before for that building."""
    _require(permissions.grids_administered(actor).filter(pk=grid.pk).exists())
    building, name = clean_line(building), clean_text(name)
    try:
        phone = normalize_phone(phone)
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from error
    leader = BuildingLeader.objects.select_for_update().filter(grid=grid, building=building).first()
    before = (leader.name, mask_phone(leader.phone)) if leader else (None, None)
    leader = leader or BuildingLeader(grid=grid, building=building)
    leader.name, leader.phone = name, phone
    leader.full_clean()
    leader.save()
    audit_record(
        actor=actor,
        action="grid.building_leader_set",
        obj=grid,
        household_id=None,
        changes={
            "building": (None, building),
            "name": (before[0], name),
            "phone": (before[1], mask_phone(phone)),
        },
    )
    return leader


@transaction.atomic
def building_leader_remove(*, actor: User, leader: BuildingLeader) -> None:
    """The building or unit no longer has a leader on record."""
    _require(permissions.grids_administered(actor).filter(pk=leader.grid_id).exists())
    grid = leader.grid
    changes = {"building": (leader.building, None), "name": (leader.name, None)}
    leader.delete()
    audit_record(
        actor=actor,
        action="grid.building_leader_remove",
        obj=grid,
        household_id=None,
        changes=changes,
    )


@transaction.atomic
def jurisdiction_grant_grid(*, actor: User | None, user: User, grid: Grid) -> None:
    """Make ``user`` a caseworker of ``grid`` (they see and work its households)."""
    if actor is not None:
        _require(permissions.may_grant_grid(actor, user, grid))
    if _holds(user, permissions.WORK_GRID, grid):
        raise ValidationError({"grid": _("Grid: %(user)s already works it.") % {"user": user}})
    assign_perm(permissions.WORK_GRID, user, grid)
    permissions.jurisdiction_forget(user)
    audit_record(
        actor=actor,
        action="jurisdiction.grant_grid",
        obj=grid,
        household_id=None,
        changes={"caseworker": (None, user.get_username())},
    )


@transaction.atomic
def jurisdiction_revoke_grid(*, actor: User, user: User, grid: Grid) -> None:
    """``user`` no longer works ``grid``: its households leave their lists."""
    _require(permissions.may_grant_grid(actor, user, grid))
    if not _holds(user, permissions.WORK_GRID, grid):
        raise ValidationError({"grid": _("Grid: %(user)s does not work it.") % {"user": user}})
    remove_perm(permissions.WORK_GRID, user, grid)
    permissions.jurisdiction_forget(user)
    audit_record(
        actor=actor,
        action="jurisdiction.revoke_grid",
        obj=grid,
        household_id=None,
        changes={"caseworker": (user.get_username(), None)},
    )


@transaction.atomic
def jurisdiction_grant_site(*, actor: User | None, user: User, site: Site) -> None:
    """Make ``user`` a manager of ``site`` (they see every household of it)."""
    if actor is not None:
        _require(permissions.may_grant_site(actor, user))
    if _holds(user, permissions.MANAGE_SITE, site):
        raise ValidationError({"site": _("Site: %(user)s already manages it.") % {"user": user}})
    assign_perm(permissions.MANAGE_SITE, user, site)
    permissions.jurisdiction_forget(user)
    audit_record(
        actor=actor,
        action="jurisdiction.grant_site",
        obj=site,
        household_id=None,
        changes={"manager": (None, user.get_username())},
    )


@transaction.atomic
def jurisdiction_revoke_site(*, actor: User, user: User, site: Site) -> None:
    """``user`` no longer manages ``site``."""
    _require(permissions.may_grant_site(actor, user))
    if not _holds(user, permissions.MANAGE_SITE, site):
        raise ValidationError({"site": _("Site: %(user)s does not manage it.") % {"user": user}})
    remove_perm(permissions.MANAGE_SITE, user, site)
    permissions.jurisdiction_forget(user)
    audit_record(
        actor=actor,
        action="jurisdiction.revoke_site",
        obj=site,
        household_id=None,
        changes={"manager": (user.get_username(), None)},
    )


def _county(county: Region) -> None:
    if county.level != Region.Level.COUNTY:
        raise ValidationError(
            {"county": _("County: %(region)s is not a county.") % {"region": county}}
        )


@transaction.atomic
def jurisdiction_grant_county(*, actor: User | None, user: User, county: Region) -> None:
    """Make ``user`` a bureau of ``county``: they read the figures of every site in it."""
    if actor is not None:
        _require(permissions.may_grant_county(actor, user))
    _county(county)
    if roles.COUNTY not in roles.user_roles(user):
        raise ValidationError(
            {"county": _("County: give %(user)s the county bureau role first.") % {"user": user}}
        )
    if _holds(user, permissions.READ_COUNTY, county):
        raise ValidationError({"county": _("County: %(user)s already reads it.") % {"user": user}})
    assign_perm(permissions.READ_COUNTY, user, county)
    permissions.jurisdiction_forget(user)
    audit_record(
        actor=actor,
        action="jurisdiction.grant_county",
        obj=county,
        household_id=None,
        changes={"reader": (None, user.get_username())},
    )


@transaction.atomic
def jurisdiction_revoke_county(*, actor: User, user: User, county: Region) -> None:
    """``user`` no longer reads ``county``'s figures."""
    _require(permissions.may_grant_county(actor, user))
    if not _holds(user, permissions.READ_COUNTY, county):
        raise ValidationError({"county": _("County: %(user)s does not read it.") % {"user": user}})
    remove_perm(permissions.READ_COUNTY, user, county)
    permissions.jurisdiction_forget(user)
    audit_record(
        actor=actor,
        action="jurisdiction.revoke_county",
        obj=county,
        household_id=None,
        changes={"reader": (user.get_username(), None)},
    )


def _holds(user: User, perm: str, obj: Model) -> bool:
    """The user holds ``perm`` on ``obj`` themselves (a superuser's blanket right aside)."""
    return permissions.objects_held(user, perm, type(obj)).filter(pk=obj.pk).exists()
