"""``households_register_bulk``: households and members in bulk with one ``household.import``
event each, announced with ``households_registered`` (their flows start); only into grids the
actor may register in."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from casework.audit.models import AuditEvent
from casework.registry.models import Household, Member
from casework.registry.registration import HouseholdRegistration, households_register_bulk
from casework.registry.signals import households_registered
from tests.factories import resident_id
from tests.workflows import helpers as h
from workflows.flows import HouseholdFlow

pytestmark = pytest.mark.django_db


def _registration(number: str, grid) -> HouseholdRegistration:
    head = {
        "name": "批量户主",
        "document_number": resident_id(),
        "relationship": Member.Relationship.HEAD,
        "sex": "M",
        "birth_date": datetime.date(1980, 1, 1),
    }
    return HouseholdRegistration(number, {"grid": grid}, [head])


def test_bulk_registration_writes_events_and_announces_the_households(world):
    heard = []

    def receiver(sender, households, actor, **kwargs):
        heard.append(([h.number for h in households], actor))

    households_registered.connect(receiver, dispatch_uid="test_bulk_registration")
    try:
        created = households_register_bulk(
            actor=world.manager,
            households=[_registration("R-1", world.grid_a1), _registration("R-2", world.grid_a2)],
        )
    finally:
        households_registered.disconnect(dispatch_uid="test_bulk_registration")
    assert [h.number for h in created] == ["R-1", "R-2"]
    assert heard == [(["R-1", "R-2"], world.manager)]
    for household in created:
        assert household.members.get().relationship == Member.Relationship.HEAD
        event = AuditEvent.objects.get(household_id=household.pk, action="household.import")
        (summary,) = event.changes["imported_members"][1]
        assert summary.startswith("批量户主 · ") and "*" in summary
        assert h.open_nodes(h.household_process(household)) == [HouseholdFlow.assess.name]


def test_bulk_registration_refuses_a_grid_the_actor_may_not_register_in(world):
    with pytest.raises(PermissionDenied):
        households_register_bulk(
            actor=world.manager, households=[_registration("R-3", world.grid_b1)]
        )
    assert not Household.objects.filter(number="R-3").exists()
