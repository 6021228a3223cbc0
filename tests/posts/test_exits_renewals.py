"""A holder's exit and term (issue 21, acceptance 4): an exit with a reason of the code list,
through the post's page, frees the place and opens the vacancy task; a renewal beyond the
limit is refused; overlapping terms of one person are refused on both databases (PostgreSQL
by its exclusion constraint too)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from casework.audit.models import AuditEvent
from casework.cases.models import EmploymentCase
from casework.posts import services
from casework.posts.models import PostAssignment, PostVacancy
from tests.conftest import login
from tests.posts.test_posts import _apply, _decide, _three_no
from tests.workflows import helpers as h
from workflows.flows import PostVacancyFlow
from workflows.services import scheduler_tick

pytestmark = pytest.mark.django_db
State = EmploymentCase.State


def _holder(world, assessed, welfare_post, number):
    case = _three_no(world, assessed, number)
    _apply(world, case, welfare_post)
    _decide(world, case)
    assert case.state == State.ON_POST
    return case, PostAssignment.objects.get(case=case, status="on_post")


def _url(name, post, assignment):
    return reverse(f"placement:post:{name}", args=[post.pk, assignment.pk])


def test_an_exit_with_a_listed_reason_frees_the_place_and_opens_the_vacancy_task(
    client, world, assessed, welfare_post
):
    case, assignment = _holder(world, assessed, welfare_post, "X-0001")
    # The post's page offers the manager the exit; a caseworker may not record one.
    login(client, world.caseworker1)
    assert client.get(_url("exit", welfare_post, assignment)).status_code == 403
    login(client, world.manager)
    page = client.get(reverse("placement:post:detail", args=[welfare_post.pk])).content.decode()
    assert _url("exit", welfare_post, assignment) in page

    # The reasons are the code list's (not the end of the term, which comes by itself).
    form = client.get(_url("exit", welfare_post, assignment)).content.decode()
    assert "&quot;stable_job&quot;" in form and "&quot;voluntary&quot;" in form
    assert "&quot;term_end&quot;" not in form
    response = client.post(_url("exit", welfare_post, assignment), {"reason": "term_end"})
    assert response.status_code == 200
    response = client.post(_url("exit", welfare_post, assignment), {"reason": "other"})
    assert "请说明退岗原因" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == "on_post"

    response = client.post(
        _url("exit", welfare_post, assignment), {"reason": "stable_job", "note": "进县城工厂"}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    case.refresh_from_db()
    assert (assignment.status, assignment.exit_reason) == ("ended", "stable_job")
    assert assignment.end_date == timezone.localdate()
    # The place is free, the vacancy's task open for the grid's caseworker.
    assert not welfare_post.assignments.filter(status__in=PostAssignment.HOLDING).exists()
    vacancy = PostVacancy.objects.get(vacated_by=assignment)
    assert Task.objects.filter(flow_task=PostVacancyFlow.report, status="NEW").count() == 1
    # The member's case is reassessed, and their flow routes it at the next sweep.
    assert case.state == State.REASSESSING
    scheduler_tick()
    assert h.open_nodes(h.employment_process(case)) == ["reassess"]
    actions = set(
        AuditEvent.objects.filter(household_id=case.member.household_id).values_list(
            "action", flat=True
        )
    )
    assert {"post.end", "employment_case.post_exit"} <= actions
    assert vacancy.vacated_on == timezone.localdate()


def test_a_renewal_beyond_the_limit_is_refused(client, world, assessed, welfare_post):
    case, assignment = _holder(world, assessed, welfare_post, "X-0002")
    first_end = assignment.end_date
    login(client, world.manager)
    for count in (1, 2):  # posts.renewals_max: 2
        response = client.post(_url("renew", welfare_post, assignment), {"confirm": "on"})
        assert response.status_code == 302
        assignment.refresh_from_db()
        assert assignment.renewals == count
    assert assignment.end_date == first_end.replace(year=first_end.year + 2)
    response = client.post(_url("renew", welfare_post, assignment), {"confirm": "on"})
    assert response.status_code == 200
    assert "已续聘 2 次，达到上限" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.renewals == 2
    assert AuditEvent.objects.filter(action="post.renew").count() == 2


def test_overlapping_terms_of_one_person_are_refused(world, assessed, welfare_post):
    case, assignment = _holder(world, assessed, welfare_post, "X-0003")
    services.post_exit(actor=world.manager, assignment=assignment, reason="voluntary")
    assignment.refresh_from_db()  # ended today
    # A new application approved to start ten days ago would overlap the ended term.
    PostAssignment.objects.create(
        member=case.member, case=case, post=welfare_post, post_type="cleaning",
        applied_by=world.caseworker1,
    )  # fmt: skip
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.post_decide(
            actor=world.manager, case=case, approve=True,
            start_date=today - datetime.timedelta(days=10),
        )  # fmt: skip
    assert "聘期不能重叠" in str(refused.value)
    # Starting after the ended term, it is approved.
    services.post_decide(
        actor=world.manager, case=case, approve=True, start_date=today + datetime.timedelta(days=1)
    )
    assert case.posts.filter(status="notice").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own constraint")
def test_postgresql_refuses_an_overlapping_term_written_past_the_services(
    world, assessed, welfare_post
):
    case, assignment = _holder(world, assessed, welfare_post, "X-0004")
    with pytest.raises(IntegrityError, match="post_terms_do_not_overlap"), transaction.atomic():
        PostAssignment.objects.create(
            member=case.member, case=case, post=welfare_post, post_type="cleaning",
            applied_by=world.caseworker1, status="on_post",
            start_date=assignment.end_date, end_date=assignment.end_date.replace(year=2099),
        )  # fmt: skip


def test_a_post_is_set_up_within_its_term_and_subsidy_bounds(world):
    fields = {"site": world.site_a, "kind": "cleaning", "quota": 2, "name": "保洁"}
    with pytest.raises(ValidationError) as refused:
        services.post_create(actor=world.manager, term_months=36, monthly_subsidy=5, **fields)
    assert refused.value.message_dict == {
        "term_months": ["岗位聘期最长 12 个月。"],
        "monthly_subsidy": ["岗位月补贴不得低于 500 元（当地下限）。"],
    }


def test_a_holder_who_leaves_before_the_start_date_is_reassessed_and_holds_no_day(
    client, world, assessed, welfare_post
):
    from workflows.flows import EmploymentFlow

    case = _three_no(world, assessed, "X-0005")
    _apply(world, case, welfare_post)
    start = timezone.localdate() + datetime.timedelta(days=30)
    _decide(world, case, start=start)
    assert case.state == State.POST_APPROVED
    assignment = PostAssignment.objects.get(case=case, status="on_post")
    process = h.employment_process(case)
    assert h.open_nodes(process) == ["wait_post_start"]
    services.post_exit(actor=world.manager, assignment=assignment, reason="health")
    assignment.refresh_from_db()
    case.refresh_from_db()
    assert assignment.status == "ended" and assignment.end_date < assignment.start_date
    assert case.state == State.REASSESSING
    scheduler_tick()  # the wait for the start date is woken: the flow routes the case
    assert h.open_nodes(process) == ["reassess"]
    assert (
        not Task.objects.filter(process=process, flow_task=EmploymentFlow.start_post)
        .filter(status="ERROR")
        .exists()
    )
    # The term that never began overlaps nothing.
    assert services.term_overlapping(case.member_id, start, None) is None
