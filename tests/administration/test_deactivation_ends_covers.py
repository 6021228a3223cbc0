"""A departing user who covers an absent colleague stops covering when deactivated: the
substitution ends in the same transaction, and the deactivation page says so beforehand
(review of issue 18, finding 7)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework import permissions
from casework.accounts.models import Substitution
from casework.permissions import roles
from casework.registry import services as registry_services
from casework.staff import selectors
from casework.staff.services import Handover, TaskTarget, staff_deactivate, substitution_create
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def cover(world):
    """caseworker3 (grid A2 with caseworker2) covers caseworker1 (grid A1) for a week."""
    substitute = factories.user("caseworker3", roles.CASEWORKER, first_name="三")
    registry_services.jurisdiction_grant_grid(
        actor=world.admin, user=substitute, grid=world.grid_a2
    )
    today = timezone.localdate()
    return substitution_create(
        actor=world.manager, absent=world.caseworker1, substitute=substitute,
        start_date=today, end_date=today + datetime.timedelta(days=7), reason="休假",
    )  # fmt: skip


def test_the_page_shows_whom_the_departing_user_covers(client, world, cover):
    assert list(selectors.open_work(cover.substitute).covers) == [cover]
    client.force_login(world.manager)
    page = client.get(reverse("manage:staff:deactivate", args=[cover.substitute.pk]))
    text = page.content.decode()
    assert 'data-test="covers"' in text and "caseworker1" in text


def test_deactivation_ends_the_cover_with_one_event(world, cover, recorded):
    substitute = cover.substitute
    with recorded() as events:
        staff_deactivate(
            actor=world.manager, user=substitute,
            handover=Handover(tasks=TaskTarget(grid=world.grid_a2)),
        )  # fmt: skip
    cover.refresh_from_db()
    assert cover.ended_at is not None
    assert not permissions.substitutions_in_force().filter(substitute=substitute).exists()
    assert not permissions.is_absent(world.caseworker1)
    actions = [(e.action, e.actor_id) for e in events.events]
    assert actions == [
        ("staff.substitutions_end", world.manager.pk),
        ("account.user_deactivate", world.manager.pk),
    ]
    ended = events.events[0].changes["substitutions"][1]
    assert [row[1] for row in ended] == ["caseworker1"]


def test_an_already_ended_cover_is_left_alone(world, cover, recorded):
    ended_at = timezone.now() - datetime.timedelta(hours=1)
    Substitution.objects.filter(pk=cover.pk).update(ended_at=ended_at)
    with recorded() as events:
        staff_deactivate(
            actor=world.manager, user=cover.substitute,
            handover=Handover(tasks=TaskTarget(grid=world.grid_a2)),
        )  # fmt: skip
    cover.refresh_from_db()
    assert cover.ended_at == ended_at
    assert [e.action for e in events.events] == ["account.user_deactivate"]
