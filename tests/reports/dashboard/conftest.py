import pytest

from tests.reports.dashboard.world import build_varied


@pytest.fixture
def varied(world):
    """Site A (managed): eight households of every kind; site B: one that would count."""
    return build_varied(world)
