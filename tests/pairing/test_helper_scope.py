"""Pairing a household, handing it over, or handing on a departing user's courses never
takes a helper or trainer out of their own manager's reach: the choices are the people the
actor administers and those of the household's (course's) site; an administrator may choose
anyone active (review of issue 18, finding 3)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from casework import permissions
from casework.pairing import services
from casework.pairing.forms import HandoverForm, PairForm
from casework.pairing.models import Pairing
from casework.permissions import roles
from casework.registry import services as registry_services
from casework.staff import selectors
from casework.staff.services import staff_courses_reassign
from casework.training.models import Course
from casework.training.services import course_trainer_grant
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_b(world):
    """manager_b manages site B; helper_b is paired only there, trainer_b teaches only there."""
    manager_b = factories.user("manager_b", roles.MANAGER)
    registry_services.jurisdiction_grant_site(actor=world.admin, user=manager_b, site=world.site_b)
    helper_b = factories.user("helper_b", roles.HELPER)
    services.pairing_create(actor=world.admin, household=world.h_b1, kind="party", helper=helper_b)
    trainer_b = factories.user("trainer_b", roles.TRAINER)
    today = timezone.localdate()
    course_b = Course.objects.create(
        name="B面点班", trade="noodles", site=world.site_b, start_date=today,
        end_date=today + datetime.timedelta(days=20),
    )  # fmt: skip
    assign_perm(permissions.TEACH_COURSE, trainer_b, course_b)
    assert permissions.may_edit_user(manager_b, helper_b)
    assert permissions.may_edit_user(manager_b, trainer_b)
    return manager_b, helper_b, trainer_b


def _course_a(world) -> Course:
    today = timezone.localdate()
    return Course.objects.create(
        name="A电工班", trade="electrician", site=world.site_a, start_date=today,
        end_date=today + datetime.timedelta(days=20),
    )  # fmt: skip


def test_a_manager_cannot_pair_another_sites_helper_through_the_page(client, world, site_b):
    manager_b, helper_b, _trainer_b = site_b
    client.force_login(world.manager)
    response = client.post(
        reverse("manage:pairings:index"),
        {"household": world.h_a2.pk, "kind": "party", "helper": helper_b.pk},
    )
    assert response.status_code == 200  # the form again
    assert not Pairing.objects.filter(helper=helper_b, household=world.h_a2).exists()
    assert permissions.may_edit_user(manager_b, helper_b)


def test_the_pairing_forms_offer_only_helpers_within_reach(world, site_b):
    _manager_b, helper_b, _trainer_b = site_b
    for form in (
        PairForm(actor=world.manager),
        PairForm(actor=world.caseworker2, household=world.h_a2),
        HandoverForm(actor=world.manager),
    ):
        offered = set(form.fields["helper"].queryset)
        assert helper_b not in offered
        assert {world.helper, world.unpaired_helper} <= offered
    assert helper_b in set(PairForm(actor=world.admin).fields["helper"].queryset)


def test_the_services_refuse_another_sites_helper(world, site_b):
    manager_b, helper_b, _trainer_b = site_b
    with pytest.raises(ValidationError) as refused:
        services.pairing_create(
            actor=world.manager, household=world.h_a2, kind="party", helper=helper_b
        )
    assert "helper" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.pairing_handover(actor=world.caseworker1, pairing=world.pairing, helper=helper_b)
    assert world.pairing.is_active and permissions.may_edit_user(manager_b, helper_b)
    # An administrator may pair anyone active.
    services.pairing_create(actor=world.admin, household=world.h_a2, kind="party", helper=helper_b)


def test_a_departing_trainers_courses_go_only_to_a_trainer_within_reach(world, site_b):
    manager_b, helper_b, trainer_b = site_b
    leaving = factories.user("trainer_leaving", roles.TRAINER)
    course = _course_a(world)
    assign_perm(permissions.TEACH_COURSE, leaving, course)
    assert trainer_b not in set(selectors.trainers_for(world.manager, leaving))
    assert world.trainer in set(selectors.trainers_for(world.manager, leaving))
    assert helper_b not in set(selectors.helpers_for(world.manager, leaving))
    with pytest.raises(ValidationError) as refused:
        staff_courses_reassign(actor=world.manager, user=leaving, trainer=trainer_b)
    assert "trainer" in refused.value.message_dict
    assert permissions.may_edit_user(manager_b, trainer_b)
    assert list(permissions.course_trainers(course)) == [leaving]


def test_a_course_is_not_given_to_another_sites_trainer(world, site_b):
    manager_b, _helper_b, trainer_b = site_b
    course = _course_a(world)
    with pytest.raises(ValidationError):
        course_trainer_grant(actor=world.manager, course=course, trainer=trainer_b)
    assert not permissions.course_trainers(course).exists()
    assert permissions.may_edit_user(manager_b, trainer_b)
