"""The demo trainer's course is in Chinese and holds trainees at every stage."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from casework import permissions
from casework.training.models import Enrolment
from tests.i18n.english import english_in

pytestmark = pytest.mark.django_db


def test_demo_trainer_course_pages_are_chinese_and_cover_every_stage(client):
    call_command("seed_demo", stdout=io.StringIO())
    users = {u.username: u for u in get_user_model().objects.all()}
    courses = list(permissions.courses_visible_to(users["trainer"]))
    assert len(courses) == 1
    course = courses[0]
    statuses = set(course.enrolments.values_list("status", flat=True))
    assert {Enrolment.Status.ENROLLED, Enrolment.Status.PASSED, Enrolment.Status.FAILED} <= statuses
    assert course.sessions.exists()

    pages = {
        "trainer": ["index", "detail", "attendance", "results"],
        "caseworker1": ["index", "detail", "add", "trainer"],
    }
    for username, names in pages.items():
        client.force_login(users[username])
        for name in names:
            args = [] if name in ("index", "add") else [course.pk]
            response = client.get(reverse(f"training:course:{name}", args=args))
            assert response.status_code == 200, (username, name)
            assert english_in(response.content.decode()) == [], (username, name)
