"""The job menu and post pages: scoped to the user's sites, in Chinese."""

import pytest
from django.urls import reverse

from casework.placement import services
from casework.placement.models import Employer, Vacancy
from casework.posts.models import WelfarePost
from tests.i18n.english import english_in
from tests.placement.conftest import VALID_CODE

pytestmark = pytest.mark.django_db


def test_caseworker_adds_an_employer_and_a_vacancy_through_the_pages(client, world):
    client.force_login(world.caseworker1)
    response = client.post(
        reverse("placement:employer:add"),
        {"name": "城关镇制衣厂", "kind": "workshop", "credit_code": VALID_CODE,
         "site": world.site_a.pk, "location_class": "county", "industry": "纺织服装"},
    )  # fmt: skip
    assert response.status_code == 302
    employer = Employer.objects.get()
    response = client.post(
        reverse("placement:employer:vacancy_add", args=[employer.pk]),
        {"title": "缝纫工", "trade": "other", "headcount": "10", "wage_min": "2400",
         "wage_max": "3200", "location_class": "county", "age_min": "16", "age_max": "55",
         "valid_from": "2026-11-01", "valid_to": "2027-05-01"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Vacancy.objects.get().employer == employer
    for url in (
        reverse("placement:employer:index"),
        reverse("placement:employer:detail", args=[employer.pk]),
        reverse("placement:employer:add"),
        reverse("placement:employer:vacancy_add", args=[employer.pk]),
        reverse("placement:post:index"),
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert english_in(page.content.decode()) == [], url


def test_a_bad_credit_code_is_shown_on_the_form(client, world):
    client.force_login(world.caseworker1)
    response = client.post(
        reverse("placement:employer:add"),
        {"name": "某公司", "kind": "enterprise", "credit_code": "91110000600037341X",
         "site": world.site_a.pk, "location_class": "county"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "credit_code" in response.context["form"].errors


def test_another_sites_employer_is_404_and_posts_are_set_up_by_managers(client, world):
    other = services.employer_create(
        actor=world.admin, site=world.site_b, name="外站企业", kind="enterprise",
        location_class="county",
    )  # fmt: skip
    client.force_login(world.caseworker1)
    assert client.get(reverse("placement:employer:detail", args=[other.pk])).status_code == 404
    assert "外站企业" not in client.get(reverse("placement:employer:index")).content.decode()
    assert client.get(reverse("placement:post:add")).status_code == 403
    client.force_login(world.manager)
    response = client.post(
        reverse("placement:post:add"),
        {"name": "河道巡查员", "kind": "service", "site": world.site_a.pk, "quota": "3",
         "monthly_subsidy": "700", "term_months": "12"},
    )  # fmt: skip
    assert response.status_code == 302
    assert WelfarePost.objects.get().quota == 3
    page = client.get(reverse("placement:post:index")).content.decode()
    assert "河道巡查员" in page and "0 / 3" in page
    client.force_login(world.trainer)
    assert client.get(reverse("placement:employer:index")).status_code == 403
