"""The administration pages read a fixed number of queries however many grids, sites, courses
or accounts there are (a city: thousands of grids, tens of thousands of households)."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from casework import permissions
from casework.permissions import roles
from casework.registry.models import Grid, Site
from casework.staff import selectors
from casework.training.models import Course
from tests import factories

pytestmark = pytest.mark.django_db

_codes = itertools.count(1)


def _grids(count: int) -> list[Grid]:
    """``count`` more grids on a new site."""
    site = Site.objects.create(code=f"Q{next(_codes)}", name="安置点Q")
    return Grid.objects.bulk_create(
        Grid(site=site, code=f"G{n}", name=f"Q网格{n}") for n in range(count)
    )


def _queries(client, url: str) -> int:
    client.get(url)  # warm the caches (content types, session)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_grid_list_reads_the_same_queries_for_10_and_100_grids(
    client, world, django_assert_num_queries
):
    worker = factories.user("worker", roles.CASEWORKER, first_name="网格员")
    assign_perm(
        permissions.WORK_GRID, worker, Grid.objects.filter(pk__in=[g.pk for g in _grids(7)])
    )
    client.force_login(world.admin)
    url = reverse("manage:grids:index")
    small = _queries(client, url)
    assign_perm(
        permissions.WORK_GRID, worker, Grid.objects.filter(pk__in=[g.pk for g in _grids(90)])
    )
    with django_assert_num_queries(small):
        page = client.get(url)
    assert "网格员" in page.content.decode()


def _leaving_with(user, world, count: int) -> None:
    """``user`` works ``count`` grids, manages ``count`` sites and teaches ``count`` running
    courses, all alone."""
    grids = _grids(count)
    assign_perm(permissions.WORK_GRID, user, Grid.objects.filter(pk__in=[g.pk for g in grids]))
    sites = Site.objects.filter(pk__in=[g.site_id for g in grids])
    assign_perm(permissions.MANAGE_SITE, user, sites)
    today = timezone.localdate()
    courses = Course.objects.bulk_create(
        Course(name=f"课程{next(_codes)}", trade="electrician", site=world.site_a,
               start_date=today, end_date=today + datetime.timedelta(days=30))
        for _ in range(count)
    )  # fmt: skip
    assign_perm(
        permissions.TEACH_COURSE, user, Course.objects.filter(pk__in=[c.pk for c in courses])
    )


def test_the_deactivate_page_reads_the_same_queries_for_more_grids_sites_and_courses(
    client, world, django_assert_num_queries
):
    leaving = factories.user("leaving", roles.CASEWORKER)
    _leaving_with(leaving, world, 2)
    client.force_login(world.admin)
    url = reverse("manage:staff:deactivate", args=[leaving.pk])
    small = _queries(client, url)
    _leaving_with(leaving, world, 30)
    with django_assert_num_queries(small):
        client.get(url)
    work = selectors.open_work(leaving)
    assert (len(work.unworked_grids), len(work.unmanaged_sites), len(work.courses)) == (32, 2, 32)


def test_what_is_left_alone_counts_colleagues_and_their_groups(world):
    leaving = factories.user("leaving", roles.CASEWORKER)
    _leaving_with(leaving, world, 2)
    grid, other = permissions.grids_left_unworked(leaving)
    colleague = factories.user("colleague", roles.CASEWORKER)
    assign_perm(permissions.WORK_GRID, colleague, grid)
    team = factories.user("team", roles.CASEWORKER).groups.first()
    assign_perm(permissions.WORK_GRID, team, other)  # a group with another active member
    assert permissions.grids_left_unworked(leaving) == []
    colleague.is_active = False
    colleague.save()
    assert permissions.grids_left_unworked(leaving) == [grid]
    site = permissions.sites_left_unmanaged(leaving)[0]
    assign_perm(permissions.MANAGE_SITE, world.manager, site)
    assert site not in permissions.sites_left_unmanaged(leaving)
    course = selectors.courses_taught_alone(leaving)[0]
    assign_perm(permissions.TEACH_COURSE, world.trainer, course)
    assert course not in selectors.courses_taught_alone(leaving)


def test_the_staff_page_lists_a_page_of_accounts_in_the_same_queries(
    client, world, django_assert_num_queries
):
    client.force_login(world.admin)
    url = reverse("manage:staff:index")
    small = _queries(client, url)
    for n in range(60):
        factories.user(f"cw{n:03d}", roles.CASEWORKER)
    with django_assert_num_queries(small):
        page = client.get(url).content.decode()
    assert "cw000" in page and 'data-test="staff-pages"' in page
    second = client.get(url + "?page=2").content.decode()
    assert "outsider" in second or "unpaired_helper" in second
