"""Writes that change nothing record nothing, and a write that changes a grant drops the cached
jurisdiction of everyone it touches (review of issue 18, finding 9)."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone
from guardian.shortcuts import assign_perm

from casework import permissions
from casework.audit.models import AuditEvent
from casework.permissions import roles
from casework.policy import services as policy_services
from casework.policy.models import Code
from casework.registry import services as registry_services
from casework.staff.services import staff_courses_reassign
from casework.training.models import Course
from casework.training.services import course_create, course_trainer_grant
from tests import factories

pytestmark = pytest.mark.django_db


def _course(world, name: str = "面点班") -> Course:
    today = timezone.localdate()
    return course_create(
        actor=world.admin, name=name, trade="noodles", site=world.site_a,
        start_date=today, end_date=today + datetime.timedelta(days=20),
    )  # fmt: skip


def test_granting_a_course_to_its_trainer_again_records_nothing(world, recorded):
    course = _course(world)
    course_trainer_grant(actor=world.manager, course=course, trainer=world.trainer)
    with recorded() as events:
        course_trainer_grant(actor=world.manager, course=course, trainer=world.trainer)
    assert events.events == []
    assert list(permissions.course_trainers(course)) == [world.trainer]


def test_a_deactivated_trainer_is_not_given_a_course(world, recorded):
    course = _course(world)
    world.trainer.is_active = False
    world.trainer.save(update_fields=["is_active"])
    with recorded() as events, pytest.raises(ValidationError) as refused:
        course_trainer_grant(actor=world.manager, course=course, trainer=world.trainer)
    assert "trainer" in refused.value.message_dict
    assert events.events == []
    assert not permissions.objects_held(world.trainer, permissions.TEACH_COURSE, Course).exists()


def test_a_code_change_that_changes_nothing_records_nothing(world, recorded):
    code = Code.objects.get(list_name="trade", code="cooking")
    with recorded() as events:
        policy_services.code_change(actor=world.admin, code=code, label=code.label)
    assert events.events == []
    assert not AuditEvent.objects.filter(action="code.change").exists()


def test_courses_handed_on_drop_both_trainers_cached_jurisdiction(world):
    leaving = factories.user("trainer_leaving", roles.TRAINER)
    leaving.groups.add(Group.objects.get(name=roles.CASEWORKER))
    registry_services.jurisdiction_grant_grid(actor=world.admin, user=leaving, grid=world.grid_a1)
    course = _course(world)
    assign_perm(permissions.TEACH_COURSE, leaving, course)
    permissions.jurisdiction_of(world.trainer)
    permissions.jurisdiction_of(leaving)
    staff_courses_reassign(actor=world.manager, user=leaving, trainer=world.trainer)
    assert "_casework_jurisdiction" not in world.trainer.__dict__
    assert "_casework_jurisdiction" not in leaving.__dict__
    assert list(permissions.course_trainers(course)) == [world.trainer]
