"""The dashboard's figures (acceptance A): every figure equals a count computed independently,
over a varied world in the manager's site A and in site B (which must not be counted)."""

import pytest

from casework.registry.models import Site
from casework.reports.dashboard.figures import UNASSESSED, Share, dashboard_figures
from tests.reports.dashboard.world import URL, actual_figures, expected_figures

pytestmark = pytest.mark.django_db


def test_every_figure_equals_an_independent_count(client, world, varied):
    client.force_login(world.manager)
    response = client.get(URL)
    assert response.status_code == 200
    actual = actual_figures(response.context["figures"])
    assert actual == expected_figures(world.site_a, world.manager)
    # The world was built to these numbers; a shared mistake in both counts would show here.
    assert (actual["households"], actual["labour"], actual["zero_employment"]) == (8, 10, 2)
    assert (actual["assessed"], actual["employed"]) == (Share(5, 10), Share(3, 10))
    assert actual["households_employed"] == Share(3, 5)
    assert actual["by_category"] == {"capable": 3, "training": 2, "three_no": 2, UNASSESSED: 3}
    assert {k: v for k, v in actual["by_channel"].items() if v} == {
        "workshop": 1, "public_welfare": 1, "enterprise": 1,
    }  # fmt: skip
    assert (actual["training"], actual["posts"]) == (Share(1, 2), Share(1, 5))
    assert (actual["overdue_tasks"], actual["overdue_visits"]) == (2, 2)
    assert [r[0] for r in actual["zero_rows"]] == sorted([varied.lost_job.number,
                                                          varied.waiting.number])  # fmt: skip


def test_site_b_alone_and_both_sites_for_a_superuser(client, world, varied):
    both = dashboard_figures(sites=Site.objects.all())
    only_b = dashboard_figures(sites=Site.objects.filter(pk=world.site_b.pk))
    assert (only_b.households, only_b.labour, only_b.employed) == (1, 1, Share(1, 1))
    assert (only_b.posts, only_b.training, only_b.overdue_tasks) == (Share(1, 4), Share(1, 1), 1)
    assert (both.households, both.labour, both.overdue_visits) == (9, 11, 3)
    client.force_login(world.admin)
    assert client.get(URL).context["figures"].households == 9


def test_the_list_is_capped_with_a_note_of_how_many_are_not_listed(world, varied):
    figures = dashboard_figures(sites=Site.objects.filter(pk=world.site_a.pk), cap=1)
    assert (len(figures.zero_employment_rows), figures.zero_employment_unlisted) == (1, 1)
    assert figures.zero_employment == 2
