import datetime

import pytest
from django.utils import timezone

from casework.training.services import course_create, course_trainer_grant


@pytest.fixture
def course_without_trainer(world):
    """A course nobody teaches yet: its caseworkers record each trainee's result."""
    today = timezone.localdate()
    return course_create(
        actor=world.manager,
        name="拉面技能培训班",
        trade="noodles",
        site=world.site_a,
        start_date=today,
        end_date=today + datetime.timedelta(days=20),
    )


@pytest.fixture
def course(world, course_without_trainer):
    """The same course taught by ``world.trainer``, who records its results."""
    course_trainer_grant(actor=world.manager, course=course_without_trainer, trainer=world.trainer)
    return course_without_trainer


@pytest.fixture
def welfare_post(world):
    from decimal import Decimal

    from casework.posts.services import post_create

    return post_create(
        actor=world.manager, site=world.site_a, name="社区保洁员", kind="cleaning", quota=5,
        monthly_subsidy=Decimal("800"),
    )  # fmt: skip
