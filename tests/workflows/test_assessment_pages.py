"""The assessment page starts with nothing chosen, so that pressing 办结 without choosing is
refused (in Chinese, on each member's row), and the rules show on the member's row."""

import datetime

import pytest
from django.utils import timezone

from casework.cases.models import Assessment, Category
from casework.registry import services as registry_services
from tests import factories
from tests.workflows import helpers as h
from workflows.flows import HouseholdFlow

pytestmark = pytest.mark.django_db


def _unchanged(form_data):
    """What the browser sends for a page left as it was: each field's initial value."""
    return {name: value for name, value in form_data.items() if value not in (None, "")}


def _page_initials(response):
    """Every row form's and the page form's initial values, as POST data."""
    data = {}
    forms = [row for _member, row in response.context["rows"]] + [response.context["form"]]
    for form in forms:
        for field in form:
            data[field.html_name] = field.value() or ""
    return data


def test_no_category_is_preselected_and_an_unchanged_page_is_refused_per_row(client, world):
    process = h.household_process(world.h_a1)
    task = h.open_task(process, HouseholdFlow.assess)
    client.force_login(world.caseworker1)
    client.post(h.url(task, "assign"))
    page = client.get(h.url(task, "execute"))
    for _member, row in page.context["rows"]:
        assert row["category"].value() in (None, "")
        assert row["work_willing"].value() in (None, "")
        assert row["training_willing"].value() in (None, "")
    assert 'value="capable" selected' not in page.content.decode()

    response = client.post(h.url(task, "execute"), _unchanged(_page_initials(page)))
    assert response.status_code == 200
    for member, row in response.context["rows"]:
        assert row.errors["category"] == [f"请为 {member.name} 选择类别。"]
    assert "请修改标出错误的行。" in response.content.decode()
    assert not Assessment.objects.exists()
    assert h.open_nodes(process) == ["assess"]


def test_a_labour_member_needs_explicit_willingness(client, world):
    process = h.household_process(world.h_a1)
    head = world.h_a1.members.get(relationship="head")
    data = h.assessment_data(world.h_a1, {head.name: Category.CAPABLE})
    prefix = f"m{head.pk}-"
    data[prefix + "work_willing"] = data[prefix + "training_willing"] = ""
    response = h.do(client, world.caseworker1, h.open_task(process, HouseholdFlow.assess), data)
    assert response.status_code == 200
    row = {m.pk: r for m, r in response.context["rows"]}[head.pk]
    assert row.errors["work_willing"] == [f"请选择 {head.name} 是否有就业意愿。"]
    assert row.errors["training_willing"] == [f"请选择 {head.name} 是否有培训意愿。"]


def test_a_rule_broken_shows_on_the_members_row(client, world):
    today = timezone.localdate()
    young = registry_services.member_add(
        actor=world.admin,
        household=world.h_a1,
        **factories.member_data(
            name="钱少年",
            document_number=factories.resident_id(
                born=today.replace(year=today.year - 15) - datetime.timedelta(days=180)
            ),
        ),
    )
    process = h.household_process(world.h_a1)
    data = h.assessment_data(world.h_a1, {"钱少年": Category.CAPABLE})
    response = h.do(client, world.caseworker1, h.open_task(process, HouseholdFlow.assess), data)
    assert response.status_code == 200
    rows = {m.pk: r for m, r in response.context["rows"]}
    assert rows[young.pk].errors["category"] == [
        "钱少年 现年 15 周岁，未满劳动年龄（16 周岁）：应评估为非劳动力，或填写原因说明。"
    ]
    assert not any(r.errors for pk, r in rows.items() if pk != young.pk)
    assert "现年 15 周岁" in response.content.decode()
    assert not Assessment.objects.exists()

    data[f"m{young.pk}-reasons"] = "已辍学，在本地务工"
    response = client.post(h.url(h.open_task(process, HouseholdFlow.assess), "execute"), data)
    assert response.status_code == 302
    assert h.open_nodes(process) == ["review"]
