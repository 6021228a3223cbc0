"""A reassessment starts with nothing chosen and follows the assessment rules. One that changes
the category goes to the manager's review (four eyes) before the case re-routes; one that keeps
it re-routes at once unless a parameter asks for review too."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from casework.audit.models import AuditEvent
from casework.cases import services as case_services
from casework.cases.models import Assessment, Category, EmploymentCase
from casework.cases.services import ROUTE_BY_CATEGORY
from casework.policy.models import Parameter
from tests.workflows import helpers as h
from workflows.flows import EmploymentFlow as EF

pytestmark = pytest.mark.django_db
State = EmploymentCase.State
Review = Assessment.Review


@pytest.fixture
def to_reassess(client, world, assessed):
    """A 能人 case whose member refused a referral: its reassess task is open."""
    case = assessed(Category.CAPABLE)
    process = h.employment_process(case)
    h.do(
        client,
        world.caseworker1,
        h.open_task(process, EF.placement),
        {"outcome": "refused", "refusal_reason": "想先学一门手艺"},
    )
    assert h.open_nodes(process) == ["reassess"]
    case.refresh_from_db()
    return case, process


def _reassess(client, world, process, category, **overrides):
    task = h.open_task(process, EF.reassess)
    response = h.do(client, world.caseworker1, task, h.assessment_entry(category, **overrides))
    assert response.status_code == 302, response.context["form"].errors
    return response


def _latest(case):
    return case.member.assessments.order_by("-version").first()


def test_a_changed_category_waits_for_the_managers_review(client, world, to_reassess):
    case, process = to_reassess
    _reassess(client, world, process, Category.TRAINING)
    assert h.open_nodes(process) == ["reassess_review"]
    case.refresh_from_db()
    assert (case.state, case.category) == (State.REASSESSING, Category.CAPABLE)
    assert _latest(case).review == Review.PENDING
    review = h.open_task(process, EF.reassess_review)
    assert review.deadline.due_at.date() == timezone.localdate() + datetime.timedelta(days=5)

    client.force_login(world.caseworker1)
    assert client.post(h.url(review, "assign")).status_code == 403  # managers review
    page_response = h.do(client, world.manager, review, {"decision": "approve"})
    assert page_response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.category) == (ROUTE_BY_CATEGORY[Category.TRAINING], Category.TRAINING)
    assessment = _latest(case)
    assert (assessment.review, assessment.reviewed_by) == (Review.APPROVED, world.manager)
    assert h.open_nodes(process) == ["enrol"]
    assert AuditEvent.objects.filter(action="assessment.approve", object_id=assessment.pk).exists()


def test_the_review_page_shows_the_reassessment_in_chinese(client, world, to_reassess):
    case, process = to_reassess
    _reassess(client, world, process, Category.TRAINING)
    review = h.open_task(process, EF.reassess_review)
    client.force_login(world.manager)
    client.post(h.url(review, "assign"))
    page = client.get(h.url(review, "execute")).content.decode()
    assert "审核重新评估" in page and "需培训" in page and case.member.name in page


def test_sent_back_with_a_reason_the_member_is_reassessed_again(client, world, to_reassess):
    case, process = to_reassess
    _reassess(client, world, process, Category.TRAINING)
    review = h.open_task(process, EF.reassess_review)
    response = h.do(client, world.manager, review, {"decision": "return", "reason": ""})
    assert response.status_code == 200
    assert "请说明退回的原因。" in response.content.decode()
    response = client.post(
        h.url(review, "execute"), {"decision": "return", "reason": "本人有厨师证"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.REASSESSING
    assert _latest(case).review == Review.RETURNED
    assert h.open_nodes(process) == ["reassess"]

    task = h.open_task(process, EF.reassess)
    client.force_login(world.caseworker1)
    client.post(h.url(task, "assign"))
    assert "本人有厨师证" in client.get(h.url(task, "execute")).content.decode()
    _reassess(client, world, process, Category.CAPABLE)  # the category it had: no review
    case.refresh_from_db()
    assert case.state == ROUTE_BY_CATEGORY[Category.CAPABLE]
    assert _latest(case).review == Review.NOT_REQUIRED
    assert h.open_nodes(process) == ["placement"]


def test_an_unchanged_category_re_routes_at_once(client, world, to_reassess):
    case, process = to_reassess
    _reassess(client, world, process, Category.CAPABLE)
    case.refresh_from_db()
    assert case.state == ROUTE_BY_CATEGORY[Category.CAPABLE]
    assert _latest(case).review == Review.NOT_REQUIRED
    assert h.open_nodes(process) == ["placement"]


def test_the_parameter_sends_an_unchanged_category_to_review_too(client, world, to_reassess):
    Parameter.objects.create(
        key="assessment.review_unchanged_reassessment",
        value=True,
        valid_from=timezone.localdate(),
    )
    case, process = to_reassess
    _reassess(client, world, process, Category.CAPABLE)
    case.refresh_from_db()
    assert case.state == State.REASSESSING
    assert _latest(case).review == Review.PENDING
    assert h.open_nodes(process) == ["reassess_review"]
    h.do(client, world.manager, h.open_task(process, EF.reassess_review), {"decision": "approve"})
    case.refresh_from_db()
    assert case.state == ROUTE_BY_CATEGORY[Category.CAPABLE]
    assert h.open_nodes(process) == ["placement"]


def test_out_of_the_labour_force_closes_the_case_only_after_approval(client, world, to_reassess):
    case, process = to_reassess
    _reassess(client, world, process, Category.NOT_LABOUR, labour_capacity="lost")
    case.refresh_from_db()
    assert not case.is_closed
    h.do(client, world.manager, h.open_task(process, EF.reassess_review), {"decision": "approve"})
    case.refresh_from_db()
    assert case.state == State.NOT_IN_SCOPE and case.is_closed
    assert h.open_nodes(process) == []


def test_whoever_reassessed_may_not_review(world, to_reassess):
    case, _process = to_reassess
    entry = case_services.AssessmentEntry(
        member=case.member, category=Category.TRAINING, labour_capacity="ordinary",
        training_willing=True,
    )  # fmt: skip
    case_services.case_reassess(actor=world.manager, case=case, entry=entry)
    with pytest.raises(PermissionDenied):
        case_services.reassessment_review(actor=world.manager, case=case, approve=True)
    case.refresh_from_db()
    assert case.state == State.REASSESSING
    case_services.reassessment_review(actor=world.admin, case=case, approve=True)
    case.refresh_from_db()
    assert case.state == ROUTE_BY_CATEGORY[Category.TRAINING]


def test_a_reassessment_follows_the_rules(client, world, to_reassess):
    case, process = to_reassess
    task = h.open_task(process, EF.reassess)
    data = h.assessment_entry(Category.THREE_NO, reasons="")
    response = h.do(client, world.caseworker1, task, data)
    assert response.status_code == 200
    assert response.context["form"].errors["reasons"] == [
        f"请填写 {case.member.name} 评估为“三无”的原因说明。"
    ]
    assert h.open_nodes(process) == ["reassess"]


def test_the_reassessment_page_starts_with_nothing_chosen(client, world, to_reassess):
    case, process = to_reassess
    task = h.open_task(process, EF.reassess)
    client.force_login(world.caseworker1)
    client.post(h.url(task, "assign"))
    page = client.get(h.url(task, "execute"))
    form = page.context["form"]
    assert [form[name].value() for name in ("category", "work_willing", "training_willing")] == [
        None,
        None,
        None,
    ]
    assert "上次评估： 能人 ·" in page.content.decode()  # shown, not pre-selected
    response = client.post(h.url(task, "execute"), {"labour_capacity": "ordinary"})
    assert response.status_code == 200
    assert response.context["form"].errors["category"] == [f"请为 {case.member.name} 选择类别。"]
    assert h.open_nodes(process) == ["reassess"]
