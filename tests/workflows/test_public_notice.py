"""Public notice (公示) as a flow step (issue 21, acceptance 2): a public-welfare post's approval
goes on notice for five working days of the real calendar; an objection blocks it until it is
resolved; the printed notice holds the masked name and the period; everything is audited and in
the case file; the public page needs no login and shows only what the board shows."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.audit.models import AuditEvent
from casework.audit.verify import verify_chain
from casework.cases.models import Category, EmploymentCase
from casework.notices.models import PublicNotice
from casework.notices.public import public_name
from casework.policy.workdays import working_days_after
from casework.posts.models import PostAssignment
from casework.posts.services import post_eligibility
from tests import factories
from tests.conftest import login
from tests.reports.casefile.test_casefile import pdftotext
from tests.workflows import helpers as h
from workflows.flows import EmploymentFlow as EF

State = EmploymentCase.State


def _days_later(days):
    later = timezone.now() + datetime.timedelta(days=days)
    return mock.patch("django.utils.timezone.now", return_value=later)


def _approved(client, world, case, welfare_post):
    process = h.employment_process(case)
    h.do(client, world.caseworker1, h.open_task(process, EF.post_application),
         {"outcome": "apply", "post": welfare_post.pk, "note": "身体较弱，愿意做保洁"})  # fmt: skip
    response = h.do(
        client, world.manager, h.open_task(process, EF.post_approval),
        {"decision": "approve", "start_date": timezone.localdate().isoformat()},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    return process


def test_a_post_approval_goes_through_notice_and_an_objection_blocks_it_until_resolved(
    client, world, assessed, welfare_post, tmp_path
):
    case = assessed(Category.THREE_NO)
    member = case.member
    process = _approved(client, world, case, welfare_post)

    # Approved: the place is held on notice; the case still awaits its post.
    assert h.open_nodes(process) == ["post_notice"]
    case.refresh_from_db()
    assert case.state == State.AWAITING_POST
    assert PostAssignment.objects.get(case=case).status == PostAssignment.Status.NOTICE
    notice = PublicNotice.objects.get()
    today = timezone.localdate()
    assert (notice.kind, notice.status) == ("post", "posted")
    assert (notice.starts_on, notice.working_days) == (today, 5)
    assert notice.ends_on == working_days_after(today, 5)
    assert notice.posted_by == world.manager

    # The step's page shows the notice as the board does: the masked name, never the full one.
    task = h.open_task(process, EF.post_notice)
    login(client, world.caseworker1)
    client.post(h.url(task, "assign"))
    page = client.get(h.url(task, "execute")).content.decode()
    masked = public_name(member.name)
    assert masked != member.name and member.name[0] + "*" in masked
    assert "公益性岗位拟聘用人员公示" in page and masked in page
    assert f"公示期：{today:%Y-%m-%d} 至 {notice.ends_on:%Y-%m-%d}（5 个工作日）" in page

    # The printed notice (PDF): masked name, period, the QR code's link; no ID, no phone.
    response = client.post(reverse("notices:print", args=[notice.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdftotext(response.content, tmp_path)
    flat = "".join(text.split())
    assert masked in flat and member.name not in flat
    assert f"公示期：{today:%Y-%m-%d}至{notice.ends_on:%Y-%m-%d}（5个工作日）" in flat
    assert "社区保洁员" in flat and "800.00" in flat
    assert member.document_number not in flat and str(notice.token) in flat

    # The public page (the QR code's link) needs no login and shows the same.
    client.logout()
    public = client.get(notice.get_public_url())
    assert public.status_code == 200
    assert masked in public.content.decode() and member.name not in public.content.decode()
    assert "正在公示期内" in public.content.decode()
    login(client, world.caseworker1)

    # Concluding before the period ends is refused, saying until when.
    response = client.post(h.url(task, "execute"), {"outcome": "pass", "reason": ""})
    assert response.status_code == 200
    assert f"公示期至 {notice.ends_on:%Y-%m-%d}" in response.content.decode()

    # An objection comes in (recorded on the step's page).
    response = client.post(
        h.url(task, "execute"),
        {"form": "objection", "objection-objector": "匿名",
         "objection-content": "该户儿子在外务工，家庭收入不低",
         "objection-received_on": today.isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    objection = notice.objections.get()
    assert (objection.objector, objection.resolved) == ("匿名", False)

    # After the period, the unresolved objection still blocks the notice.
    with _days_later((notice.ends_on - today).days + 1):
        login(client, world.caseworker1)  # a new day: the session of the days before is over
        response = client.post(h.url(task, "execute"), {"outcome": "pass", "reason": ""})
        assert response.status_code == 200
        assert "还有 1 条异议未处理" in response.content.decode()
        assert h.open_nodes(process) == ["post_notice"]

        # Resolved (not upheld), the notice passes: the member takes up the post.
        response = client.post(
            h.url(task, "execute"),
            {"form": "resolve", "resolve-objection": objection.pk, "resolve-upheld": "no",
             "resolve-resolution": "经入户核实，儿子务工收入不稳定，符合条件"},
        )  # fmt: skip
        assert response.status_code == 302
        response = client.post(h.url(task, "execute"), {"outcome": "pass", "reason": ""})
        assert response.status_code == 302, response.content.decode()[:3000]
        started = timezone.localdate()
    case.refresh_from_db()
    assignment = PostAssignment.objects.get(case=case)
    notice.refresh_from_db()
    assert (notice.status, notice.concluded_by) == ("passed", world.caseworker1)
    assert case.state == State.ON_POST and assignment.status == PostAssignment.Status.ON_POST
    assert assignment.start_date == started  # the term runs from the end of the notice
    assert h.open_nodes(process) == ["wait_followup"]

    # All audited, on the household, the chain intact.
    actions = list(
        AuditEvent.objects.filter(household_id=member.household_id)
        .filter(action__regex=r"^(notice|post)\.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "post.apply", "post.approve", "notice.post", "notice.print", "notice.objection",
        "notice.resolve", "notice.conclude", "post.take_up",
    ]  # fmt: skip
    assert verify_chain().ok

    # The case file holds the notice and the objection with its resolution.
    login(client, world.manager)
    response = client.post(reverse("registry:household:casefile", args=[member.household_id]))
    text = "".join(pdftotext(response.content, tmp_path).split())
    section = text[text.index("公示") :]
    assert "公益性岗位拟聘用人员公示" in section and "已通过" in section
    assert "该户儿子在外务工，家庭收入不低" in section and "异议不成立" in section


def test_an_upheld_objection_allows_only_withdrawal_which_refuses_the_post(
    client, world, assessed, welfare_post
):
    case = assessed(Category.THREE_NO)
    process = _approved(client, world, case, welfare_post)
    task = h.open_task(process, EF.post_notice)
    login(client, world.caseworker1)
    client.post(h.url(task, "assign"))
    today = timezone.localdate()
    client.post(
        h.url(task, "execute"),
        {"form": "objection", "objection-objector": "邻居李某",
         "objection-content": "本人已在县城务工", "objection-received_on": today.isoformat()},
    )  # fmt: skip
    objection = PublicNotice.objects.get().objections.get()
    client.post(
        h.url(task, "execute"),
        {"form": "resolve", "resolve-objection": objection.pk, "resolve-upheld": "yes",
         "resolve-resolution": "经核实，本人在县城餐馆务工"},
    )  # fmt: skip
    with _days_later(30):
        login(client, world.caseworker1)
        response = client.post(h.url(task, "execute"), {"outcome": "pass", "reason": ""})
        assert response.status_code == 200
        assert "有异议经核实成立，公示不能通过" in response.content.decode()
    # Withdrawal needs a reason, and then refuses the application: the member is reassessed.
    response = client.post(h.url(task, "execute"), {"outcome": "withdraw", "reason": ""})
    assert "请填写撤回原因" in response.content.decode()
    response = client.post(
        h.url(task, "execute"), {"outcome": "withdraw", "reason": "异议成立，本人已就业"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assignment = PostAssignment.objects.get(case=case)
    assert assignment.status == PostAssignment.Status.REFUSED
    assert "经核实，本人在县城餐馆务工" in assignment.decision_reason
    assert case.state == State.REASSESSING and h.open_nodes(process) == ["reassess"]
    assert PublicNotice.objects.get().status == "withdrawn"
    # The place is free again: the notice held it only while it ran.
    assert not welfare_post.assignments.filter(status__in=PostAssignment.HOLDING).exists()
    # The withdrawal is the caseworker's, and the public page no longer shows the facts.
    assert assignment.decided_by == world.caseworker1
    client.logout()
    public = client.get(PublicNotice.objects.get().get_public_url()).content.decode()
    assert "本公示已撤回" in public and public_name(case.member.name) not in public


def test_the_notice_holds_its_place_and_only_its_handlers_may_print_it(
    client, world, assessed, welfare_post
):
    welfare_post.quota = 1
    welfare_post.save(update_fields=["quota"])
    case = assessed(Category.THREE_NO)
    _approved(client, world, case, welfare_post)
    notice = PublicNotice.objects.get()
    # Another grid's caseworker neither sees nor prints it.
    login(client, world.caseworker2)
    assert client.post(reverse("notices:print", args=[notice.pk])).status_code == 404
    # A second applicant of the same post finds the quota used by the notice's place.
    household = factories.household(world.admin, world.grid_a1, number="A1-0077")
    other = assessed(Category.THREE_NO, household=household)
    assert "名额" in "".join(post_eligibility(other, welfare_post))


@pytest.mark.parametrize(
    "name, shown", [("张三", "张*"), ("王小明", "王**"), ("欧阳娜娜", "欧阳**")]
)
def test_a_name_on_the_board_keeps_the_surname_only(name, shown):
    assert public_name(name) == shown


@pytest.mark.django_db(transaction=True)
def test_printing_is_recorded_in_a_transaction_of_its_own(client, world, assessed, welfare_post):
    """Outside a test's own transaction (as on the server), the print view records itself."""
    case = assessed(Category.THREE_NO)
    _approved(client, world, case, welfare_post)
    notice = PublicNotice.objects.get()
    login(client, world.manager)
    response = client.post(reverse("notices:print", args=[notice.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="notice.print", object_id=str(notice.pk)).exists()


def test_a_passed_notice_leaves_its_public_page_after_the_retention_days(
    client, world, assessed, welfare_post
):
    case = assessed(Category.THREE_NO)
    process = _approved(client, world, case, welfare_post)
    h.notice_pass(client, world.caseworker1, process)
    notice = PublicNotice.objects.get()
    masked = public_name(case.member.name)
    client.logout()
    assert masked in client.get(notice.get_public_url()).content.decode()
    with _days_later((notice.ends_on - timezone.localdate()).days + 31):  # notices.public_days
        page = client.get(notice.get_public_url()).content.decode()
    assert "公示期已结束" in page and masked not in page


def test_the_notice_is_written_in_chinese_whatever_the_approver_reads(
    client, world, assessed, welfare_post
):
    from django.utils import translation

    from casework.posts.services import post_decide
    from workflows.services import task_complete

    case = assessed(Category.THREE_NO)
    process = h.employment_process(case)
    h.do(client, world.caseworker1, h.open_task(process, EF.post_application),
         {"outcome": "apply", "post": welfare_post.pk})  # fmt: skip
    with translation.override("en"):
        task_complete(
            task=h.open_task(process, EF.post_approval), actor=world.manager,
            perform=lambda: post_decide(
                actor=world.manager, case=case, approve=True, start_date=timezone.localdate()
            ),
        )  # fmt: skip
    notice = PublicNotice.objects.get()
    assert notice.title == "公益性岗位拟聘用人员公示"
    assert notice.rows[0][0] == "姓名" and "社区居委会" in notice.text


def test_a_member_who_leaves_while_on_notice_frees_the_place(client, world, assessed, welfare_post):
    from workflows.lifecycle import member_departure_apply

    case = assessed(Category.THREE_NO)
    process = _approved(client, world, case, welfare_post)
    member = case.member
    # What the registry's departure hands on (the head would first be replaced as head).
    member.left_reason, member.left_on = "moved_out", timezone.localdate()
    member_departure_apply(actor=world.caseworker1, member=member)
    assignment = PostAssignment.objects.get(case=case)
    assert assignment.status == PostAssignment.Status.REFUSED
    assert PublicNotice.objects.get().status == "withdrawn"
    assert not welfare_post.assignments.filter(status__in=PostAssignment.HOLDING).exists()
    assert h.open_nodes(process) == []
