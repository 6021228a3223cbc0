"""Statuses that say what has happened: a 需培训 and a 三无 member walked through their stages, with
the label read at each stage on the household page and in the employment ledger."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework.cases.models import Category, EmploymentCase
from casework.training.models import Enrolment
from tests.workflows import helpers as h
from workflows.services import scheduler_tick

EF = h.EmploymentFlow
pytestmark = pytest.mark.django_db


def labels(client, world):
    """The head's state label on the household page and in the employment ledger."""
    client.force_login(world.manager)
    page = client.get(reverse("registry:household:detail", args=[world.h_a1.pk]))
    text = page.content.decode()
    progress = text[text.index('data-test="progress"') :]
    ledger = client.post(reverse("registry:household:ledger"))
    rows = list(load_workbook(io.BytesIO(ledger.content)).active.iter_rows(values_only=True))
    header = rows[0]
    (state,) = [
        dict(zip(header, row, strict=True))["就业状态"]
        for row in rows[1:]
        if dict(zip(header, row, strict=True))["姓名"] == "甲户主"
    ]
    return progress, state


def assert_label(client, world, label):
    progress, ledger_state = labels(client, world)
    assert ledger_state == label
    # The state cell (it carries its label for the phone layout: data-label="状态").
    assert re.search(f'<td class="vf-list__table-cell"[^>]*>{label}', progress), progress[:1500]


def test_a_member_who_needs_training_is_labelled_at_each_stage(client, world, assessed, course):
    case = assessed(Category.TRAINING)
    process = h.employment_process(case)
    assert_label(client, world, "待报名培训")

    h.do(
        client,
        world.caseworker1,
        h.open_task(process, EF.enrol),
        {"outcome": "enrol", "course": course.pk, "joined_on": course.start_date.isoformat()},
    )
    assert_label(client, world, "培训中")

    enrolment = Enrolment.objects.get(case=case)
    client.force_login(world.trainer)
    client.post(
        reverse("training:course:attendance", args=[course.pk]),
        {"date": course.start_date.isoformat(), "hours": "4", "present": [str(enrolment.pk)]},
    )
    prefix = f"e{enrolment.pk}-"
    response = client.post(
        reverse("training:course:results", args=[course.pk]),
        {
            prefix + "result": "passed",
            prefix + "certificate_type": "skill_level",
            prefix + "certificate_number": "C00001",
        },
    )
    assert response.status_code == 302
    assert_label(client, world, "待就业")

    h.do(client, world.caseworker1, h.open_task(process, EF.placement), h.placement_data())
    assert_label(client, world, "已就业")


def test_a_three_nos_member_is_labelled_at_each_stage(client, world, assessed, welfare_post):
    case = assessed(Category.THREE_NO)
    process = h.employment_process(case)
    assert_label(client, world, "待申请公益岗")

    h.do(
        client,
        world.caseworker1,
        h.open_task(process, EF.post_application),
        {"outcome": "apply", "post": welfare_post.pk, "note": "愿意做保洁"},
    )
    assert_label(client, world, "公益岗待审批")

    starts = timezone.localdate() + datetime.timedelta(days=10)
    response = h.do(
        client,
        world.manager,
        h.open_task(process, EF.post_approval),
        {"decision": "approve", "start_date": starts.isoformat()},
    )
    assert response.status_code == 302
    # On public notice, the case still awaits the post; the notice passed, it is approved.
    assert h.open_nodes(process) == ["post_notice"]
    assert_label(client, world, "公益岗待审批")
    assert h.notice_pass(client, world.caseworker1, process).status_code == 302
    assert_label(client, world, "公益岗已批准待上岗")
    assert h.open_nodes(process) == ["wait_post_start"]

    # The start date comes: the timer puts the member on the post.
    timer = Task.objects.get(process=process, flow_task=EF.wait_post_start)
    assert timer.status == STATUS.SCHEDULED
    assert timezone.localtime(timer.scheduled).date() == starts
    h.make_timer_due(process)
    scheduler_tick()
    case.refresh_from_db()
    assert case.state == EmploymentCase.State.ON_POST and case.work_episode == 1
    assert_label(client, world, "公益岗在岗")
    assert h.open_nodes(process) == ["wait_followup"]


def test_a_post_starting_today_is_on_the_post_at_once(client, world, assessed, welfare_post):
    case = assessed(Category.THREE_NO)
    process = h.employment_process(case)
    h.do(
        client,
        world.caseworker1,
        h.open_task(process, EF.post_application),
        {"outcome": "apply", "post": welfare_post.pk},
    )
    h.do(
        client,
        world.manager,
        h.open_task(process, EF.post_approval),
        {"decision": "approve", "start_date": timezone.localdate().isoformat()},
    )
    h.notice_pass(client, world.caseworker1, process)
    case.refresh_from_db()
    assert case.state == EmploymentCase.State.ON_POST
    assert_label(client, world, "公益岗在岗")
