"""The account services refuse what the administration rule forbids and record one event each:
nobody deactivates themselves or the last active administrator."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from casework.accounts.services import user_create, user_deactivate, user_roles_set
from casework.permissions import roles
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "Ganquan-2026-pass"


def test_it_deactivates_an_account_with_one_event(world, recorded):
    with recorded() as events:
        user_deactivate(actor=world.manager, user=world.caseworker1)
    world.caseworker1.refresh_from_db()
    assert not world.caseworker1.is_active
    events.one("account.user_deactivate", world.manager)


def test_nobody_deactivates_themselves(world):
    with pytest.raises(ValidationError):
        user_deactivate(actor=world.admin, user=world.admin)
    world.admin.refresh_from_db()
    assert world.admin.is_active


def test_the_last_active_administrator_cannot_be_deactivated(world):
    """Only an administrator edits an administrator and nobody deactivates themselves, so the
    last one is always the actor: refused whichever way it is asked."""
    chief = factories.user("chief", roles.ADMIN)
    user_deactivate(actor=world.admin, user=chief)  # another administrator remains: allowed
    with pytest.raises(ValidationError):
        user_deactivate(actor=world.admin, user=world.admin)
    with pytest.raises(PermissionDenied):
        user_deactivate(actor=world.manager, user=world.admin)
    world.admin.refresh_from_db()
    assert world.admin.is_active


def test_a_manager_may_not_deactivate_an_account_outside_their_sites(world):
    with pytest.raises(PermissionDenied):
        user_deactivate(actor=world.manager, user=world.trainer)


def test_a_manager_may_not_give_the_manager_role(world):
    with pytest.raises(ValidationError) as refusal:
        user_create(
            actor=world.manager, username="x1", full_name="某", password=PASSWORD,
            roles=[roles.MANAGER],
        )  # fmt: skip
    assert "roles" in refusal.value.message_dict
    with pytest.raises(ValidationError):
        user_roles_set(actor=world.manager, user=world.caseworker1, roles=[roles.MANAGER])
    assert roles.user_roles(world.caseworker1) == [roles.CASEWORKER]


def test_roles_set_keeps_groups_that_are_not_roles(world, recorded):
    liaison = Group.objects.create(name="街道联络员")
    world.caseworker1.groups.add(liaison)
    with recorded() as events:
        user_roles_set(
            actor=world.manager, user=world.caseworker1, roles=[roles.CASEWORKER, roles.HELPER]
        )
    assert set(world.caseworker1.groups.values_list("name", flat=True)) == {
        "街道联络员", roles.CASEWORKER, roles.HELPER,
    }  # fmt: skip
    events.one("account.user_roles", world.manager)
