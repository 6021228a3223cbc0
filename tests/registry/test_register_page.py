"""The registration page: the household, its head and the other members as rows, in one POST.
Without JavaScript, 添加一行 shows the page again one row longer and a ticked remove box drops
its row; errors name the row and keep what was entered."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.audit.models import AuditEvent
from casework.registry.models import Household, Member
from tests import factories
from tests.conftest import login
from tests.workflows import helpers as h
from workflows.flows import HouseholdFlow

URL = reverse("registry:household:add")


def _row(name: str, relationship: str, **overrides) -> dict[str, str]:
    row = {
        "name": name,
        "document_type": "resident_id",
        "document_number": factories.resident_id(),
        "relationship": relationship,
        "education": "junior",
        "health": "healthy",
        "labour_capacity": "ordinary",
        "phone": "",
        "political_status": "masses",
    }
    row.update(overrides)
    return row


def _family() -> list[dict[str, str]]:
    return [
        _row("钱妻", "spouse", phone="13700002222"),
        _row("孙小军", "son", education="senior"),
        _row("李女", "daughter", in_school="on", labour_capacity="none"),
    ]


def page_data(world, rows, *, number="A1-0400", **overrides) -> dict[str, str]:
    data = {
        "number": number,
        "grid": str(world.grid_a1.pk),
        "building": "5",
        "unit": "2",
        "room": "301",
        "household_type": "lifted",
        "monitoring": "",
        "colour": "green",
        "origin_address": "崖城村3组",
        "phone": "",
        "head_name": "赵户主",
        "head_document_type": "resident_id",
        "head_document_number": factories.resident_id(),
        "head_education": "junior",
        "head_health": "healthy",
        "head_labour_capacity": "ordinary",
        "head_phone": "13700001111",
        "head_political_status": "masses",
        "members-TOTAL_FORMS": str(len(rows)),
        "members-INITIAL_FORMS": "0",
    }
    for index, row in enumerate(rows):
        data.update({f"members-{index}-{key}": value for key, value in row.items()})
    data.update(overrides)
    return data


def _total_forms(page: str) -> int:
    return int(re.search(r'name="members-TOTAL_FORMS" value="(\d+)"', page).group(1))


def test_the_page_offers_one_member_row_to_begin_with(client, world):
    login(client, world.caseworker1)
    page = client.get(URL).content.decode()
    assert _total_forms(page) == 1
    assert "第1行" in page and "添加一行" in page and "删除此行" in page
    assert "registry/member_rows.js" in page


def test_a_household_of_four_is_registered_on_one_page(client, world):
    login(client, world.caseworker1)
    family = _family()
    response = client.post(URL, page_data(world, family))
    household = Household.objects.get(number="A1-0400")
    assert response.status_code == 302
    assert response.url == reverse("registry:household:detail", args=[household.pk])
    members = {m.name: m for m in household.members.all()}
    assert set(members) == {"赵户主", "钱妻", "孙小军", "李女"}
    assert members["赵户主"].relationship == Member.Relationship.HEAD
    assert members["钱妻"].phone == "13700002222"
    assert members["孙小军"].education == "senior"
    assert members["李女"].in_school and members["李女"].labour_capacity == "none"
    assert members["李女"].document_number == family[2]["document_number"]
    assert AuditEvent.objects.filter(household_id=household.pk, action="member.add").count() == 3
    detail = client.get(response.url).content.decode()
    assert all(name in detail for name in members)


def test_the_new_households_assessment_task_lists_all_four_members(client, world):
    login(client, world.caseworker1)
    client.post(URL, page_data(world, _family()))
    household = Household.objects.get(number="A1-0400")
    task = h.open_task(h.household_process(household), HouseholdFlow.assess)
    assert client.post(h.url(task, "assign")).status_code == 302
    page = client.get(h.url(task, "execute")).content.decode()
    listed = re.findall(r'<tr data-member="(\d+)"', page)
    assert sorted(map(int, listed)) == sorted(household.members.values_list("pk", flat=True))
    assert all(name in page for name in ("赵户主", "钱妻", "孙小军", "李女"))


def test_a_bad_row_saves_nothing_and_is_named_in_chinese_keeping_the_other_rows(client, world):
    login(client, world.caseworker1)
    family = _family()
    family[1]["document_number"] = "110105194912310021"  # wrong check character
    before = (Household.objects.count(), Member.objects.count(), AuditEvent.objects.count())
    response = client.post(URL, page_data(world, family))
    assert response.status_code == 200
    page = response.content.decode()
    assert "第2行（孙小军）：证件号码" in page and "校验未通过" in page
    assert (Household.objects.count(), Member.objects.count(), AuditEvent.objects.count()) == (
        before
    )
    # Every value entered is shown again, on its own row.
    assert 'name="members-0-name" value="钱妻"' in page
    assert f'name="members-0-document_number" value="{family[0]["document_number"]}"' in page
    assert 'name="members-2-name" value="李女"' in page
    assert re.search(r'name="members-2-in_school"[^>]*checked', page)
    assert 'name="members-1-document_number" value="110105194912310021"' in page
    assert 'value="A1-0400"' in page and "赵户主" in page


def test_a_row_without_relationship_is_named_and_the_head_error_stays_on_the_head(client, world):
    login(client, world.caseworker1)
    family = _family()
    family[0]["relationship"] = ""
    data = page_data(world, family, head_phone="123")
    response = client.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "第1行（钱妻）：请选择与户主关系。" in page
    assert "联系电话 123 格式不正确" in page
    assert not Household.objects.filter(number="A1-0400").exists()


def test_the_same_document_number_twice_in_one_submission_is_refused(client, world):
    login(client, world.caseworker1)
    family = _family()
    family[2]["document_number"] = family[0]["document_number"]
    response = client.post(URL, page_data(world, family))
    page = response.content.decode()
    assert response.status_code == 200
    assert "第3行（李女）：证件号码" in page and "与第1行（钱妻）的相同" in page
    assert not Household.objects.filter(number="A1-0400").exists()
    assert not Member.objects.filter(name__in=["钱妻", "孙小军", "李女"]).exists()


def test_a_row_ticked_for_removal_is_not_registered(client, world):
    login(client, world.caseworker1)
    family = _family()
    family[1]["DELETE"] = "on"
    response = client.post(URL, page_data(world, family))
    assert response.status_code == 302
    household = Household.objects.get(number="A1-0400")
    assert sorted(household.members.values_list("name", flat=True)) == sorted(
        ["赵户主", "钱妻", "李女"]
    )


def test_shown_again_the_rows_are_numbered_without_removed_and_empty_ones(client, world):
    login(client, world.caseworker1)
    family = [*_family(), _row("", "", document_number="", education="")]
    family[0]["DELETE"] = "on"
    family[2]["relationship"] = ""
    response = client.post(URL, page_data(world, family))
    page = response.content.decode()
    assert response.status_code == 200
    # 孙小军 and 李女 are the first and second rows now, as the error says.
    assert _total_forms(page) == 2
    assert 'name="members-MAX_NUM_FORMS" value="30"' in page  # the page script reads it
    assert 'name="members-0-name" value="孙小军"' in page
    assert 'name="members-1-name" value="李女"' in page
    assert "第2行（李女）：请选择与户主关系。" in page
    assert "钱妻" not in page


def test_add_a_row_without_javascript_shows_the_page_again_one_row_longer(client, world):
    login(client, world.caseworker1)
    family = _family()[:2]
    family[1]["DELETE"] = "on"
    data = page_data(world, family, add_row="1", head_document_number="")
    response = client.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert _total_forms(page) == 2  # the removed row went, a blank one came
    assert 'name="members-0-name" value="钱妻"' in page
    assert 'name="members-1-name"' in page and "孙小军" not in page
    assert 'value="A1-0400"' in page and 'value="赵户主"' in page
    assert "errorlist" not in page and "vf-form__error" not in page  # nothing checked yet
    assert not Household.objects.filter(number="A1-0400").exists()


def test_empty_rows_are_not_registered(client, world):
    login(client, world.caseworker1)
    # What the browser sends for a row nobody typed in: the preset choices.
    blank = _row("", "", document_number="", education="")
    data = page_data(world, [_row("钱妻", "spouse"), blank])
    assert client.post(URL, data).status_code == 302
    household = Household.objects.get(number="A1-0400")
    assert household.members.count() == 2


def _post_queries(client, world, number: str, rows: int) -> int:
    family = [_row(f"成员{index}", "son") for index in range(rows)]
    with CaptureQueriesContext(connection) as queries:
        response = client.post(URL, page_data(world, family, number=number))
    assert response.status_code == 302
    return len(queries)


def test_registering_does_not_take_a_query_per_member(client, world):
    login(client, world.caseworker1)
    _post_queries(client, world, "A1-0500", 1)  # warm process-wide caches (content types)
    with_one = _post_queries(client, world, "A1-0501", 1)
    with_eight = _post_queries(client, world, "A1-0502", 8)
    assert with_eight == with_one, (with_one, with_eight)
    # Session, user, rights, checks (one for every document number), the writes, two audit
    # appends, and the household flow's start with its own events: about 60 on SQLite.
    assert with_eight <= 65, with_eight
