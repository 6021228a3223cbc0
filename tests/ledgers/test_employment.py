"""The employment ledger export: one row per labour member, with the expected values for a
known household (acceptance 4 of the placement issue)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from casework.audit.models import AuditEvent
from casework.cases.models import Category
from tests.workflows import helpers as h
from workflows.flows import EmploymentFlow

pytestmark = pytest.mark.django_db


def _sheet(response):
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    return [dict(zip(header, row, strict=True)) for row in body]


def test_the_ledger_has_one_row_per_labour_member_with_the_expected_values(client, world, assessed):
    case = assessed(Category.CAPABLE)  # A1-0001: the head capable, the other two not labour
    task = h.open_task(h.employment_process(case), EmploymentFlow.placement)
    h.do(client, world.caseworker1, task, h.placement_data(channel="workshop"))

    client.force_login(world.caseworker1)
    response = client.post(reverse("registry:household:ledger"))
    assert response.status_code == 200
    rows = _sheet(response)
    assert len(rows) == 1  # caseworker1 sees grid A1 only, and A1-0001 has one labour member
    row = rows[0]
    head = world.h_a1.members.get(relationship="head")
    expected = {
        "户编号": "A1-0001",
        "姓名": "甲户主",
        "户主姓名": "甲户主",
        "家庭人口数": 3,
        "劳动力人数": 1,
        "已就业人数": 1,
        "评估分类": "能人",
        "就业状态": "已就业",
        "就业渠道": "就业帮扶车间、社区工厂、园区工厂",
        "七个一批": "工厂和园区",
        "五个一批": "就业帮扶车间",
        "就业单位": "礼县扶贫车间",
        "所属行业": "制造业",
        "就业地域": "县内",
        "务工月收入": 2800,
        "合同月数": 12,
        "是否点对点输送": "否",
        "安置点": "安置点A",
    }
    assert {key: row[key] for key in expected} == expected
    assert row["身份证号"] != head.document_number and "*" in row["身份证号"]
    assert row["联系电话"] == "138****5678"
    assert AuditEvent.objects.filter(action="ledger.export", actor=world.caseworker1).count() == 1


def test_unassessed_labour_members_are_listed_and_the_manager_sees_the_site(client, world):
    client.force_login(world.manager)
    rows = _sheet(client.post(reverse("registry:household:ledger")))
    numbers = sorted(row["户编号"] for row in rows)
    # A1-0001 and A2-0001 not yet assessed: every member of working capacity is listed.
    assert numbers == ["A1-0001"] * 3 + ["A2-0001"] * 2
    assert {row["就业状态"] for row in rows} == {"待摸底"}


def test_full_numbers_only_by_post_for_holders_of_the_personal_data_right(client, world):
    url = reverse("registry:household:ledger")
    client.force_login(world.caseworker1)
    assert client.post(url, {"unmasked": "1"}).status_code == 403
    client.force_login(world.manager)
    rows = _sheet(client.post(url, {"unmasked": "1"}))
    head = world.h_a1.members.get(relationship="head")
    assert head.document_number in {row["身份证号"] for row in rows}
    assert AuditEvent.objects.filter(action="ledger.export_unmasked").count() == 1
    client.force_login(world.helper)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403


def test_the_menu_link_only_asks_and_the_form_posts_the_download(client, world):
    """The list menu's link is a GET (viewflow's menu fetches it with Turbo, twice for a file;
    any site could put it in an <img>): it shows a page whose form POSTs, and records nothing."""
    url = reverse("registry:household:ledger")
    client.force_login(world.caseworker1)
    page = client.get(url)
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    text = page.content.decode()
    assert f'method="POST" action="{url}"' in text and "csrfmiddlewaretoken" in text
    assert not AuditEvent.objects.filter(action__startswith="ledger.export").exists()
    assert _sheet(client.post(url))
    assert AuditEvent.objects.filter(action="ledger.export").count() == 1


def test_full_numbers_never_for_households_only_visited(client, world):
    from guardian.shortcuts import assign_perm

    from casework import permissions

    assign_perm(permissions.VISIT_HOUSEHOLD, world.manager, world.h_b1)  # site B, visit only
    client.force_login(world.manager)
    rows = _sheet(client.post(reverse("registry:household:ledger"), {"unmasked": "1"}))
    by_number = {row["户编号"]: row for row in rows}
    b1_head = world.h_b1.members.get(relationship="head")
    assert "*" in by_number["B1-0001"]["身份证号"]
    assert b1_head.document_number not in {row["身份证号"] for row in rows}
    a1_head = world.h_a1.members.get(relationship="head")
    assert a1_head.document_number in {row["身份证号"] for row in rows}


def test_a_post_holder_shows_the_post_not_an_old_job(client, world, assessed, welfare_post):
    case = assessed(Category.CAPABLE)
    process = h.employment_process(case)
    h.do(client, world.caseworker1, h.open_task(process, EmploymentFlow.placement),
         h.placement_data())  # fmt: skip
    h.make_timer_due(process)
    from workflows.services import scheduler_tick

    scheduler_tick()
    h.do(client, world.caseworker1, h.open_task(process, EmploymentFlow.retention_followup),
         {"still_working": "no", "note": "工厂关停"})  # fmt: skip
    h.do(client, world.caseworker1, h.open_task(process, EmploymentFlow.placement),
         {"outcome": "refused", "refusal_reason": "身体变差"})  # fmt: skip
    h.do(client, world.caseworker1, h.open_task(process, EmploymentFlow.reassess),
         h.assessment_entry(Category.THREE_NO, labour_capacity="weak"))  # fmt: skip
    h.do(client, world.manager, h.open_task(process, EmploymentFlow.reassess_review),
         {"decision": "approve"})  # fmt: skip
    h.do(client, world.caseworker1, h.open_task(process, EmploymentFlow.post_application),
         {"outcome": "apply", "post": welfare_post.pk})  # fmt: skip
    from django.utils import timezone

    h.do(client, world.manager, h.open_task(process, EmploymentFlow.post_approval),
         {"decision": "approve", "start_date": timezone.localdate().isoformat()})  # fmt: skip
    h.notice_pass(client, world.caseworker1, process)
    client.force_login(world.caseworker1)
    (row,) = _sheet(client.post(reverse("registry:household:ledger")))
    assert (row["就业状态"], row["就业渠道"], row["五个一批"]) == (
        "公益岗在岗",
        "公益性岗位",
        "公益性岗位",
    )
    assert row["公益性岗位"] == "社区保洁员" and row["就业单位"] in ("", None)
