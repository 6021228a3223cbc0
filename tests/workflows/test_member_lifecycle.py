"""The household's life after registration, through the real URLs: a member joins after the
assessment and is assessed alone; a member leaves and their case and tasks end with them; the
head changes and the household keeps one head."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from casework.audit.models import AuditEvent
from casework.cases.models import Assessment, Category, EmploymentCase
from casework.registry.lifecycle import household_split
from casework.registry.models import Member
from tests import factories
from tests.workflows import helpers as h
from workflows.flows import MemberAssessmentFlow
from workflows.models import MemberAssessmentProcess, ProcessScope
from workflows.scope.selectors import process_scopes_check

State = EmploymentCase.State
MF = MemberAssessmentFlow
pytestmark = pytest.mark.django_db
OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.SCHEDULED]


def add_member(client, user, household, **overrides):
    """Add a member on the household's add-member page; returns the new member."""
    client.force_login(user)
    born = overrides.pop("born", datetime.date(2000, 3, 8))
    data = {
        "name": "新成员",
        "document_type": "resident_id",
        "document_number": factories.resident_id(born=born, sex="F"),
        "relationship": "daughter_in_law",
        "education": "senior",
        "health": "healthy",
        "labour_capacity": "ordinary",
        "political_status": "masses",
        "arrival": "married_in",
        **overrides,
    }
    url = reverse("registry:household:member_add", args=[household.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Member.objects.get(household=household, name=data["name"])


def member_assessment_data(member, category, **overrides):
    prefix = f"m{member.pk}-"
    data = {
        prefix + "category": category,
        prefix + "labour_capacity": "ordinary",
        prefix + "work_willing": "yes",
        prefix + "training_willing": "yes" if category == Category.TRAINING else "no",
        prefix + "desired_trade": "cooking",
        prefix + "desired_area": "county",
        prefix + "reasons": "",
    }
    data.update({prefix + key: value for key, value in overrides.items()})
    return data


def assess_alone(client, world, process, member, category):
    """The caseworker completes the member's own assessment step."""
    return h.do(
        client,
        world.caseworker1,
        h.open_task(process, MF.assess),
        member_assessment_data(member, category),
    )


def approve_alone(client, world, process):
    """The manager approves the member's own assessment."""
    return h.do(client, world.manager, h.open_task(process, MF.review), {"decision": "approve"})


def open_tasks_about(member):
    return Task.objects.filter(status__in=OPEN).filter(
        process__memberassessmentprocess__member=member
    ) | Task.objects.filter(status__in=OPEN).filter(process__employmentprocess__case__member=member)


def test_a_member_who_joins_after_approval_is_assessed_alone_then_gets_a_case(
    client, world, assessed
):
    head_case = assessed(Category.CAPABLE)
    household = world.h_a1
    assessments_before = Assessment.objects.filter(member__household=household).count()

    member = add_member(client, world.caseworker1, household)

    process = MemberAssessmentProcess.objects.get(member=member)
    assert h.open_nodes(process) == ["assess"]
    # The household's own flow is not reopened: the new member alone is to be assessed.
    assert h.open_nodes(h.household_process(household)) == ["wait_followup"]
    assess = h.open_task(process, MF.assess)
    client.force_login(world.caseworker1)
    page = client.get(reverse("registry:household:detail", args=[household.pk]))
    assert "新成员" in page.content.decode() and "后加入成员：评估中" in page.content.decode()

    response = h.do(
        client, world.caseworker1, assess, member_assessment_data(member, Category.CAPABLE)
    )
    assert response.status_code == 302
    assert Assessment.objects.filter(member__household=household).count() == (
        assessments_before + 1
    )
    assert Assessment.objects.get(member=member).review == Assessment.Review.PENDING
    assert not EmploymentCase.objects.filter(member=member).exists()  # not before the review

    response = h.do(client, world.manager, h.open_task(process, MF.review), {"decision": "approve"})
    assert response.status_code == 302
    case = EmploymentCase.objects.get(member=member)
    assert (case.category, case.state) == (Category.CAPABLE, State.SEEKING)
    assert h.open_nodes(h.employment_process(case)) == ["placement"]
    process.refresh_from_db()
    assert process.status == PROCESS.DONE
    head_case.refresh_from_db()
    assert head_case.state == State.SEEKING  # the others are untouched


def test_a_member_sent_back_is_assessed_again(client, world, assessed):
    assessed(Category.CAPABLE)
    member = add_member(client, world.caseworker1, world.h_a1)
    process = MemberAssessmentProcess.objects.get(member=member)
    assess_alone(client, world, process, member, Category.CAPABLE)
    response = h.do(
        client,
        world.manager,
        h.open_task(process, MF.review),
        {"decision": "return", "reason": "请核实就业意愿"},
    )
    assert response.status_code == 302
    assert h.open_nodes(process) == ["assess"]
    assert not EmploymentCase.objects.filter(member=member).exists()
    # Back to the caseworker who assessed her, with a notice giving the reason.
    again = h.open_task(process, MF.assess)
    assert again.owner == world.caseworker1
    notice = world.caseworker1.notifications.get(task=again)
    assert "请核实就业意愿" in notice.text


def test_a_member_added_before_the_household_assessment_joins_that_assessment(client, world):
    member = add_member(client, world.caseworker1, world.h_a1)
    assert not MemberAssessmentProcess.objects.filter(member=member).exists()
    process = h.household_process(world.h_a1)
    client.force_login(world.caseworker1)
    task = h.open_task(process, h.HouseholdFlow.assess)
    h.do(client, world.caseworker1, task, {})
    page = client.get(h.url(task, "execute"))
    assert f'data-member="{member.pk}"' in page.content.decode()


def test_a_member_who_moves_out_has_their_case_closed_and_no_open_task(client, world, assessed):
    assessed(Category.CAPABLE)
    member = add_member(client, world.caseworker1, world.h_a1)
    process = MemberAssessmentProcess.objects.get(member=member)
    assess_alone(client, world, process, member, Category.TRAINING)
    approve_alone(client, world, process)
    case = EmploymentCase.objects.get(member=member)
    assert case.state == State.TO_ENROL and open_tasks_about(member).exists()

    client.force_login(world.caseworker1)
    url = reverse("registry:household:member_leave", args=[world.h_a1.pk, member.pk])
    response = client.post(url, {"reason": "moved_out", "on": timezone.localdate().isoformat()})
    assert response.status_code == 302

    case.refresh_from_db()
    assert case.state == State.LEFT and case.closed_at is not None
    assert case.close_reason == "迁出"
    assert not open_tasks_about(member).exists()
    assert h.employment_process(case).status == PROCESS.CANCELED
    member.refresh_from_db()
    assert member.left_on == timezone.localdate() and member.left_reason == "moved_out"
    assert AuditEvent.objects.filter(action="member.leave", object_id=str(member.pk)).exists()
    page = client.get(reverse("registry:household:detail", args=[world.h_a1.pk]))
    text = page.content.decode()
    assert 'data-test="former-members"' in text and "迁出" in text


def test_a_member_leaving_while_being_assessed_ends_their_assessment(client, world, assessed):
    assessed(Category.CAPABLE)
    member = add_member(client, world.caseworker1, world.h_a1)
    process = MemberAssessmentProcess.objects.get(member=member)
    client.force_login(world.caseworker1)
    url = reverse("registry:household:member_leave", args=[world.h_a1.pk, member.pk])
    response = client.post(url, {"reason": "deceased", "on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.status == PROCESS.CANCELED
    assert not open_tasks_about(member).exists()


def test_the_head_cannot_leave_before_a_new_head_is_named(client, world):
    head = world.h_a1.members.get(relationship="head")
    other = world.h_a1.members.exclude(pk=head.pk).first()
    client.force_login(world.caseworker1)
    # The page offers no leave link for the head, and the service refuses it in Chinese.
    url = reverse("registry:household:member_leave", args=[world.h_a1.pk, head.pk])
    response = client.post(url, {"reason": "deceased", "on": timezone.localdate().isoformat()})
    assert response.status_code == 200
    assert "请先指定新的户主" in response.content.decode()

    url = reverse("registry:household:head_change", args=[world.h_a1.pk])
    response = client.post(url, {"new_head": other.pk, "former_head_relationship": "parent"})
    assert response.status_code == 302
    heads = list(world.h_a1.members.filter(relationship="head"))
    assert heads == [other]
    head.refresh_from_db()
    assert head.relationship == "parent"
    url = reverse("registry:household:member_leave", args=[world.h_a1.pk, head.pk])
    response = client.post(url, {"reason": "deceased", "on": timezone.localdate().isoformat()})
    assert response.status_code == 302


def test_leaving_in_the_future_is_refused(client, world):
    other = world.h_a1.members.exclude(relationship="head").first()
    client.force_login(world.caseworker1)
    url = reverse("registry:household:member_leave", args=[world.h_a1.pk, other.pk])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(url, {"reason": "moved_out", "on": tomorrow.isoformat()})
    assert response.status_code == 200
    assert "离户日期不能晚于今天" in response.content.decode()
    other.refresh_from_db()
    assert other.left_on is None


def test_the_household_review_leaves_a_later_members_own_assessment_to_its_review(client, world):
    household = world.h_a1
    process = h.household_process(household)
    head = household.members.get(relationship="head")
    h.do(
        client,
        world.caseworker1,
        h.open_task(process, h.HouseholdFlow.assess),
        h.assessment_data(household, {head.name: Category.CAPABLE}),
    )
    # She marries in while the household's assessment waits for review.
    member = add_member(client, world.caseworker1, household)
    member_process = MemberAssessmentProcess.objects.get(member=member)
    assess_alone(client, world, member_process, member, Category.CAPABLE)
    client.force_login(world.manager)
    review = h.open_task(process, h.HouseholdFlow.review)
    h.do(client, world.manager, review, {})
    page = client.get(h.url(review, "execute")).content.decode()
    assert "新成员" not in page  # the household's review lists only the household's assessment
    response = client.post(h.url(review, "execute"), {"decision": "approve"})
    assert response.status_code == 302
    assert Assessment.objects.get(member=member).review == Assessment.Review.PENDING
    assert not EmploymentCase.objects.filter(member=member).exists()
    assert h.open_nodes(member_process) == ["review"]
    approve_alone(client, world, member_process)
    assert EmploymentCase.objects.get(member=member).state == State.SEEKING


def _edit(client, user, member, **changes):
    client.force_login(user)
    data = {
        "name": member.name,
        "document_type": member.document_type,
        "relationship": member.relationship,
        "education": member.education,
        "in_school": "on" if member.in_school else "",
        "health": member.health,
        "labour_capacity": member.labour_capacity,
        "political_status": member.political_status,
        **changes,
    }
    if not data["in_school"]:
        data.pop("in_school")
    url = reverse("registry:household:member_change", args=[member.household_id, member.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_non_labour_member_whose_capacity_changes_is_assessed_again(client, world, assessed):
    assessed(Category.CAPABLE)  # the others are assessed 非劳动力
    member = world.h_a1.members.exclude(relationship="head").order_by("pk").first()
    _edit(client, world.caseworker1, member, phone="13912345678")
    assert not MemberAssessmentProcess.objects.filter(member=member).exists()  # not for a phone

    _edit(client, world.caseworker1, member, labour_capacity="skilled")
    process = MemberAssessmentProcess.objects.get(member=member)
    assert h.open_nodes(process) == ["assess"]


def test_a_member_with_an_open_case_is_not_given_a_second_assessment(client, world, assessed):
    case = assessed(Category.CAPABLE)
    _edit(client, world.caseworker1, case.member, labour_capacity="weak")
    assert not MemberAssessmentProcess.objects.filter(member=case.member).exists()
    assert h.open_nodes(h.employment_process(case)) == ["placement"]


def test_a_split_household_keeps_every_members_case_and_history(client, world, assessed):
    household = world.h_a1
    assessed(Category.CAPABLE)
    son = add_member(client, world.caseworker1, household, name="长子", relationship="son")
    process = MemberAssessmentProcess.objects.get(member=son)
    assess_alone(client, world, process, son, Category.CAPABLE)
    approve_alone(client, world, process)
    case = EmploymentCase.objects.get(member=son)
    history_before = AuditEvent.objects.filter(object_id=str(son.pk)).count()

    client.force_login(world.caseworker1)
    url = reverse("registry:household:split", args=[household.pk])
    head = household.members.get(relationship="head")
    response = client.post(url, {"number": "A1-0002", f"member_{head.pk}": "on", "head": head.pk})
    assert response.status_code == 200  # the head is not offered: they stay with the household
    assert "A1-0002" in response.content.decode()  # what was entered is kept
    assert not Member.objects.filter(household__number="A1-0002").exists()
    response = client.post(
        url, {"number": "A1-0002", f"member_{son.pk}": "on", "head": son.pk, "room": "302"}
    )
    assert response.status_code == 302

    son.refresh_from_db()
    new = son.household
    assert (new.number, new.grid, new.room) == ("A1-0002", household.grid, "302")
    assert son.relationship == "head" and son.arrival == "split"
    assert list(household.members.filter(relationship="head")) == [head]
    case.refresh_from_db()
    assert case.closed_at is None and case.state == State.SEEKING  # the case goes with him
    assert h.open_nodes(h.employment_process(case)) == ["placement"]
    assert AuditEvent.objects.filter(object_id=str(son.pk)).count() >= history_before
    # The new household's own assistance starts with its assessment; approving it opens no
    # second case for him.
    new_process = h.household_process(new)
    assert h.open_nodes(new_process) == ["assess"]
    h.do(
        client,
        world.caseworker1,
        h.open_task(new_process, h.HouseholdFlow.assess),
        h.assessment_data(new, {son.name: Category.CAPABLE}),
    )
    h.do(
        client,
        world.manager,
        h.open_task(new_process, h.HouseholdFlow.review),
        {"decision": "approve"},
    )
    assert EmploymentCase.objects.filter(member=son).count() == 1
    assert AuditEvent.objects.filter(action="household.split", household_id=household.pk).exists()
    # His processes are keyed to the household he now belongs to: the old household's helper
    # no longer sees them.
    assert process_scopes_check().clean
    keyed = ProcessScope.objects.get(process=h.employment_process(case))
    assert keyed.household_id == new.pk
    client.force_login(world.helper)
    detail = reverse("workflow:flows:employment:process_detail", args=[case.process.pk])
    assert client.get(detail).status_code == 404


def test_the_split_service_keeps_the_head_with_the_household(world):
    head = world.h_a1.members.get(relationship="head")
    with pytest.raises(ValidationError) as refused:
        household_split(
            actor=world.caseworker1, household=world.h_a1, members=[head], head=head,
            number="A1-0009",
        )  # fmt: skip
    assert refused.value.message_dict["members"] == [
        "户主留在A1-0001户：户主如要分出，请先变更户主。"
    ]


def test_the_member_assessment_follows_the_assessment_rules_on_her_row(client, world, assessed):
    assessed(Category.CAPABLE)
    member = add_member(client, world.caseworker1, world.h_a1)
    process = MemberAssessmentProcess.objects.get(member=member)
    response = h.do(
        client,
        world.caseworker1,
        h.open_task(process, MF.assess),
        member_assessment_data(member, Category.THREE_NO),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "请填写 新成员 评估为“三无”的原因说明。" in page
    assert not Assessment.objects.filter(member=member).exists()
