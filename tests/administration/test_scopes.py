"""Who administers what (``casework.permissions.administration``): administrators everything;
a manager their sites, those sites' grids and the accounts working only there (or created by
them and not yet given anything); everyone else nothing."""

import pytest

from casework import permissions
from casework.accounts.users.services import user_create
from casework.permissions import roles
from casework.registry.services import jurisdiction_grant_grid, jurisdiction_grant_site
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "Ganquan-2026-pass"


def test_only_administrators_and_managers_administer(world):
    assert permissions.may_administer(world.admin)
    assert permissions.may_administer(world.manager)
    for persona in ("caseworker1", "helper", "trainer", "outsider"):
        assert not permissions.may_administer(getattr(world, persona)), persona


def test_the_administrator_role_without_superuser_administers_everything(world):
    chief = factories.user("chief", roles.ADMIN)
    assert set(permissions.sites_administered(chief)) == {world.site_a, world.site_b}
    assert permissions.users_administered(chief).filter(pk=world.manager.pk).exists()
    assert not permissions.users_administered(chief).filter(pk=world.admin.pk).exists()
    assert permissions.roles_assignable(chief) == list(roles.ROLE_LABELS)


def test_a_manager_administers_their_sites_and_grids_only(world):
    assert list(permissions.sites_administered(world.manager)) == [world.site_a]
    assert set(permissions.grids_administered(world.manager)) == {world.grid_a1, world.grid_a2}
    assert not permissions.regions_administered(world.manager).exists()


def test_a_manager_administers_the_accounts_working_only_in_their_sites(world):
    administered = set(permissions.users_administered(world.manager))
    assert {world.caseworker1, world.caseworker2, world.helper} <= administered
    # Above them, or outside any of their sites, or nobody's yet: not theirs.
    for other in (world.admin, world.manager, world.trainer, world.outsider):
        assert other not in administered
    jurisdiction_grant_grid(actor=world.admin, user=world.caseworker2, grid=world.grid_b1)
    assert not permissions.may_edit_user(world.manager, world.caseworker2)


def test_a_manager_administers_a_fresh_account_they_created_not_another_managers(world):
    mine = user_create(
        actor=world.manager, username="newhand", full_name="新网格员", password=PASSWORD,
        roles=[roles.CASEWORKER],
    )  # fmt: skip
    other_manager = factories.user("manager_b", roles.MANAGER)
    jurisdiction_grant_site(actor=world.admin, user=other_manager, site=world.site_b)
    assert permissions.may_edit_user(world.manager, mine)
    assert not permissions.may_edit_user(other_manager, mine)


def test_a_manager_gives_caseworker_helper_and_trainer_roles_only(world):
    assert permissions.roles_assignable(world.manager) == [
        roles.CASEWORKER, roles.TRAINER, roles.HELPER,
    ]  # fmt: skip
    assert permissions.roles_assignable(world.caseworker1) == []


def test_a_manager_grants_their_grids_never_a_site(world):
    assert permissions.may_grant_grid(world.manager, world.caseworker1, world.grid_a2)
    assert not permissions.may_grant_grid(world.manager, world.caseworker1, world.grid_b1)
    assert not permissions.may_grant_site(world.manager, world.caseworker1)
    assert permissions.may_grant_site(world.admin, world.caseworker1)


def test_a_deactivated_manager_administers_nothing(world):
    world.manager.is_active = False
    world.manager.save()
    assert not permissions.may_administer(world.manager)
    assert not permissions.users_administered(world.manager).exists()
