import pytest

from .world import build_months


@pytest.fixture
def months(world):
    """Twelve households over grids A1, A2 and B1 with records around August 2026."""
    return build_months(world)
