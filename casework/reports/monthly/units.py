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


def units_and_names(grids: Iterable[Grid]) -> tuple[dict[str, list[int]], dict[str, Unit]]:
    """Every unit the grids belong to: the ids of those of ``grids`` in each, and each unit,
    in one pass (the grids come with their sites and counties)."""
    found: dict[str, list[int]] = {}
    named: dict[str, Unit] = {}
    for grid in grids:
        site = grid.site
        units = [grid_unit(grid), site_unit(site)]
        if site.county is not None:
            units.append(county_unit(site.county))
            if site.township:
                units.append(township_unit(site.county, site.township))
        for unit in units:
            found.setdefault(unit.key, []).append(grid.pk)
            named.setdefault(unit.key, unit)
    return found, named


def units_of(grids: Iterable[Grid]) -> dict[str, list[int]]:
    """Every unit the grids belong to, with the ids of those of ``grids`` in it (the grids come
    with their sites and counties: ``select_related("site__county")``)."""
    return units_and_names(grids)[0]


def units_within(grids: QuerySet[Grid]) -> list[Unit]:
    """The units all of whose grids are among ``grids`` (a reader's units), widest first, then
    by name. Three queries, and one pass over the grids of the reader's sites' counties."""
    mine = set(grids.values_list("pk", flat=True))
    every = list(
        Grid.objects.filter(site__in=grids.values("site_id")).select_related("site__county")
    )
    candidates, named = units_and_names(every)
    # A township or county also holds sites none of whose grids the reader has.
    counties = {int(k.split(":")[1]) for k in candidates if k.startswith((TOWNSHIP, COUNTY))}
    if counties:
        whole = Grid.objects.filter(site__county_id__in=counties).select_related("site__county")
        wider, _named = units_and_names(whole)
        candidates.update({k: v for k, v in wider.items() if k in candidates})
    units = [named[key] for key, grid_ids in candidates.items() if mine.issuperset(grid_ids)]
    order = {kind: index for index, kind in enumerate(KINDS)}
    return sorted(units, key=lambda u: (order[u.kind], u.label))
