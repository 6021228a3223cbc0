"""A public-welfare post month by month (issue 21, acceptance 3): a month of attendance and
scores for a post with five holders entered in one form; the subsidy roll by the rules in force
(days short of the full month, a score below the full mark, a failed score, a term starting in
the month), approved by the site's manager, exported for the finance office with the right
amounts, and locked once approved."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from casework.audit.models import AuditEvent
from casework.posts.models import PostAssignment, PostAttendance, SubsidyRoll
from casework.posts.services import AttendanceEntry, post_month_record, subsidy_roll_approve
from casework.registry.validators import mask_document_number
from tests.conftest import login
from tests.reports.dashboard.world import Maker

pytestmark = pytest.mark.django_db

MONTH = datetime.date(2026, 10, 1)  # 31 days
# name: (term start, days worked, score, amount paid)
HOLDERS = {
    "全勤甲": (datetime.date(2026, 1, 1), 22, None, "800.00"),
    "半月乙": (datetime.date(2026, 1, 1), 11, None, "400.00"),
    "七五丙": (datetime.date(2026, 1, 1), 22, 75, "600.00"),
    "不合格丁": (datetime.date(2026, 1, 1), 30, 50, "0.00"),
    # On the post from the 16th: 16 of 31 days due (412.90); of those days 22 × 16/31 = 11.35
    # days of work are asked, 11 were worked: 412.90 × 11 / 11.35 = 400.00.
    "月中戊": (datetime.date(2026, 10, 16), 11, 95, "400.00"),
}


@pytest.fixture
def post_of_five(world):
    make = Maker(world)
    post = make.post(world.site_a, 5)
    holders = {}
    for index, (name, (start, *_rest)) in enumerate(HOLDERS.items()):
        household = make.household(world.grid_a1, {"name": name}, number=f"A1-09{index:02d}")
        (member,) = make.members(household)
        case = make.case(member, "on_post")
        assignment = make.hold(case, post, PostAssignment.Status.ON_POST)
        PostAssignment.objects.filter(pk=assignment.pk).update(
            start_date=start, end_date=start.replace(year=start.year + 1)
        )
        holders[name] = assignment
    return post, holders


def _month_url(post):
    return reverse("placement:post:month", args=[post.pk, MONTH.year, MONTH.month])


def _form(holders):
    data = {}
    for name, (_start, days, score, _amount) in HOLDERS.items():
        data[f"days-{holders[name].pk}"] = str(days)
        data[f"score-{holders[name].pk}"] = "" if score is None else str(score)
    return data


def test_a_month_of_five_holders_is_entered_in_one_form_and_the_roll_pays_by_the_rules(
    client, world, post_of_five
):
    post, holders = post_of_five
    login(client, world.caseworker1)
    page = client.get(_month_url(post))
    assert page.status_code == 200
    assert page.content.decode().count('data-test="holder"') == 5

    # One form for all five.
    response = client.post(_month_url(post), _form(holders))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert PostAttendance.objects.filter(month=MONTH).count() == 5
    assert AuditEvent.objects.filter(action="post.attendance").count() == 5

    # The month in progress is not approved before it ends.
    this_month = timezone.localdate().replace(day=1)
    with pytest.raises(ValidationError) as early:
        subsidy_roll_approve(actor=world.manager, post=post, month=this_month)
    assert "尚未结束" in str(early.value)

    # A caseworker may not approve; the site's manager does.
    assert client.post(_month_url(post), {"action": "approve"}).status_code == 403
    login(client, world.manager)
    page = client.get(_month_url(post)).content.decode()
    for _start, _days, _score, amount in HOLDERS.values():
        assert amount in page
    response = client.post(_month_url(post), {"action": "approve"})
    assert response.status_code == 302
    roll = SubsidyRoll.objects.get(post=post, month=MONTH)
    amounts = {line.assignment.member.name: line.amount for line in roll.lines.all()}
    assert amounts == {name: Decimal(v[3]) for name, v in HOLDERS.items()}
    assert roll.total == Decimal("2200.00")
    due = {line.assignment.member.name: line.due for line in roll.lines.all()}
    assert due["月中戊"] == Decimal("412.90") and due["全勤甲"] == Decimal("800.00")

    # Exported for the finance office: every holder's amounts and the total, IDs masked.
    response = client.post(_month_url(post), {"action": "export"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "姓名", "证件号码") and rows[0][-1] == "实发补贴（元）"
    by_name = {row[1]: row for row in rows[1:-1]}
    for name, (_start, days, score, amount) in HOLDERS.items():
        row = by_name[name]
        assert row[2] == mask_document_number(holders[name].member.document_number)
        assert (row[4], row[5] or None, Decimal(str(row[8]))) == (days, score, Decimal(amount))
    assert rows[-1][0] == "合计" and Decimal(str(rows[-1][8])) == Decimal("2200.00")
    assert AuditEvent.objects.filter(action="subsidy_roll.export").count() == 1
    # Whole ID numbers on request (a right of the manager's), recorded as such.
    response = client.post(_month_url(post), {"action": "export", "unmasked": "1"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    numbers = {row[1]: row[2] for row in list(sheet.iter_rows(values_only=True))[1:-1]}
    assert numbers["全勤甲"] == holders["全勤甲"].member.document_number
    assert AuditEvent.objects.filter(action="subsidy_roll.export_unmasked").count() == 1

    # Approved, the month cannot change: not through the page, not through the service.
    login(client, world.caseworker1)
    changed = {**_form(holders), f"days-{holders['半月乙'].pk}": "22"}
    response = client.post(_month_url(post), changed)
    assert response.status_code == 200
    assert "补贴发放表已审批" in response.content.decode()
    assert PostAttendance.objects.get(assignment=holders["半月乙"], month=MONTH).days_worked == 11
    with pytest.raises(ValidationError):
        post_month_record(
            actor=world.manager, post=post, month=MONTH,
            entries=[AttendanceEntry(holders["半月乙"].pk, 22)],
        )  # fmt: skip
    with pytest.raises(ValidationError):
        subsidy_roll_approve(actor=world.manager, post=post, month=MONTH)
    assert SubsidyRoll.objects.get().lines.get(assignment=holders["半月乙"]).amount == 400


def test_a_bad_row_refuses_the_whole_form_and_approval_waits_for_every_holder(
    client, world, post_of_five
):
    post, holders = post_of_five
    login(client, world.caseworker1)
    bad = {**_form(holders), f"days-{holders['七五丙'].pk}": "40"}
    response = client.post(_month_url(post), bad)
    assert response.status_code == 200
    assert "七五丙：出勤天数须在 0 到 31 之间" in response.content.decode()
    assert not PostAttendance.objects.exists()

    # Four of five entered: the manager cannot approve yet, and is told whose month is missing.
    partial = _form(holders)
    partial[f"days-{holders['月中戊'].pk}"] = partial[f"score-{holders['月中戊'].pk}"] = ""
    assert client.post(_month_url(post), partial).status_code == 302
    with pytest.raises(ValidationError) as refused:
        subsidy_roll_approve(actor=world.manager, post=post, month=MONTH)
    assert "月中戊" in str(refused.value)
    assert not SubsidyRoll.objects.exists()
