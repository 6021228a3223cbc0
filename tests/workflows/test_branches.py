"""Every branch of both flows, end to end through the real URLs."""

import html

import pytest
from django.utils import timezone
from viewflow.workflow.status import PROCESS, STATUS

from casework.audit.models import AuditEvent
from casework.cases.models import Assessment, Category, EmploymentCase
from casework.cases.services import ROUTE_BY_CATEGORY as ROUTE
from casework.placement.models import Placement
from casework.posts.models import PostAssignment
from casework.training.models import Enrolment
from casework.training.services import attendance_record
from tests.workflows import helpers as h
from workflows.services import scheduler_tick

EF, HF = h.EmploymentFlow, h.HouseholdFlow
State = EmploymentCase.State

pytestmark = pytest.mark.django_db


def followup(client, world, process, data):
    h.make_timer_due(process)
    fired, _escalated = scheduler_tick()
    assert fired == 1
    return h.do(client, world.caseworker1, h.open_task(process, EF.retention_followup), data)


def test_registration_starts_the_household_flow_at_assessment(world):
    process = h.household_process(world.h_a1)
    assert h.open_nodes(process) == ["assess"]
    assess = h.open_task(process, HF.assess)
    assert assess.deadline.due_at > assess.created


def test_capable_member_placed_followed_up_to_stable_and_household_closes(client, world, assessed):
    case = assessed(Category.CAPABLE)
    household_process = h.household_process(world.h_a1)
    # One case only: the second member was assessed 非劳动力.
    assert EmploymentCase.objects.filter(household_case__household=world.h_a1).count() == 1
    process = h.employment_process(case)
    assert h.open_nodes(process) == ["placement"]

    response = h.do(
        client, world.caseworker1, h.open_task(process, EF.placement), h.placement_data()
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.EMPLOYED and case.working_since is not None
    assert Placement.objects.get(case=case).employer_name == "礼县扶贫车间"
    assert h.open_nodes(process) == ["wait_followup"]

    for month in (1, 3):
        response = followup(
            client, world, process, {"still_working": "yes", "monthly_income": "3000"}
        )
        assert response.status_code == 302
        assert case.followups.order_by("-pk").first().month == month
        assert h.open_nodes(process) == ["wait_followup"]
    response = followup(client, world, process, {"still_working": "yes", "monthly_income": "3100"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.STABLE and case.closed_at is not None
    process.refresh_from_db()
    assert process.status == PROCESS.DONE
    assert process.task_set.filter(flow_task=EF.end_stable, status=STATUS.DONE).exists()

    # The household's next follow-up tick finds every case closed and one member stable.
    h.make_timer_due(household_process)
    scheduler_tick()
    household_process.refresh_from_db()
    assert household_process.status == PROCESS.DONE
    assert household_process.household_case.closed_at is not None
    assert AuditEvent.objects.filter(action="household_case.close").count() == 1


def test_household_follow_up_is_the_helpers_visit_and_recurs_while_a_case_is_open(
    client, world, assessed
):
    from casework.pairing.models import Visit

    assessed(Category.CAPABLE)
    process = h.household_process(world.h_a1)
    h.make_timer_due(process)
    scheduler_tick()
    task = h.open_task(process, HF.household_followup)
    assert task.owner == world.helper  # A1-0001 is paired with the helper
    client.force_login(world.helper)
    assert h.url(task, "index") in client.get("/workflow/inbox/").content.decode()
    visit = {
        "date": timezone.localdate().isoformat(), "mode": "home", "thinking_stable": "yes",
        "policy_understood": "yes", "life_happy": "yes", "industry_developing": "no",
        "problems_solved": "yes", "raised": "家中老人住院",
    }  # fmt: skip
    response = h.do(client, world.helper, task, visit)
    assert response.status_code == 302
    assert Visit.objects.get().visitor == world.helper
    assert h.open_nodes(process) == ["wait_followup"]
    process.refresh_from_db()
    assert process.status == PROCESS.NEW


def test_an_unpaired_household_follow_up_goes_to_the_grids_caseworkers(client, world, assessed):
    from tests import factories

    household = factories.household(world.admin, world.grid_a1, number="A1-NOHELP")
    assessed(Category.CAPABLE, household=household)
    process = h.household_process(household)
    h.make_timer_due(process)
    scheduler_tick()
    task = h.open_task(process, HF.household_followup)
    assert task.owner is None and task.status == STATUS.NEW
    client.force_login(world.caseworker1)
    assert "A1-NOHELP" in client.get("/workflow/queue/").content.decode()


def test_review_sends_back_with_reason_and_the_caseworker_assesses_again(client, world):
    household = world.h_a1
    process = h.household_process(household)
    head = household.members.get(relationship="head")
    data = h.assessment_data(household, {head.name: Category.THREE_NO})
    h.do(client, world.caseworker1, h.open_task(process, HF.assess), data)

    review = h.open_task(process, HF.review)
    response = h.do(client, world.manager, review, {"decision": "return", "reason": ""})
    assert response.status_code == 200  # a send-back needs a reason
    assert "说明退回的原因" in response.content.decode()
    response = client.post(h.url(review, "execute"), {"decision": "return", "reason": "户主有技能"})
    assert response.status_code == 302
    assert h.open_nodes(process) == ["assess"]
    assert not EmploymentCase.objects.exists()

    client.force_login(world.caseworker1)
    assess = h.open_task(process, HF.assess)
    assert assess.owner == world.caseworker1  # back to whoever assessed (test_send_back.py)
    page = client.get(h.url(assess, "execute"))
    assert page.status_code == 200
    h.do(client, world.caseworker1, assess, h.assessment_data(household, {head.name: "capable"}))
    page = client.get(h.url(assess, "detail"))
    assert page.status_code == 200
    assert Assessment.objects.filter(member=head).count() == 2
    h.do(client, world.manager, h.open_task(process, HF.review), {"decision": "approve"})
    assert EmploymentCase.objects.get(member=head).category == Category.CAPABLE


def test_training_pass_leads_to_placement(client, world, assessed, course_without_trainer):
    course = course_without_trainer  # without a trainer the caseworker records the result
    case = assessed(Category.TRAINING)
    process = h.employment_process(case)
    assert h.open_nodes(process) == ["enrol"]
    response = h.do(
        client,
        world.caseworker1,
        h.open_task(process, EF.enrol),
        {"outcome": "enrol", "course": course.pk},
    )
    assert response.status_code == 302
    assert Enrolment.objects.get(case=case).status == Enrolment.Status.ENROLLED
    assert h.open_nodes(process) == ["training_outcome"]
    task = h.open_task(process, EF.training_outcome)
    response = h.do(client, world.caseworker1, task, {"result": "passed"})
    assert response.status_code == 200  # no attendance recorded yet, and no certificate
    assert len(response.context["form"].errors["result"]) == 2
    enrolment = Enrolment.objects.get(case=case)
    # Nobody teaches the course, so an administrator took the attendance.
    attendance_record(
        actor=world.admin, course=course, date=course.start_date, present={enrolment.pk}
    )
    passed = {"result": "passed", "certificate_type": "completion", "certificate_number": "C-1"}
    assert client.post(h.url(task, "execute"), passed).status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.attendance_rate, enrolment.certificate_number) == (100, "C-1")
    case.refresh_from_db()
    assert case.state == State.SEEKING
    assert h.open_nodes(process) == ["placement"]


@pytest.mark.parametrize("result", ["failed", "dropped"])
def test_training_fail_or_drop_leads_to_reassessment_which_reroutes(
    client, world, assessed, course_without_trainer, result
):
    course = course_without_trainer  # without a trainer the caseworker records the result
    case = assessed(Category.TRAINING)
    process = h.employment_process(case)
    h.do(
        client,
        world.caseworker1,
        h.open_task(process, EF.enrol),
        {"outcome": "enrol", "course": course.pk},
    )
    h.do(client, world.caseworker1, h.open_task(process, EF.training_outcome), {"result": result})
    assert h.open_nodes(process) == ["reassess"]
    entry = h.assessment_entry(
        Category.THREE_NO, labour_capacity="weak", reasons="培训未通过，体力弱"
    )
    response = h.do(client, world.caseworker1, h.open_task(process, EF.reassess), entry)
    assert response.status_code == 302
    assert h.open_nodes(process) == ["reassess_review"]  # a new category goes to the manager
    review = h.open_task(process, EF.reassess_review)
    assert h.do(client, world.manager, review, {"decision": "approve"}).status_code == 302
    case.refresh_from_db()
    assert (case.category, case.state) == (Category.THREE_NO, ROUTE[Category.THREE_NO])
    assert h.open_nodes(process) == ["post_application"]


def test_post_approved_then_lost_post_goes_to_reassessment(client, world, assessed, welfare_post):
    case = assessed(Category.THREE_NO)
    process = h.employment_process(case)
    assert h.open_nodes(process) == ["post_application"]
    h.do(
        client,
        world.caseworker1,
        h.open_task(process, EF.post_application),
        {"outcome": "apply", "post": welfare_post.pk, "note": "愿意做保洁"},
    )
    approval = h.open_task(process, EF.post_approval)
    client.force_login(world.caseworker1)
    assert client.post(h.url(approval, "assign")).status_code == 403  # managers decide
    response = h.do(
        client, world.manager, approval, {"decision": "approve", "start_date": "2026-11-01"}
    )
    assert response.status_code == 302
    assert h.open_nodes(process) == ["post_notice"]
    assert h.notice_pass(client, world.caseworker1, process).status_code == 302
    case.refresh_from_db()
    assert case.state == State.ON_POST
    assert PostAssignment.objects.get(case=case).status == PostAssignment.Status.ON_POST
    response = followup(client, world, process, {"still_working": "no", "note": "合同到期"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.REASSESSING
    assert PostAssignment.objects.get(case=case).status == PostAssignment.Status.ENDED
    assert h.open_nodes(process) == ["reassess"]


def test_post_refused_goes_to_reassessment(client, world, assessed, welfare_post):
    case = assessed(Category.THREE_NO)
    process = h.employment_process(case)
    h.do(
        client,
        world.caseworker1,
        h.open_task(process, EF.post_application),
        {"outcome": "apply", "post": welfare_post.pk},
    )
    response = h.do(
        client,
        world.manager,
        h.open_task(process, EF.post_approval),
        {"decision": "refuse", "reason": "本户已有公益性岗位"},
    )
    assert response.status_code == 302
    post = PostAssignment.objects.get(case=case)
    assert (post.status, post.decision_reason) == ("refused", "本户已有公益性岗位")
    assert h.open_nodes(process) == ["reassess"]


def test_lost_job_goes_back_to_placement_and_a_new_job_restarts_follow_ups(client, world, assessed):
    case = assessed(Category.CAPABLE)
    process = h.employment_process(case)
    h.do(client, world.caseworker1, h.open_task(process, EF.placement), h.placement_data())
    response = followup(client, world, process, {"still_working": "no", "note": "工厂停工"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.SEEKING
    first = Placement.objects.get(case=case)
    assert first.end_date is not None and first.end_reason == "工厂停工"
    assert h.open_nodes(process) == ["placement"]

    h.do(
        client,
        world.caseworker1,
        h.open_task(process, EF.placement),
        h.placement_data(employer_name="县城餐馆", channel="flexible"),
    )
    assert Placement.objects.filter(case=case, end_date__isnull=True).count() == 1
    response = followup(client, world, process, {"still_working": "yes", "monthly_income": "2500"})
    assert case.followups.order_by("-pk").first().month == 1  # counting restarts with the job


def test_three_refusals_end_assistance(client, world, assessed):
    case = assessed(Category.CAPABLE)
    process = h.employment_process(case)
    reassess = {
        "category": "capable",
        "labour_capacity": "ordinary",
        "work_willing": "yes",
        "training_willing": "no",
    }
    for attempt in (1, 2, 3):
        response = h.do(
            client,
            world.caseworker1,
            h.open_task(process, EF.placement),
            {"outcome": "refused", "refusal_reason": f"第{attempt}次拒绝推荐岗位"},
        )
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.refusal_count == attempt
        if attempt < 3:
            assert h.open_nodes(process) == ["reassess"]
            h.do(client, world.caseworker1, h.open_task(process, EF.reassess), reassess)
    assert case.state == State.EXITED and case.closed_at is not None
    assert "3" in case.close_reason
    process.refresh_from_db()
    assert process.status == PROCESS.DONE
    assert process.task_set.filter(flow_task=EF.end_closed).exists()


def test_reassessed_out_of_the_labour_force_closes_the_case(client, world, assessed):
    case = assessed(Category.CAPABLE)
    process = h.employment_process(case)
    h.do(
        client,
        world.caseworker1,
        h.open_task(process, EF.placement),
        {"outcome": "refused", "refusal_reason": "身体不好"},
    )
    h.do(
        client,
        world.caseworker1,
        h.open_task(process, EF.reassess),
        h.assessment_entry(Category.NOT_LABOUR, labour_capacity="lost", reasons="重病丧失劳动能力"),
    )
    h.do(client, world.manager, h.open_task(process, EF.reassess_review), {"decision": "approve"})
    case.refresh_from_db()
    assert case.state == State.NOT_IN_SCOPE
    process.refresh_from_db()
    assert process.status == PROCESS.DONE


def test_invalid_placement_keeps_the_task_open_with_errors_in_chinese(client, world, assessed):
    case = assessed(Category.CAPABLE)
    process = h.employment_process(case)
    task = h.open_task(process, EF.placement)
    response = h.do(
        client, world.caseworker1, task, h.placement_data(employer_name="", monthly_income="")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["monthly_income"] == ["请填写月收入（元）。"]
    assert html.escape(errors["monthly_income"][0]) in response.content.decode()
    task.refresh_from_db()
    assert task.status == STATUS.ASSIGNED
    assert not Placement.objects.exists()
    response = client.post(h.url(task, "execute"), h.placement_data(employer_name=""))
    assert response.status_code == 200
    message = "请填写用工单位（自主创业、发展产业除外）。"
    assert response.context["form"].errors["employer_name"] == [message]
    assert html.escape(message) in response.content.decode()
    assert not Placement.objects.exists()
