"""Public-welfare posts: each eligibility rule, the quota, one post per household, term expiry
and the vacated-post task (acceptance 1 of the posts issue); rule 8 of §5.11."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from viewflow.workflow.models import Task

from casework.cases.models import Category, EmploymentCase
from casework.policy.models import Parameter
from casework.posts import services
from casework.posts.models import ExitReason, PostAssignment, PostVacancy
from tests import factories
from tests.workflows import helpers as h
from workflows.flows import EmploymentFlow, PostVacancyFlow
from workflows.services import scheduler_tick

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _born(age):
    return TODAY.replace(year=TODAY.year - age) - datetime.timedelta(days=10)


def _three_no(world, assessed, number, age=50, category=Category.THREE_NO, capacity="ordinary"):
    head = factories.member_data(
        name=f"户主{number}",
        relationship="head",
        document_number=factories.resident_id(born=_born(age)),
        labour_capacity=capacity,
    )
    household = factories.household(world.admin, world.grid_a1, number=number, head=head)
    return assessed(category, household=household)


def _apply(world, case, post):
    task = h.open_task(h.employment_process(case), EmploymentFlow.post_application)
    from workflows.services import task_complete

    task_complete(
        task=task, actor=world.caseworker1,
        perform=lambda: services.post_apply(actor=world.caseworker1, case=case, post=post),
    )  # fmt: skip
    case.refresh_from_db()


def _decide(world, case, approve=True, start=TODAY):
    from workflows.services import task_complete

    task = h.open_task(h.employment_process(case), EmploymentFlow.post_approval)
    task_complete(
        task=task, actor=world.manager,
        perform=lambda: services.post_decide(
            actor=world.manager, case=case, approve=approve, start_date=start,
            reason="" if approve else "不符合条件",
        ),
    )  # fmt: skip
    if approve:
        h.notice_pass_by(world.caseworker1, h.employment_process(case))
    case.refresh_from_db()


def _refused_rules(world, case):
    with pytest.raises(ValidationError) as refused:
        services.post_decide(actor=world.manager, case=case, approve=True, start_date=TODAY)
    return refused.value.message_dict["decision"]


def test_an_eligible_three_no_member_goes_on_post_for_the_term(world, assessed, welfare_post):
    case = _three_no(world, assessed, "P-0001")
    _apply(world, case, welfare_post)
    assert services.post_eligibility(case, welfare_post) == []
    _decide(world, case)
    assignment = PostAssignment.objects.get(case=case)
    assert case.state == EmploymentCase.State.ON_POST
    assert assignment.end_date == TODAY.replace(year=TODAY.year + 1) - datetime.timedelta(days=1)


def test_rule_category_or_weak_labour(world, assessed, welfare_post):
    case = _three_no(world, assessed, "P-0002", category=Category.CAPABLE)
    # A capable member cannot apply at all (not waiting for a post); check the rule directly.
    assert "公益性岗位只安置评估为“三无”的人员或弱劳动力或半劳动力。" in services.post_eligibility(
        case, welfare_post
    )
    weak = _three_no(world, assessed, "P-0003", category=Category.THREE_NO)
    weak.member.assessments.update(labour_capacity="weak")  # assessed as weak or half labour
    weak.category = Category.CAPABLE  # a weak-labour member qualifies whatever the category
    assert services.post_eligibility(weak, welfare_post) == []


@pytest.mark.parametrize("age, extended, ok", [(60, False, True), (61, False, False),
                                               (65, True, True), (66, True, False)])  # fmt: skip
def test_rule_age_limit_60_or_65_where_allowed(world, assessed, welfare_post, age, extended, ok):
    welfare_post.extended_age = extended
    welfare_post.save(update_fields=["extended_age"])
    case = _three_no(world, assessed, f"P-A{age}{int(extended)}", age=age)
    failed = services.post_eligibility(case, welfare_post)
    assert (failed == []) is ok, failed
    if not ok:
        assert f"年龄 {age} 岁，超过该岗位 {65 if extended else 60} 岁的年龄上限。" in failed


def test_rule_8_nobody_aged_70_even_if_the_limit_is_raised(world, assessed, welfare_post):
    Parameter.objects.create(key="posts.age_limit", value=80, valid_from=datetime.date(2020, 1, 1))
    case = _three_no(world, assessed, "P-0070", age=70)
    assert services.post_eligibility(case, welfare_post) == ["70 岁及以上人员不得安置公益性岗位。"]


def test_rule_one_post_per_household_and_its_parameter(world, assessed, welfare_post):
    first = _three_no(world, assessed, "P-0100")
    _apply(world, first, welfare_post)
    _decide(world, first)
    household = first.member.household
    from casework.registry.services import member_add

    other = member_add(
        actor=world.caseworker1, household=household,
        **factories.member_data(name="户内第二人", relationship="spouse"),
    )  # fmt: skip
    second = EmploymentCase.objects.create(
        member=other, household_case=first.household_case, category=Category.THREE_NO,
        state=EmploymentCase.State.TO_APPLY,
    )  # fmt: skip
    failed = services.post_eligibility(second, welfare_post)
    assert failed == [f"同户的 {first.member.name} 已在公益性岗位（每户限一人）。"]
    Parameter.objects.create(
        key="posts.one_per_household", value=False, valid_from=datetime.date(2020, 1, 1)
    )
    assert services.post_eligibility(second, welfare_post) == []


def test_the_quota_and_a_refusal_naming_every_failed_rule(world, assessed, welfare_post):
    welfare_post.quota = 1
    welfare_post.save(update_fields=["quota"])
    holder = _three_no(world, assessed, "P-0200")
    _apply(world, holder, welfare_post)
    _decide(world, holder)
    late = _three_no(world, assessed, "P-0201", age=75)
    _apply(world, late, welfare_post)
    rules = _refused_rules(world, late)
    assert rules == [
        "年龄 75 岁，超过该岗位 60 岁的年龄上限。",
        "70 岁及以上人员不得安置公益性岗位。",
        "该岗位 1 个名额已满。",
    ]
    assert PostAssignment.objects.get(case=late).status == PostAssignment.Status.APPLIED


def _term_over(case):
    """Move the assignment's term into the past (as the clock would) and keep the follow-up
    timer in the future, so only the expiry can wake the flow."""
    PostAssignment.objects.filter(case=case).update(end_date=TODAY - datetime.timedelta(days=1))
    Task.objects.filter(
        process=h.employment_process(case), flow_task=EmploymentFlow.wait_followup,
        status="SCHEDULED",
    ).update(scheduled=timezone.now() + datetime.timedelta(days=20))  # fmt: skip


def test_term_expiry_ends_the_post_wakes_the_flow_and_raises_the_vacancy_task(
    client, world, assessed, welfare_post
):
    case = _three_no(world, assessed, "P-0300")
    _apply(world, case, welfare_post)
    _decide(world, case)
    assignment = PostAssignment.objects.get(case=case)
    _term_over(case)
    scheduler_tick()
    assignment.refresh_from_db()
    case.refresh_from_db()
    assert (assignment.status, assignment.exit_reason) == ("ended", ExitReason.TERM_END)
    assert case.state == EmploymentCase.State.REASSESSING
    assert h.open_nodes(h.employment_process(case)) == ["reassess"]  # at once, not in 20 days
    vacancy = PostVacancy.objects.get(vacated_by=assignment)
    task = Task.objects.get(flow_task=PostVacancyFlow.report)
    response = h.do(client, world.caseworker1, task, {"recommendation": "推荐同网格的张某"})
    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.reported_by == world.caseworker1 and "张某" in vacancy.recommendation
    client.force_login(world.caseworker2)  # another grid's caseworker never sees it
    assert client.get(h.url(task, "detail")).status_code == 404


def test_term_expiry_of_a_stably_employed_holder_ends_the_post_without_stopping_the_sweep(
    world, assessed, welfare_post
):
    stable = _three_no(world, assessed, "P-0310")
    _apply(world, stable, welfare_post)
    _decide(world, stable)
    EmploymentCase.objects.filter(pk=stable.pk).update(
        state=EmploymentCase.State.STABLE, closed_at=timezone.now()
    )
    other = _three_no(world, assessed, "P-0311")
    _apply(world, other, welfare_post)
    _decide(world, other)
    for case in (stable, other):
        _term_over(case)
    scheduler_tick()
    assert set(PostAssignment.objects.values_list("status", flat=True)) == {"ended"}
    assert PostVacancy.objects.count() == 2
    stable.refresh_from_db()
    other.refresh_from_db()
    assert stable.state == EmploymentCase.State.STABLE  # closed cases stay closed
    assert other.state == EmploymentCase.State.REASSESSING


def test_a_follow_up_open_when_the_term_ends_is_closed_and_the_case_routes_on(
    client, world, assessed, welfare_post
):
    case = _three_no(world, assessed, "P-0320")
    _apply(world, case, welfare_post)
    _decide(world, case)
    process = h.employment_process(case)
    h.make_timer_due(process)
    scheduler_tick()
    followup = h.open_task(process, EmploymentFlow.retention_followup)
    PostAssignment.objects.filter(case=case).update(end_date=TODAY - datetime.timedelta(days=1))
    scheduler_tick()
    response = h.do(client, world.caseworker1, followup, {"still_working": "yes",
                                                          "monthly_income": "800"})  # fmt: skip
    assert response.status_code == 302
    assert h.open_nodes(process) == ["reassess"]
    assert not case.followups.exists()


def test_age_is_judged_on_today_or_the_start_and_the_start_is_bounded(
    world, assessed, welfare_post
):
    case = _three_no(world, assessed, "P-0330", age=61)
    _apply(world, case, welfare_post)
    with pytest.raises(ValidationError) as refused:
        services.post_decide(
            actor=world.manager, case=case, approve=True,
            start_date=TODAY - datetime.timedelta(days=3 * 365),
        )  # fmt: skip
    assert "start_date" in refused.value.message_dict
    assert _refused_rules(world, case) == ["年龄 61 岁，超过该岗位 60 岁的年龄上限。"]


def test_over_60_only_healthy_people_take_an_extended_age_post(world, assessed, welfare_post):
    welfare_post.extended_age = True
    welfare_post.save(update_fields=["extended_age"])
    case = _three_no(world, assessed, "P-0340", age=63)
    case.member.health = "chronic"
    case.member.save(update_fields=["health"])
    assert services.post_eligibility(case, welfare_post) == [
        "年龄 63 岁：超过 60 岁的只有身体健康者可以安置该岗位。"
    ]


def test_monthly_attendance_is_recorded_once_per_month(world, assessed, welfare_post):
    case = _three_no(world, assessed, "P-0400")
    _apply(world, case, welfare_post)
    _decide(world, case)
    assignment = PostAssignment.objects.get(case=case)
    month = TODAY.replace(day=15)

    def record(days):
        services.post_month_record(
            actor=world.caseworker1, post=welfare_post, month=month,
            entries=[services.AttendanceEntry(assignment.pk, days)],
        )  # fmt: skip

    record(20)
    record(22)
    assert list(assignment.attendance.values_list("days_worked", flat=True)) == [22]
    with pytest.raises(ValidationError):
        record(32)


def test_a_post_is_set_up_only_by_the_sites_manager(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.post_create(
            actor=world.caseworker1, site=world.site_a, name="护林员", kind="forest", quota=2,
            monthly_subsidy=Decimal("600"),
        )  # fmt: skip
