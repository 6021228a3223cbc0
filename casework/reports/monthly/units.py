"""The four tiers a month's figures are read at: a grid, a site, a township and a county.

A unit is named by a key that fits a URL and a database column: ``grid:12``, ``site:3``,
``township:7:城关镇`` (a township is its county and its name, as sites record it) and
``county:7``. A site without a county belongs to no township or county; its own and its grids'
figures are still read. Every unit's figures are the sum of its grids'.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from casework.registry.models import Grid, Region, Site

GRID, SITE, TOWNSHIP, COUNTY = "grid", "site", "township", "county"
KINDS = (COUNTY, TOWNSHIP, SITE, GRID)  # from the widest
KIND_LABELS = {COUNTY: _("County"), TOWNSHIP: _("Township"), SITE: _("Site"), GRID: _("Grid")}
CHILD = {COUNTY: TOWNSHIP, TOWNSHIP: SITE, SITE: GRID}


@dataclass(frozen=True)
class Unit:
    kind: str
    key: str
    label: str

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


class UnknownUnit(ValueError):
    """A key that names no unit (badly formed, or of a unit that does not exist)."""


def grid_unit(grid: Grid) -> Unit:
    return Unit(GRID, f"{GRID}:{grid.pk}", f"{grid.site.name} {grid.name}")


def site_unit(site: Site) -> Unit:
    return Unit(SITE, f"{SITE}:{site.pk}", site.name)


def township_unit(county: Region, township: str) -> Unit:
    return Unit(TOWNSHIP, f"{TOWNSHIP}:{county.pk}:{township}", f"{county.name} {township}")


def county_unit(county: Region) -> Unit:
    return Unit(COUNTY, f"{COUNTY}:{county.pk}", county.name)


def _parts(key: str) -> tuple[str, int, str]:
    kind, _sep, rest = key.partition(":")
    number, _sep, township = rest.partition(":")
    if kind not in KINDS or not number.isdigit() or (kind == TOWNSHIP) != bool(township):
        raise UnknownUnit(key)
    return kind, int(number), township


def unit_grids(key: str) -> QuerySet[Grid]:
    """The grids a unit's figures add up (none for a unit that does not exist)."""
    kind, number, township = _parts(key)
    where = {
        GRID: Q(pk=number),
        SITE: Q(site_id=number),
        TOWNSHIP: Q(site__county_id=number, site__township=township),
        COUNTY: Q(site__county_id=number),
    }[kind]
    return Grid.objects.filter(where)


def unit_named(key: str) -> Unit:
    """The unit ``key`` names; ``UnknownUnit`` when there is none."""
    kind, number, township = _parts(key)
    if kind == GRID:
        grid = Grid.objects.select_related("site").filter(pk=number).first()
        if grid is not None:
            return grid_unit(grid)
    elif kind == SITE:
        site = Site.objects.filter(pk=number).first()
        if site is not None:
            return site_unit(site)
    else:
        county = Region.objects.filter(pk=number, level=Region.Level.COUNTY).first()
        if county is not None and kind == COUNTY:
            return county_unit(county)
        if county is not None and Site.objects.filter(county=county, township=township).exists():
            return township_unit(county, township)
    raise UnknownUnit(key)


def units_of(grids: Iterable[Grid]) -> dict[str, list[int]]:
    """Every unit the grids belong to, with the ids of those of ``grids`` in it (the grids come
    with their sites and counties: ``select_related("site__county")``)."""
    found: dict[str, list[int]] = {}
    for grid in grids:
        site = grid.site
        keys = [f"{GRID}:{grid.pk}", f"{SITE}:{site.pk}"]
        if site.county_id is not None:
            keys.append(f"{COUNTY}:{site.county_id}")
            if site.township:
                keys.append(f"{TOWNSHIP}:{site.county_id}:{site.township}")
        for key in keys:
            found.setdefault(key, []).append(grid.pk)
    return found


def units_within(grids: QuerySet[Grid]) -> list[Unit]:
    """The units all of whose grids are among ``grids`` (a reader's units), widest first, then
    by code and name. Three queries."""
    mine = set(grids.values_list("pk", flat=True))
    every = Grid.objects.filter(site__in=grids.values("site_id")).select_related("site__county")
    candidates = units_of(every)
    # A township or county also holds sites none of whose grids the reader has.
    wider = [k for k in candidates if k.startswith((TOWNSHIP, COUNTY))]
    if wider:
        counties = {int(k.split(":")[1]) for k in wider}
        whole = Grid.objects.filter(site__county_id__in=counties).select_related("site__county")
        candidates.update({k: v for k, v in units_of(whole).items() if k in candidates})
    units: list[Unit] = []
    for key, grid_ids in candidates.items():
        if not set(grid_ids) <= mine:
            continue
        units.append(unit_of_key(key, every))
    order = {kind: index for index, kind in enumerate(KINDS)}
    return sorted(units, key=lambda u: (order[u.kind], u.label))


def unit_of_key(key: str, grids: Iterable[Grid]) -> Unit:
    """The unit ``key`` names, found among ``grids`` (with their sites and counties) without a
    query; ``UnknownUnit`` when none of them is in it."""
    kind, number, township = _parts(key)
    for grid in grids:
        site = grid.site
        if kind == GRID and grid.pk == number:
            return grid_unit(grid)
        if kind == SITE and site.pk == number:
            return site_unit(site)
        if kind in (TOWNSHIP, COUNTY) and site.county_id == number and site.county is not None:
            return (
                county_unit(site.county) if kind == COUNTY else township_unit(site.county, township)
            )
    raise UnknownUnit(key)
