import pytest

from casework.permissions import roles
from casework.registry.models import Region, Site
from casework.registry.services import jurisdiction_grant_county
from tests import factories

from .world import build_months


@pytest.fixture
def months(world):
    """Twelve households over grids A1, A2 and B1 with records around August 2026."""
    return build_months(world)


@pytest.fixture
def li_county(months):
    """Sites A (城关镇) and B (石桥镇) in 礼县, site C in another county; a bureau of 礼县."""
    li = Region.objects.create(code="621226000000", name="礼县", level=Region.Level.COUNTY)
    other = Region.objects.create(code="621221000000", name="成县", level=Region.Level.COUNTY)
    Site.objects.filter(pk=months.site_a.pk).update(county=li, township="城关镇")
    Site.objects.filter(pk=months.site_b.pk).update(county=li, township="石桥镇")
    site_c, _grids = factories.site_with_grids(months.admin, "C", 1)
    Site.objects.filter(pk=site_c.pk).update(county=other, township="城关镇")
    bureau = factories.user("bureau", roles.COUNTY)
    jurisdiction_grant_county(actor=months.admin, user=bureau, county=li)
    months.li, months.other, months.site_c, months.bureau = li, other, site_c, bureau
    return months
