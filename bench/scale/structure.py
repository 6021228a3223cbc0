"""A tier's structure: counties → sites (600 households) → grids (450 + 150), through the
registry's services, and the three users measured, with the project's roles and grants.

The caseworker works the first grid (450 households), the manager the first site (600), the
county user every site of the first county (the whole county tier; a county of the city).
"""

import math
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.db.models import Count

from casework.permissions import roles
from casework.registry import services
from casework.registry.models import Grid, Region, Site

SITE_HOUSEHOLDS = 600
GRID_HOUSEHOLDS = (450, 150)  # a site's two grids; the caseworker works a 450-household one


@dataclass
class Structure:
    """The grids in order, with the number of households each gets, and the users."""

    grids: list[tuple[Grid, int]] = field(default_factory=list)
    users: dict[str, User] = field(default_factory=dict)
    sites: list[Site] = field(default_factory=list)


def _user(username: str, role: str) -> User:
    user = User.objects.create_user(username=username, password=None)
    user.groups.add(Group.objects.get(name=role))
    return user


def structure_build(tier: str, households: int, counties: int) -> Structure:
    """Regions, sites and grids for ``households`` households in ``counties`` counties, and the
    caseworker, the manager and the county user with their grants."""
    built = Structure()
    site_count = max(1, math.ceil(households / SITE_HOUSEHOLDS))
    counties = max(1, min(counties, site_count))
    with transaction.atomic():
        city = services.region_ensure(
            actor=None, code="610900000000", name="安康市", level=Region.Level.PREFECTURE
        )
        regions = [
            services.region_ensure(
                actor=None,
                code=f"6109{21 + c:02d}000000",
                name=f"{tier}第{c + 1}县",
                level=Region.Level.COUNTY,
                parent=city,
            )  # fmt: skip
            for c in range(counties)
        ]
        left = households
        for s in range(site_count):
            site = services.site_create(
                actor=None, code=f"{tier.upper()}{s:04d}", name=f"{tier}安置点{s + 1}",
                county=regions[s * counties // site_count],
            )  # fmt: skip
            built.sites.append(site)
            for g, size in enumerate(GRID_HOUSEHOLDS):
                take = min(size, left)
                if take <= 0 and g > 0:
                    break
                grid = services.grid_create(
                    actor=None, site=site, code=f"G{g + 1}", name=f"{site.name}网格{g + 1}"
                )
                built.grids.append((grid, take))
                left -= take
        users = {
            "caseworker": _user(f"{tier}_caseworker", roles.CASEWORKER),
            "manager": _user(f"{tier}_manager", roles.MANAGER),
            "county": _user(f"{tier}_county", roles.MANAGER),
            # Did the finished steps elsewhere in the tier (no grant: measured nowhere).
            "staff": _user(f"{tier}_staff", roles.CASEWORKER),
        }
        services.jurisdiction_grant_grid(
            actor=None, user=users["caseworker"], grid=built.grids[0][0]
        )
        services.jurisdiction_grant_site(actor=None, user=users["manager"], site=built.sites[0])
        for site in built.sites:
            if site.county_id == regions[0].pk:
                services.jurisdiction_grant_site(actor=None, user=users["county"], site=site)
        built.users = users
    return built


def structure_load(tier: str) -> Structure:
    """The structure of a tier built earlier and kept (``bench/scale.py --keep``): its sites
    and grids in the order they were made, and its users."""
    built = Structure()
    built.sites = list(Site.objects.filter(code__startswith=tier.upper()).order_by("code"))
    grids = Grid.objects.filter(site__in=built.sites).annotate(n=Count("households"))
    built.grids = [(grid, grid.n) for grid in grids.order_by("site__code", "code")]
    built.users = {
        name: User.objects.get(username=f"{tier}_{name}")
        for name in ("caseworker", "manager", "county", "staff")
    }
    return built
