"""A course's free-text details (provider, location) keep their spaces on one line."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_course_location_and_provider_keep_their_spaces(make_course):
    course = make_course(provider="县 职业技能 培训中心 ", location="安置点 社区服务中心\n二楼")
    course.refresh_from_db()
    assert (course.provider, course.location) == (
        "县 职业技能 培训中心",
        "安置点 社区服务中心 二楼",
    )
