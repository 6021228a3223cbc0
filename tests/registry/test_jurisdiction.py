"""Who sees which household: lists, detail, edit forms and search all go through permissions."""

import pytest
from django.urls import reverse

from tests.conftest import login


def list_numbers(client, **params) -> set[str]:
    response = client.get(reverse("registry:household:index"), params)
    assert response.status_code == 200
    page = response.content.decode()
    return {n for n in ("A1-0001", "A2-0001", "B1-0001") if n in page}


def detail(h):
    return reverse("registry:household:detail", args=[h.pk])


def edit(h):
    return reverse("registry:household:change", args=[h.pk])


def member_edit(h):
    return reverse("registry:household:member_change", args=[h.pk, h.members.first().pk])


def member_add(h):
    return reverse("registry:household:member_add", args=[h.pk])


class TestCaseworker:
    def test_list_shows_only_own_grid(self, client, world):
        login(client, world.caseworker1)
        assert list_numbers(client) == {"A1-0001"}

    @pytest.mark.parametrize("url", [detail, edit, member_edit, member_add])
    def test_other_grid_household_pages_are_404(self, client, world, url):
        login(client, world.caseworker1)
        assert client.get(url(world.h_a2)).status_code == 404
        assert client.get(url(world.h_b1)).status_code == 404
        assert client.get(url(world.h_a1)).status_code == 200

    def test_posting_to_other_grid_edit_form_is_404_and_changes_nothing(self, client, world):
        login(client, world.caseworker1)
        response = client.post(
            edit(world.h_a2),
            {"grid": world.grid_a1.pk, "colour": "red", "household_type": "lifted"},
        )
        assert response.status_code == 404
        world.h_a2.refresh_from_db()
        assert world.h_a2.colour == "green"

    def test_name_search_does_not_reach_other_grid(self, client, world):
        login(client, world.caseworker1)
        assert list_numbers(client, _search="乙户主") == set()
        assert list_numbers(client, _search="甲户主") == {"A1-0001"}

    def test_document_lookup_does_not_reach_other_grid(self, client, world):
        login(client, world.caseworker1)
        url = reverse("registry:household:lookup")
        other = world.h_a2.members.first().document_number
        response = client.post(url, {"document_number": other})
        assert response.status_code == 404
        assert "您的辖区内没有持此证件号码的人员" in response.content.decode()
        own = world.h_a1.members.first().document_number
        response = client.post(url, {"document_number": own.lower()})
        assert response.status_code == 302
        assert response.url == detail(world.h_a1)

    def test_filter_choices_offer_only_own_grid(self, client, world):
        login(client, world.caseworker1)
        page = client.get(reverse("registry:household:index")).content.decode()
        assert "A网格1" in page
        assert "A网格2" not in page and "B网格1" not in page

    def test_filtering_by_another_grid_shows_nothing(self, client, world):
        login(client, world.caseworker1)
        assert list_numbers(client, grid=world.grid_a2.pk) == set()


class TestManager:
    def test_sees_the_whole_site_and_nothing_else(self, client, world):
        login(client, world.manager)
        assert list_numbers(client) == {"A1-0001", "A2-0001"}
        assert client.get(detail(world.h_a2)).status_code == 200
        assert client.get(edit(world.h_a1)).status_code == 200
        assert client.get(detail(world.h_b1)).status_code == 404

    def test_filters_by_grid_and_label(self, client, world):
        login(client, world.manager)
        assert list_numbers(client, grid=world.grid_a2.pk) == {"A2-0001"}
        assert list_numbers(client, site=world.site_a.pk, colour="green") == {"A1-0001", "A2-0001"}
        assert list_numbers(client, colour="red") == set()


class TestHelper:
    def test_sees_only_the_paired_household_read_only(self, client, world):
        login(client, world.helper)
        assert list_numbers(client) == {"A1-0001"}
        assert client.get(detail(world.h_a1)).status_code == 200
        assert client.get(edit(world.h_a1)).status_code == 403
        assert client.get(detail(world.h_a2)).status_code == 404

    def test_unpaired_helper_sees_nothing(self, client, world):
        login(client, world.unpaired_helper)
        assert list_numbers(client) == set()
        assert client.get(detail(world.h_a1)).status_code == 404


def test_trainer_and_outsider_cannot_open_the_registry(client, world):
    for user in (world.trainer, world.outsider):
        login(client, user)
        assert client.get(reverse("registry:household:index")).status_code == 403
        assert client.get(detail(world.h_a1)).status_code in (403, 404)


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(detail(world.h_a1))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_personal_data_is_masked_on_list_and_detail(client, world):
    login(client, world.manager)
    head = world.h_a1.members.get(relationship="head")
    for url in (reverse("registry:household:index"), detail(world.h_a1)):
        page = client.get(url).content.decode()
        assert head.document_number not in page
        assert head.document_number[:6] + "********" + head.document_number[-4:] in page
    page = client.get(detail(world.h_a1)).content.decode()
    assert head.phone not in page
    assert head.phone[:3] + "****" + head.phone[-4:] in page
