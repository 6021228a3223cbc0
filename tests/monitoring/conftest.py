"""Fixtures borrowed from the workflow tests: a public-welfare post of site A; and a
working-day calendar that knows this year and next, whatever day the suite runs (the notice of
a risk elimination counts working days; the library may not know next year yet)."""

import pytest
from django.utils import timezone

from casework.policy.models import WorkCalendarYear
from casework.policy.workdays import calendar_forget
from tests.workflows.conftest import welfare_post  # noqa: F401 - a fixture, used by name


@pytest.fixture(autouse=True)
def calendar_known(request):
    if request.node.get_closest_marker("django_db") is None and "db" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("db")
    year = timezone.localdate().year
    for known in (year, year + 1):
        WorkCalendarYear.objects.get_or_create(
            year=known, defaults={"source": WorkCalendarYear.Source.ADMINISTRATOR}
        )
    calendar_forget()
    yield
    calendar_forget()
