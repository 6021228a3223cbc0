"""Registering and editing through the screens: services do the writes, errors are Chinese."""

from django.urls import reverse

from casework.audit.models import AuditEvent
from casework.registry.models import Household, Member
from tests import factories
from tests.conftest import login


def register_form(world, **overrides):
    data = {
        "number": "A1-0200",
        "grid": world.grid_a1.pk,
        "building": "3",
        "unit": "1",
        "room": "502",
        "household_type": "lifted",
        "monitoring": "",
        "colour": "yellow",
        "origin_address": "崖城村3组",
        "phone": "",
        "head_name": "孙户主",
        "head_document_type": "resident_id",
        "head_document_number": factories.resident_id(),
        "head_education": "junior",
        "head_health": "healthy",
        "head_labour_capacity": "ordinary",
        "head_phone": "13700001234",
        "head_political_status": "masses",
        # No member rows besides the head (the page's row formset).
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_caseworker_registers_a_household(client, world):
    login(client, world.caseworker1)
    response = client.post(reverse("registry:household:add"), register_form(world))
    household = Household.objects.get(number="A1-0200")
    assert response.status_code == 302
    assert response.url == reverse("registry:household:detail", args=[household.pk])
    assert household.members.get().relationship == Member.Relationship.HEAD
    assert (
        AuditEvent.objects.filter(
            action="household.register", object_id=household.pk, actor=world.caseworker1
        ).count()
        == 1
    )


def test_bad_input_is_explained_in_chinese_and_nothing_is_saved(client, world):
    login(client, world.caseworker1)
    data = register_form(world, head_document_number="110105194912310021", head_phone="123")
    response = client.post(reverse("registry:household:add"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "证件号码校验未通过" in page
    assert "联系电话 123 格式不正确" in page
    assert not Household.objects.filter(number="A1-0200").exists()


def test_grid_choices_are_limited_to_own_grids(client, world):
    login(client, world.caseworker1)
    response = client.post(
        reverse("registry:household:add"), register_form(world, grid=world.grid_a2.pk)
    )
    assert response.status_code == 200
    assert not Household.objects.filter(number="A1-0200").exists()


def test_member_edit_keeps_masked_data_unless_reentered(client, world):
    login(client, world.caseworker1)
    member = world.h_a1.members.exclude(relationship="head").first()
    number, phone = member.document_number, member.phone
    url = reverse("registry:household:member_change", args=[world.h_a1.pk, member.pk])
    page = client.get(url).content.decode()
    assert number not in page and phone not in page
    response = client.post(
        url,
        {
            "name": "新名字",
            "document_type": "resident_id",
            "document_number": "",
            "relationship": "daughter",
            "education": "",
            "health": "healthy",
            "labour_capacity": "skilled",
            "phone": "",
            "political_status": "masses",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.name, member.document_number, member.phone) == ("新名字", number, phone)
    assert member.labour_capacity == "skilled"
