"""Each rule reads the value in force at the date that matters: the post rules on the day of
the application, the retention months on the day work started."""

import datetime

import pytest
from django.utils import timezone

from casework.cases.models import Category
from casework.cases.services import followup_checkpoints, followup_month_due
from casework.policy.services import parameter_set
from casework.posts.models import PostAssignment
from casework.posts.services import post_apply, post_create, post_eligibility
from casework.posts.services.applications import application_day

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _since(days):
    return TODAY() - datetime.timedelta(days=days)


def test_post_age_limit_is_the_one_in_force_on_the_application_day(world, assessed):
    case = assessed(Category.THREE_NO)  # the head is 41
    post = post_create(
        actor=world.manager, site=world.site_a, name="护林员", kind="forest", quota=3,
        monthly_subsidy=600,
    )  # fmt: skip
    post_apply(actor=world.caseworker1, case=case, post=post)
    parameter_set(actor=world.admin, key="posts.age_limit", value=40, valid_from=_since(10))
    # Applied today: the new limit of 40 applies.
    assert application_day(case) == TODAY()
    assert any("40" in rule for rule in post_eligibility(case, post))
    # Applied three weeks ago, before the change: judged by the limit of 60 then.
    applied = timezone.now() - datetime.timedelta(days=21)
    PostAssignment.objects.filter(case=case).update(applied_at=applied)
    assert application_day(case) == _since(21)
    assert post_eligibility(case, post) == []
    assert any("40" in rule for rule in post_eligibility(case, post, applied_on=TODAY()))


def test_retention_months_are_those_in_force_when_work_started(world, assessed):
    parameter_set(actor=world.admin, key="retention.stable_months", value=3, valid_from=_since(10))
    assert followup_checkpoints(_since(20)) == [1, 3, 6]
    assert followup_checkpoints(TODAY()) == [1, 3]
    case = assessed(Category.CAPABLE)
    case.working_since = _since(20)
    assert followup_month_due(case) == 1
    assert followup_checkpoints(case.working_since)[-1] == 6
