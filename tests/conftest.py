"""Personas and a small world: site A (grids A1, A2) and site B (grid B1).

- caseworker1 works grid A1, caseworker2 works grid A2;
- manager manages site A (not B);
- helper is paired with one household of A1; unpaired_helper with none;
- trainer has no household jurisdiction; admin is a superuser.
"""

from types import SimpleNamespace

import pytest

from casework.cases.models import Category, EmploymentCase
from casework.permissions import roles
from casework.policy.workdays import calendar_forget
from casework.registry import services
from tests import factories
from tests.workflows import helpers as h


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``bulk`` run last. Their rolled-back rows stay in the tables as dead rows
    until PostgreSQL vacuums them, and its planner, which believes the tables empty, would then
    scan them in every later test's joins (seconds a query)."""
    items.sort(key=lambda item: item.get_closest_marker("bulk") is not None)


@pytest.fixture(autouse=True)
def working_day_calendar_forgotten():
    """The working-day calendar is read afresh in each test (the process keeps it otherwise)."""
    calendar_forget()
    yield
    calendar_forget()


@pytest.fixture(autouse=True)
def audit_anchor_file(settings, tmp_path):
    """Each test its own anchor file: the database rolls back after a test, a file would not."""
    settings.AUDIT_ANCHOR_PATH = tmp_path / "audit-anchor.log"
    return settings.AUDIT_ANCHOR_PATH


@pytest.fixture
def world(db):
    admin = factories.user("admin", roles.ADMIN, is_superuser=True, is_staff=True)
    site_a, (grid_a1, grid_a2) = factories.site_with_grids(admin, "A", 2)
    site_b, (grid_b1,) = factories.site_with_grids(admin, "B", 1)
    caseworker1 = factories.user("caseworker1", roles.CASEWORKER)
    caseworker2 = factories.user("caseworker2", roles.CASEWORKER)
    manager = factories.user("manager", roles.MANAGER)
    helper = factories.user("helper", roles.HELPER)
    unpaired_helper = factories.user("unpaired_helper", roles.HELPER)
    trainer = factories.user("trainer", roles.TRAINER)
    outsider = factories.user("outsider")
    services.jurisdiction_grant_grid(actor=admin, user=caseworker1, grid=grid_a1)
    services.jurisdiction_grant_grid(actor=admin, user=caseworker2, grid=grid_a2)
    services.jurisdiction_grant_site(actor=admin, user=manager, site=site_a)
    h_a1 = factories.household(
        admin, grid_a1, number="A1-0001", members=2, head=factories.member_data(name="甲户主")
    )
    h_a2 = factories.household(
        admin, grid_a2, number="A2-0001", members=1, head=factories.member_data(name="乙户主")
    )
    h_b1 = factories.household(
        admin, grid_b1, number="B1-0001", head=factories.member_data(name="丙户主")
    )
    from casework.pairing.services import pairing_create

    pairing = pairing_create(actor=caseworker1, helper=helper, household=h_a1, kind="party")
    return SimpleNamespace(**locals())


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def assessed(client, world):
    """Assess household A1-0001 (head as ``category``, the other member 非劳动力) and have the
    manager approve it; returns the head's employment case."""

    def run(category: str = Category.CAPABLE, household=None) -> EmploymentCase:
        household = household or world.h_a1
        process = h.household_process(household)
        head = household.members.get(relationship="head")
        response = h.do(
            client,
            world.caseworker1,
            h.open_task(process, h.HouseholdFlow.assess),
            h.assessment_data(household, {head.name: category}),
        )
        assert response.status_code == 302
        response = h.do(
            client,
            world.manager,
            h.open_task(process, h.HouseholdFlow.review),
            {"decision": "approve"},
        )
        assert response.status_code == 302
        return EmploymentCase.objects.get(member=head)

    return run
