"""Every persona's home page and registry screens are in Chinese: no English in menus, buttons,
table headers, labels or status values."""

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.i18n.english import english_in

PERSONA_PAGES = {
    "admin": ["home", "list", "detail", "add", "change", "member_add", "lookup", "profile"],
    "manager": ["home", "list", "detail", "add", "change", "member_add", "lookup", "profile"],
    "caseworker1": [
        "home",
        "list",
        "detail",
        "add",
        "change",
        "member_add",
        "member_change",
        "lookup",
        "profile",
    ],
    "caseworker2": ["home", "list", "profile"],
    "helper": ["home", "list", "detail", "lookup", "profile"],
    "trainer": ["home", "profile"],
}


def page_url(name: str, world) -> str:
    household = world.h_a1
    return {
        "home": "/",
        "list": reverse("registry:household:index"),
        "detail": reverse("registry:household:detail", args=[household.pk]),
        "add": reverse("registry:household:add"),
        "change": reverse("registry:household:change", args=[household.pk]),
        "member_add": reverse("registry:household:member_add", args=[household.pk]),
        "member_change": reverse(
            "registry:household:member_change", args=[household.pk, household.members.first().pk]
        ),
        "lookup": reverse("registry:household:lookup"),
        "profile": reverse("profile"),
    }[name]


@pytest.mark.parametrize("username", PERSONA_PAGES)
def test_persona_pages_have_no_english(client, world, username):
    login(client, getattr(world, username))
    seen = 0
    for name in PERSONA_PAGES[username]:
        response = client.get(page_url(name, world), follow=True)
        assert response.status_code == 200, (username, name)
        assert english_in(response.content.decode()) == [], (username, name)
        seen += 1
    assert seen == len(PERSONA_PAGES[username])


def test_status_labels_and_errors_are_chinese(client, world):
    login(client, world.caseworker1)
    page = client.get(reverse("registry:household:detail", args=[world.h_a1.pk])).content
    text = page.decode()
    assert "户主" in text and "绿色" in text and "普通劳动力" in text


def test_login_page_is_chinese(client, world):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert english_in(response.content.decode()) == []


def test_the_checker_catches_english(client, world):
    """Guard against a checker that can never fail."""
    assert english_in("<nav><a>Households</a></nav>") == ["Households"]
    assert english_in('<button aria-label="Open menu">x</button>') == ["Open menu"]
    assert english_in('<i class="material-icons">menu</i><p>搬迁户</p>') == []


def test_english_can_be_chosen(client, world):
    login(client, world.manager)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("registry:household:index")).content.decode()
    assert "Households" in page
