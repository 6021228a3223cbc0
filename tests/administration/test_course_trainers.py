"""The courses' trainers under 系统管理: a manager gives and takes back the trainers of their
sites' courses (one event each), never another site's; a non-superuser administrator too."""

import datetime

import pytest
from django.utils import timezone

from casework import permissions
from casework.permissions import roles
from casework.training.services import course_create
from tests import factories
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _course(world, site):
    today = timezone.localdate()
    return course_create(
        actor=world.admin, name=f"{site.name}面点班", trade="noodles", site=site,
        start_date=today, end_date=today + datetime.timedelta(days=20),
    )  # fmt: skip


def test_a_manager_gives_and_takes_back_a_trainer(client, world, recorded):
    course = _course(world, world.site_a)
    login(client, world.manager)
    with recorded() as events:
        response = client.post(f"/manage/courses/{course.pk}/", {"trainer": world.trainer.pk})
    assert response.status_code == 302
    assert list(permissions.course_trainers(course)) == [world.trainer]
    events.one("course.trainer_grant", world.manager)
    with recorded() as events:
        response = client.post(f"/manage/courses/{course.pk}/trainers/{world.trainer.pk}/revoke/")
    assert response.status_code == 302
    assert not permissions.course_trainers(course).exists()
    events.one("course.trainer_revoke", world.manager)


def test_a_manager_cannot_reach_another_sites_course(client, world):
    course = _course(world, world.site_b)
    login(client, world.manager)
    assert f"/manage/courses/{course.pk}/" not in client.get("/manage/courses/").content.decode()
    assert client.get(f"/manage/courses/{course.pk}/").status_code == 404
    client.post(f"/manage/courses/{course.pk}/", {"trainer": world.trainer.pk})
    assert not permissions.course_trainers(course).exists()


def test_an_administrator_without_superuser_manages_trainers(client, world):
    chief = factories.user("chief", roles.ADMIN)
    course = _course(world, world.site_b)
    login(client, chief)
    response = client.post(f"/manage/courses/{course.pk}/", {"trainer": world.trainer.pk})
    assert response.status_code == 302
    assert list(permissions.course_trainers(course)) == [world.trainer]
