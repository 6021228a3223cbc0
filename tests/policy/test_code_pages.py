"""The code-list pages (manage/codes/) and the switch of forms and display to the lists: a code
added on the page is offered and accepted, an ended one is no longer offered while old records
keep its label, and the dashboard counts a new channel in its 七个一批 group."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from casework.audit.models import AuditEvent
from casework.cases.models import Category
from casework.placement.models import Placement
from casework.placement.services import placement_problems
from casework.policy.models import Code
from casework.registry.models import Site
from casework.reports.casefile.data import casefile_data
from casework.reports.dashboard.figures import dashboard_figures
from casework.training.forms import CourseForm
from casework.training.services import course_create
from tests.workflows import helpers as h
from workflows.flows import EmploymentFlow

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
MONTH_AGO = TODAY - datetime.timedelta(days=30)


def _add_channel(client, world, code="ecommerce", label="电商直播带货", start=MONTH_AGO):
    client.force_login(world.admin)
    return client.post(
        reverse("manage:codes:add", args=["channel"]),
        {
            "code": code,
            "label": label,
            "group": "企业吸纳",
            "group_five": "",
            "national_label": "就地就近就业",
            "sort_order": "200",
            "valid_from": start.isoformat(),
        },
    )


@pytest.fixture
def placement_task(world, assessed):
    case = assessed(Category.CAPABLE)
    return h.open_task(h.employment_process(case), EmploymentFlow.placement)


def _offered(client, world, task):
    client.force_login(world.caseworker1)
    assert client.post(h.url(task, "assign")).status_code == 302
    response = client.get(h.url(task, "execute"))
    return dict(response.context["form"].fields["channel"].choices)


def test_it_lists_every_code_list_for_the_administrator(client, world):
    client.force_login(world.admin)
    page = client.get(reverse("manage:codes:index")).content.decode()
    for label in ("就业渠道", "工种", "公益性岗位退岗原因", "未就业原因", "结对类型"):
        assert label in page
    channels = client.get(reverse("manage:codes:list", args=["channel"])).content.decode()
    assert "就业帮扶车间、社区工厂、园区工厂" in channels and "工厂和园区" in channels
    assert reverse("manage:codes:add", args=["channel"]) in channels


def test_managers_read_the_lists_but_may_not_change_them(client, world):
    client.force_login(world.manager)
    assert client.get(reverse("manage:codes:index")).status_code == 200
    page = client.get(reverse("manage:codes:list", args=["trade"]))
    assert page.status_code == 200
    assert reverse("manage:codes:add", args=["trade"]) not in page.content.decode()
    cooking = Code.objects.get(list_name="trade", code="cooking")
    assert client.get(reverse("manage:codes:add", args=["trade"])).status_code == 403
    assert (
        client.post(
            reverse("manage:codes:end", args=["trade", cooking.pk]), {"on": TODAY.isoformat()}
        ).status_code
        == 403
    )
    cooking.refresh_from_db()
    assert cooking.valid_to is None


def test_caseworkers_do_not_see_the_lists(client, world):
    client.force_login(world.caseworker1)
    assert client.get(reverse("manage:codes:index")).status_code == 403
    assert client.get(reverse("manage:codes:list", args=["channel"])).status_code == 403


def test_an_unknown_list_is_not_found(client, world):
    client.force_login(world.admin)
    assert client.get(reverse("manage:codes:list", args=["colours"])).status_code == 404


def test_a_code_added_on_the_page_is_offered_and_accepted_by_the_placement(
    client, world, placement_task
):
    response = _add_channel(client, world)
    assert response.status_code == 302
    code = Code.objects.get(list_name="channel", code="ecommerce")
    assert (code.label, code.group, code.valid_from) == ("电商直播带货", "企业吸纳", MONTH_AGO)
    event = AuditEvent.objects.get(action="code.add")
    assert event.actor_id == world.admin.pk
    assert _offered(client, world, placement_task)["ecommerce"] == "电商直播带货"
    posted = h.do(client, world.caseworker1, placement_task, h.placement_data(channel="ecommerce"))
    assert posted.status_code == 302, posted.content.decode()[:1500]
    placement = Placement.objects.get()
    assert placement.channel == "ecommerce"
    assert placement.get_channel_display() == "电商直播带货"


def test_an_ended_code_is_not_offered_but_old_records_keep_its_label(client, world, placement_task):
    _add_channel(client, world)
    h.do(client, world.caseworker1, placement_task, h.placement_data(channel="ecommerce"))
    placement = Placement.objects.get()
    code = Code.objects.get(list_name="channel", code="ecommerce")
    client.force_login(world.admin)
    yesterday = TODAY - datetime.timedelta(days=1)
    response = client.post(
        reverse("manage:codes:end", args=["channel", code.pk]), {"on": yesterday.isoformat()}
    )
    assert response.status_code == 302
    code.refresh_from_db()
    assert code.valid_to == yesterday
    assert AuditEvent.objects.filter(action="code.end", actor_id=world.admin.pk).count() == 1
    # Not offered any more (another member's placement form) …
    errors, _warnings = placement_problems(
        channel="ecommerce", location_class="county", monthly_income=None,
        employer_name="x", industry="x", organised_transport=False, on=TODAY,
    )  # fmt: skip
    assert "channel" in errors
    # … while the record keeps its label, on the model and in the case file.
    placement.refresh_from_db()
    assert placement.get_channel_display() == "电商直播带货"
    data = casefile_data(placement.member.household, viewer=world.admin)
    assert data.placements[0].get_channel_display() == "电商直播带货"
    recorded = [e for e in data.history if e.action == "placement.create"]
    assert "电商直播带货" in {after for _label, _before, after in recorded[0].changes}
    page = client.get(reverse("manage:codes:list", args=["channel"])).content.decode()
    assert "已停用" in page


def test_the_dashboard_counts_a_new_channel_in_its_group(client, world, placement_task):
    _add_channel(client, world)
    h.do(client, world.caseworker1, placement_task, h.placement_data(channel="ecommerce"))
    figures = dashboard_figures(sites=Site.objects.all())
    by_channel = {t.code: t.count for t in figures.by_channel}
    by_group = {t.code: t.count for t in figures.by_group}
    assert by_channel["ecommerce"] == 1
    assert by_group["企业吸纳"] == 1
    assert sum(by_group.values()) == sum(by_channel.values())


def test_a_change_on_the_page_relabels_old_records_and_is_audited_once(client, world):
    cooking = Code.objects.get(list_name="trade", code="cooking")
    client.force_login(world.admin)
    response = client.post(
        reverse("manage:codes:change", args=["trade", cooking.pk]),
        {"label": "中式烹调", "sort_order": "10", "valid_from": "2021-01-01", "valid_to": ""},
    )
    assert response.status_code == 302
    cooking.refresh_from_db()
    assert cooking.label == "中式烹调"
    event = AuditEvent.objects.get(action="code.change")
    assert event.actor_id == world.admin.pk and event.changes == {"label": ["烹饪", "中式烹调"]}


def test_a_code_already_in_the_list_is_refused_in_chinese(client, world):
    response = _add_channel(client, world, code="workshop", label="车间")
    assert response.status_code == 200
    assert "该代码表中已有此代码。" in response.content.decode()
    assert not AuditEvent.objects.filter(action="code.add").exists()


def test_an_ended_trade_is_not_offered_for_courses_and_refused_by_the_service(world):
    noodles = Code.objects.get(list_name="trade", code="noodles")
    noodles.valid_to = TODAY - datetime.timedelta(days=1)
    noodles.save()
    form = CourseForm(sites=Site.objects.all())
    assert "noodles" not in dict(form.fields["trade"].choices)
    with pytest.raises(ValidationError) as refused:
        course_create(
            actor=world.admin, name="拉面班", trade="noodles", site=world.site_a,
            start_date=TODAY, end_date=TODAY + datetime.timedelta(days=10),
        )  # fmt: skip
    assert "trade" in refused.value.message_dict
