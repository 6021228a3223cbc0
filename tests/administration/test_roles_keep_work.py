"""A role is not taken from someone while they still hold open work of that kind: the work
would be orphaned. It is handed on under 人员变动 first (review of issue 18, finding 6)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from guardian.shortcuts import assign_perm

from casework import permissions
from casework.accounts.services import user_roles_set
from casework.pairing.services import pairing_end
from casework.permissions import roles
from casework.training.models import Course
from tests.workflows import helpers as h
from workflows.claims import tasks_claim
from workflows.flows import HouseholdFlow

pytestmark = pytest.mark.django_db


def _refused(actor, user, wanted: list[str], recorded) -> str:
    before = roles.user_roles(user)
    with recorded() as events, pytest.raises(ValidationError) as refused:
        user_roles_set(actor=actor, user=user, roles=wanted)
    assert events.events == []
    assert roles.user_roles(user) == before
    return " ".join(refused.value.message_dict["roles"])


def test_the_helper_role_stays_while_the_helper_has_paired_households(world, recorded):
    text = _refused(world.manager, world.helper, [], recorded)
    assert "人员变动" in text and "结对" in text
    pairing_end(actor=world.manager, pairing=world.pairing, reason="搬离")
    user_roles_set(actor=world.admin, user=world.helper, roles=[])
    assert roles.user_roles(world.helper) == []


def test_the_caseworker_role_stays_while_they_hold_open_tasks(world, recorded):
    task = h.open_task(h.household_process(world.h_a1), HouseholdFlow.assess)
    assert tasks_claim(actor=world.caseworker1, task_pks=[task.pk]).done
    text = _refused(world.manager, world.caseworker1, [roles.HELPER], recorded)
    assert "人员变动" in text and "待办" in text


def test_the_trainer_role_stays_while_they_teach_a_course_alone(world, recorded):
    today = timezone.localdate()
    course = Course.objects.create(
        name="电工培训班", trade="electrician", site=world.site_a, start_date=today,
        end_date=today + datetime.timedelta(days=30),
    )  # fmt: skip
    assign_perm(permissions.TEACH_COURSE, world.trainer, course)
    text = _refused(world.admin, world.trainer, [], recorded)
    assert "人员变动" in text and "课程" in text
    # Another role added meanwhile is no loss: allowed.
    user_roles_set(actor=world.admin, user=world.trainer, roles=[roles.TRAINER, roles.HELPER])
