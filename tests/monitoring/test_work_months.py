"""务工月监测: a grid's month entered in one form, pre-filled from each member's current work;
closed by the site's manager, after which nothing changes; its working share on the dashboard."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from casework.audit.models import AuditEvent
from casework.audit.verify import verify_chain
from casework.cases.models import Category, EmploymentCase
from casework.monitoring.models import MonthlyWorkRecord, NotWorkingReason, WorkMonthClosure
from casework.monitoring.selectors import (
    NOTHING,
    PLACEMENT,
    POST,
    PREVIOUS,
    RECORDED,
    month_before,
    month_of,
    work_month_roster,
    work_month_share,
)
from casework.monitoring.services import (
    WorkMonthEntry,
    work_month_close,
    work_month_record,
)
from casework.monitoring.services.work_months import MONTH_CLOSED
from casework.placement.services import placement_record
from casework.registry.models import Site
from tests import factories
from tests.conftest import login
from tests.workflows import helpers as h
from workflows.flows import EmploymentFlow
from workflows.services import task_complete

pytestmark = pytest.mark.django_db


def last_month() -> datetime.date:
    """The month before this one, read when a test runs (a suite may cross midnight)."""
    return month_before(month_of(timezone.localdate()))


def _url(grid, month=None):
    month = month or last_month()
    return reverse("work_months:grid", args=[grid.pk, f"{month:%Y-%m}"])


def _grid_of_16(world):
    """Sixteen more households in grid A1, each a head able to work."""
    for n in range(16):
        factories.household(
            world.admin, world.grid_a1, number=f"A1-M{n:03d}",
            head=factories.member_data(name=f"务工{n:02d}"),
        )  # fmt: skip
    return world.grid_a1


def _posted(response_or_formset_page, changes=None):
    """The form's own data (every line as pre-filled), with ``changes`` by (line, field)."""
    formset = response_or_formset_page.context["formset"]
    data = {
        f"{formset.prefix}-TOTAL_FORMS": str(formset.total_form_count()),
        f"{formset.prefix}-INITIAL_FORMS": str(formset.initial_form_count()),
    }
    for index, form in enumerate(formset.forms):
        for name in form.fields:
            value = form.initial.get(name, "")
            data[f"{formset.prefix}-{index}-{name}"] = "" if value is None else str(value)
    for (index, name), value in (changes or {}).items():
        data[f"{formset.prefix}-{index}-{name}"] = value
    return data


def _not_working(lines, reason=NotWorkingReason.SEEKING):
    return {(i, "not_working_reason"): reason for i in lines}


def test_a_caseworker_confirms_a_grid_of_16_households_in_one_form(client, world):
    grid = _grid_of_16(world)
    login(client, world.caseworker1)
    page = client.get(_url(grid))
    assert page.status_code == 200
    rows = page.context["lines"]
    assert len(rows) >= 16
    assert {row.source for row, _f, _s in rows} == {NOTHING}
    events_before = AuditEvent.objects.count()
    response = client.post(_url(grid), _posted(page, _not_working(range(len(rows)))))
    assert response.status_code == 302
    assert MonthlyWorkRecord.objects.filter(month=last_month()).count() == len(rows)
    assert AuditEvent.objects.count() - events_before == len(rows)
    assert set(
        AuditEvent.objects.order_by("-seq")[: len(rows)].values_list("action", flat=True)
    ) == {"work_month.create"}
    assert verify_chain().ok
    # Saving the same month again, unchanged, writes nothing.
    again = client.get(_url(grid))
    assert {row.source for row, _f, _s in again.context["lines"]} == {RECORDED}
    saved = client.post(_url(grid), _posted(again), follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "写入 0 条记录" in saved.content.decode()
    assert AuditEvent.objects.count() - events_before == len(rows)


def test_a_bad_line_is_shown_in_chinese_on_its_field_and_nothing_is_written(client, world):
    grid = _grid_of_16(world)
    login(client, world.caseworker1)
    page = client.get(_url(grid))
    rows = len(page.context["lines"])
    changes = {**_not_working(range(1, rows)), (0, "working"): "1"}  # working, no income
    response = client.post(_url(grid), _posted(page, changes), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    form = response.context["formset"].forms[0]
    assert "monthly_income" in form.errors and "days_worked" in form.errors
    assert "请输入本月务工收入" in str(form.errors)
    assert "有 1 行需要修改" in response.content.decode()
    assert not MonthlyWorkRecord.objects.exists()


def test_an_income_outside_the_plausible_range_is_refused(world):
    grid = _grid_of_16(world)
    member = work_month_roster(grid, last_month())[0].member
    entry = WorkMonthEntry(
        member_id=member.pk, working=True, location_class="county", channel="workshop",
        employer_name="社区工厂", monthly_income=Decimal("50000"), days_worked=20,
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        work_month_record(actor=world.caseworker1, grid=grid, month=last_month(), entries=[entry])
    assert "月收入应在 100 至 30000 元之间" in str(refused.value)
    assert not MonthlyWorkRecord.objects.exists()


def test_a_member_in_work_is_prefilled_from_the_job_and_a_jobless_one_from_last_month(
    world, assessed
):
    case = assessed(Category.CAPABLE)
    task = h.open_task(h.employment_process(case), EmploymentFlow.placement)
    start = last_month() + datetime.timedelta(days=9)
    task_complete(
        task=task, actor=world.caseworker1,
        perform=lambda: placement_record(
            actor=world.caseworker1, case=EmploymentCase.objects.get(pk=case.pk),
            channel="workshop", employer_name="礼县扶贫车间", start_date=start,
            location_class="county", monthly_income=Decimal("2600"), industry="制造业",
            organised_transport=False, accept_warnings=True,
        ),
    )  # fmt: skip
    factories.household(world.admin, world.grid_a1, number="A1-M900")
    rows = {row.member.pk: row for row in work_month_roster(world.grid_a1, last_month())}
    job = rows[case.member_id]
    assert job.source == PLACEMENT
    assert job.values["working"] is True
    assert (job.values["employer_name"], job.values["monthly_income"]) == (
        "礼县扶贫车间",
        Decimal("2600"),
    )
    # Worked from the 10th: the days left in the month.
    last_day = (
        month_of(last_month() + datetime.timedelta(days=32)) - datetime.timedelta(days=1)
    ).day
    assert job.values["days_worked"] == last_day - 9
    # Another member, not working two months ago: last month's line says so again.
    other = next(pk for pk in rows if pk != case.member_id)
    before = month_before(last_month())
    work_month_record(
        actor=world.caseworker1, grid=world.grid_a1, month=before,
        entries=[WorkMonthEntry(member_id=other, working=False, not_working_reason="care")],
    )  # fmt: skip
    again = {row.member.pk: row for row in work_month_roster(world.grid_a1, last_month())}
    assert again[other].source == PREVIOUS
    assert again[other].values["not_working_reason"] == "care"


def test_after_the_manager_closes_the_month_the_form_refuses_edits(client, world):
    grid = _grid_of_16(world)
    login(client, world.caseworker1)
    page = client.get(_url(grid))
    rows = len(page.context["lines"])
    assert client.post(_url(grid), _posted(page, _not_working(range(rows)))).status_code == 302
    assert MonthlyWorkRecord.objects.filter(month=last_month()).count() == rows
    login(client, world.manager)
    close_url = reverse("work_months:close", args=[grid.site_id, f"{last_month():%Y-%m}"])
    assert client.get(close_url).status_code == 200
    assert client.post(close_url).status_code == 302
    assert WorkMonthClosure.objects.filter(site=grid.site, month=last_month()).exists()
    events = AuditEvent.objects.filter(action="work_month.close")
    assert events.count() == 1
    login(client, world.caseworker1)
    page = client.get(_url(grid))
    assert page.context["closed"] is True
    assert b'data-test="save"' not in page.content
    changed = _posted(page, {**_not_working(range(rows)), (0, "not_working_reason"): "ill"})
    response = client.post(_url(grid), changed)
    assert response.status_code == 302
    assert not MonthlyWorkRecord.objects.filter(not_working_reason="ill").exists()
    # The service refuses it too, whoever calls it.
    member = page.context["lines"][0][0].member
    with pytest.raises(ValidationError) as refused:
        work_month_record(
            actor=world.caseworker1, grid=grid, month=last_month(),
            entries=[WorkMonthEntry(member_id=member.pk, working=False, not_working_reason="ill")],
        )  # fmt: skip
    assert refused.value.messages == [str(MONTH_CLOSED)]


def test_only_a_month_that_has_ended_is_closed_and_only_once(world):
    this_month = month_of(timezone.localdate())
    with pytest.raises(ValidationError):
        work_month_close(actor=world.manager, site=world.site_a, month=this_month)
    work_month_close(actor=world.manager, site=world.site_a, month=last_month())
    with pytest.raises(ValidationError):
        work_month_close(actor=world.manager, site=world.site_a, month=last_month())


@pytest.mark.parametrize("persona", ["caseworker2", "helper", "trainer", "outsider"])
def test_nobody_outside_the_grid_enters_its_month(client, world, persona):
    login(client, getattr(world, persona))
    assert client.get(_url(world.grid_a1)).status_code in (403, 404)
    member = world.h_a1.members.first()
    entry = WorkMonthEntry(member_id=member.pk, working=False, not_working_reason="care")
    with pytest.raises(PermissionDenied):
        work_month_record(
            actor=getattr(world, persona), grid=world.grid_a1, month=last_month(), entries=[entry]
        )


def test_a_caseworker_does_not_close_months(client, world):
    login(client, world.caseworker1)
    close_url = reverse("work_months:close", args=[world.site_a.pk, f"{last_month():%Y-%m}"])
    assert client.post(close_url).status_code == 404
    with pytest.raises(PermissionDenied):
        work_month_close(actor=world.caseworker1, site=world.site_a, month=last_month())


def test_a_month_not_begun_or_past_the_open_months_is_not_offered(client, world):
    login(client, world.caseworker1)
    next_month = month_of(month_of(timezone.localdate()) + datetime.timedelta(days=32))
    assert client.get(_url(world.grid_a1, next_month)).status_code == 404
    old = month_of(timezone.localdate() - datetime.timedelta(days=400))
    assert client.get(_url(world.grid_a1, old)).status_code == 404
    bad = reverse("work_months:grid", args=[world.grid_a1.pk, "2026-13"])
    assert client.get(bad).status_code == 404


def test_the_roster_costs_the_same_queries_for_16_or_32_households(
    world, django_assert_num_queries
):
    grid = _grid_of_16(world)
    work_month_roster(grid, last_month())
    with django_assert_num_queries(6):
        work_month_roster(grid, last_month())
    for n in range(16):
        factories.household(world.admin, grid, number=f"A1-N{n:03d}")
    with django_assert_num_queries(6):
        assert len(work_month_roster(grid, last_month())) >= 32


def test_the_dashboard_shows_the_months_working_share(client, world):
    grid = _grid_of_16(world)
    rows = work_month_roster(grid, last_month())
    entries = [
        WorkMonthEntry(
            member_id=row.member.pk,
            working=True,
            location_class="county",
            channel="workshop",
            employer_name="社区工厂",
            monthly_income=Decimal("2400"),
            days_worked=20,
        )  # fmt: skip
        if index < 4
        else WorkMonthEntry(member_id=row.member.pk, working=False, not_working_reason="care")
        for index, row in enumerate(rows)
    ]
    work_month_record(actor=world.caseworker1, grid=grid, month=last_month(), entries=entries)
    # Site B's month is not site A's.
    b_head = world.h_b1.members.get()
    work_month_record(
        actor=world.admin, grid=world.grid_b1, month=last_month(),
        entries=[WorkMonthEntry(member_id=b_head.pk, working=False, not_working_reason="ill")],
    )  # fmt: skip
    share = work_month_share(Site.objects.filter(pk=world.site_a.pk), last_month())
    assert (share.working, share.recorded) == (4, len(rows))
    login(client, world.manager)
    page = client.get(reverse("dashboard:index"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-test="work-month-share"' in text
    assert f"{last_month():%Y-%m}" in text
    assert f"4 / {len(rows)}" in text


def test_the_case_file_and_history_show_the_households_work_months(client, world, tmp_path):
    from tests.reports.casefile.test_casefile import pdftotext

    household = factories.household(
        world.admin, world.grid_a1, number="A1-M800", head=factories.member_data(name="案卷户主")
    )
    head = household.members.get()
    entry = WorkMonthEntry(
        member_id=head.pk, working=True, location_class="county", channel="workshop",
        employer_name="安康社区工厂", monthly_income=Decimal("3100"), days_worked=21,
    )  # fmt: skip
    work_month_record(
        actor=world.caseworker1, grid=world.grid_a1, month=last_month(), entries=[entry]
    )
    login(client, world.manager)
    history = client.get(f"/registry/household/{household.pk}/history/")
    assert "录入务工月监测记录" in history.content.decode()
    response = client.post(f"/registry/household/{household.pk}/casefile/")
    assert response.status_code == 200
    text = pdftotext(response.content, tmp_path)
    section = text[text.index("务工月监测") :]
    assert f"{last_month():%Y-%m}" in section
    assert "安康社区工厂" in section and "3100" in section and "21 天" in section


def test_a_line_saved_by_a_colleague_since_the_page_was_opened_is_not_overwritten(client, world):
    grid = _grid_of_16(world)
    login(client, world.caseworker1)
    page = client.get(_url(grid))
    rows = len(page.context["lines"])
    client.post(_url(grid), _posted(page, _not_working(range(rows))))
    stale = client.get(_url(grid))  # caseworker1 opens the month again ...
    login(client, world.manager)  # ... and meanwhile the manager corrects the first line
    fresh = client.get(_url(grid))
    client.post(_url(grid), _posted(fresh, {(0, "not_working_reason"): "ill"}))
    first = fresh.context["lines"][0][0].member
    assert MonthlyWorkRecord.objects.get(member=first).not_working_reason == "ill"
    login(client, world.caseworker1)
    response = client.post(
        _url(grid), _posted(stale, {(1, "not_working_reason"): "school"}),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )  # fmt: skip
    assert response.status_code == 200
    assert "有人保存了本月记录" in response.content.decode()
    assert MonthlyWorkRecord.objects.get(member=first).not_working_reason == "ill"
    assert not MonthlyWorkRecord.objects.filter(not_working_reason="school").exists()


def test_a_roster_changed_since_the_page_was_opened_or_a_tampered_form_writes_nothing(
    client, world
):
    grid = _grid_of_16(world)
    login(client, world.caseworker1)
    page = client.get(_url(grid))
    data = _posted(page, _not_working(range(len(page.context["lines"]))))
    factories.household(world.admin, grid, number="A1-M999")  # one more member since
    response = client.post(_url(grid), data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert "名单有变化" in response.content.decode()
    assert not MonthlyWorkRecord.objects.exists()
    for tampered in (
        {k: v for k, v in data.items() if not k.endswith("TOTAL_FORMS")},
        {**data, "line-TOTAL_FORMS": str(int(data["line-TOTAL_FORMS"]) + 3)},
    ):
        assert client.post(_url(grid), tampered).status_code == 200
    assert not MonthlyWorkRecord.objects.exists()


def test_a_member_on_two_lines_is_refused(world):
    grid = _grid_of_16(world)
    member = work_month_roster(grid, last_month())[0].member
    line = WorkMonthEntry(member_id=member.pk, working=False, not_working_reason="care")
    with pytest.raises(ValidationError) as refused:
        work_month_record(
            actor=world.caseworker1, grid=grid, month=last_month(), entries=[line, line]
        )
    assert refused.value.messages == ["同一成员出现在多行。"]
    assert not MonthlyWorkRecord.objects.exists()


def test_the_create_event_names_the_household_the_month_and_only_what_was_given(world):
    grid = _grid_of_16(world)
    member = work_month_roster(grid, last_month())[0].member
    line = WorkMonthEntry(member_id=member.pk, working=False, not_working_reason="care")
    work_month_record(actor=world.caseworker1, grid=grid, month=last_month(), entries=[line])
    event = AuditEvent.objects.get(action="work_month.create")
    assert event.household_id == member.household_id
    assert event.changes == {
        "working": [None, False],
        "not_working_reason": [None, "care"],
        "month": [None, f"{last_month():%Y-%m-%d}"],
    }


def test_a_public_welfare_post_prefills_only_the_months_it_was_held(world, assessed, welfare_post):
    from casework.posts.models import PostAssignment
    from tests.posts.test_posts import _apply, _decide, _three_no

    case = _three_no(world, assessed, "A1-P001")
    _apply(world, case, welfare_post)
    _decide(world, case)
    started = last_month() + datetime.timedelta(days=9)  # the 10th of last month
    PostAssignment.objects.filter(case=case).update(start_date=started)
    rows = {row.member.pk: row for row in work_month_roster(world.grid_a1, last_month())}
    line = rows[case.member_id]
    assert line.source == POST
    assert line.values["channel"] == "public_welfare"
    assert line.values["employer_name"] == welfare_post.name
    assert (
        line.values["days_worked"]
        == (month_of(started + datetime.timedelta(days=31)) - started).days
    )
    before = {
        row.member.pk: row for row in work_month_roster(world.grid_a1, month_before(last_month()))
    }
    assert before[case.member_id].source == NOTHING
