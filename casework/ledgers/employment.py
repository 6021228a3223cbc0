"""The employment ledger (就业台账): one row per labour member, the columns of
reference/domain.md §5.9, written to Excel. ``services.employment_ledger_export`` scopes and
records it."""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from casework.cases.models import Assessment, EmploymentCase
from casework.cases.selectors import is_labour_member
from casework.common.xlsx import safe_cell as _cell
from casework.permissions import PersonalData
from casework.placement.models import Channel, Placement
from casework.policy.models import Code
from casework.policy.selectors import CodeBook
from casework.posts.models import PostAssignment
from casework.registry.models import Household, Member
from casework.training.models import Enrolment


@dataclass(frozen=True)
class Column:
    title: str
    value: Any  # callable(EmploymentLedgerRow) -> cell value


@dataclass
class EmploymentLedgerRow:
    number: int
    household: Household
    member: Member
    head: Member
    assessment: Assessment | None
    case: EmploymentCase | None
    placement: Placement | None
    post: PostAssignment | None
    enrolment: Enrolment | None
    unmasked: bool
    members: int
    labour: int
    employed: int
    codes: CodeBook  # labels and groupings of the code lists, read once per ledger

    def document(self, member: Member) -> str:
        return PersonalData(unmasked=self.unmasked).document(member.document_number)

    def phone(self, member: Member) -> str:
        return PersonalData(unmasked=self.unmasked).phone(member.phone)


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("是" if value else "否")


def _date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def _residence(row: EmploymentLedgerRow) -> str:
    return row.household.address


def _channel(row: EmploymentLedgerRow) -> str:
    code = _channel_code(row)
    return row.codes.label(Code.List.CHANNEL, code) if code else ""


def _channel_code(row: EmploymentLedgerRow) -> str:
    if row.placement:
        return row.placement.channel
    if row.post and row.post.status == PostAssignment.Status.ON_POST:
        return Channel.PUBLIC_WELFARE
    return ""


def _group(row: EmploymentLedgerRow) -> str:
    return row.codes.group(Code.List.CHANNEL, _channel_code(row))


def _group_five(row: EmploymentLedgerRow) -> str:
    return row.codes.group_five(Code.List.CHANNEL, _channel_code(row))


def _desired_trade(row: EmploymentLedgerRow) -> str:
    code = row.assessment.desired_trade if row.assessment else ""
    return row.codes.label(Code.List.TRADE, code) if code else ""


def _county(row: EmploymentLedgerRow) -> str:
    site = row.household.grid.site
    return site.county.name if site.county else ""


def _transport(row: EmploymentLedgerRow) -> str:
    return yes_no(row.placement.organised_transport) if row.placement else ""


def _post_name(row: EmploymentLedgerRow) -> str:
    return str(row.post.post or row.post.get_post_type_display()) if row.post else ""


def _post_term(row: EmploymentLedgerRow) -> str:
    if not row.post or not row.post.start_date:
        return ""
    return f"{_date(row.post.start_date)}至{_date(row.post.end_date)}"


def _post_subsidy(row: EmploymentLedgerRow) -> Any:
    return float(row.post.post.monthly_subsidy) if row.post and row.post.post else ""


def _attendance(row: EmploymentLedgerRow) -> Any:
    if not row.enrolment or row.enrolment.attendance_rate is None:
        return ""
    return float(row.enrolment.attendance_rate)


COLUMNS = [
    Column("序号", lambda r: r.number),
    Column("县", _county),
    Column("乡镇", lambda r: r.household.grid.site.township),
    Column("安置点", lambda r: r.household.grid.site.name),
    Column("网格", lambda r: r.household.grid.name),
    Column("楼栋-单元-房号", _residence),
    Column("原籍", lambda r: r.household.origin_region.name if r.household.origin_region else ""),
    Column("户编号", lambda r: r.household.number),
    Column("户主姓名", lambda r: r.head.name),
    Column("户主身份证号", lambda r: r.document(r.head)),
    Column("家庭人口数", lambda r: r.members),
    Column("劳动力人数", lambda r: r.labour),
    Column("已就业人数", lambda r: r.employed),
    Column("户类型", lambda r: r.household.get_household_type_display()),
    Column("监测对象类别", lambda r: r.household.get_monitoring_display()),
    Column("三色标签", lambda r: r.household.get_colour_display()),
    Column("姓名", lambda r: r.member.name),
    Column("性别", lambda r: r.member.get_sex_display()),
    Column("出生日期", lambda r: _date(r.member.birth_date)),
    Column("身份证号", lambda r: r.document(r.member)),
    Column("联系电话", lambda r: r.phone(r.member)),
    Column("与户主关系", lambda r: r.member.get_relationship_display()),
    Column("文化程度", lambda r: r.member.get_education_display()),
    Column("在校生", lambda r: yes_no(r.member.in_school)),
    Column("劳动技能", lambda r: r.member.get_labour_capacity_display()),
    Column("评估分类", lambda r: r.assessment.get_category_display() if r.assessment else ""),
    Column("就业意愿", lambda r: yes_no(r.assessment.work_willing) if r.assessment else ""),
    Column("培训意愿", lambda r: yes_no(r.assessment.training_willing) if r.assessment else ""),
    Column("意向工种", _desired_trade),
    Column("意向地域", lambda r: r.assessment.get_desired_area_display() if r.assessment else ""),
    Column("就业状态", lambda r: r.case.get_state_display() if r.case else "待摸底"),
    Column("就业渠道", _channel),
    Column("七个一批", _group),
    Column("五个一批", _group_five),
    Column("就业单位", lambda r: r.placement.employer_name if r.placement else ""),
    Column("所属行业", lambda r: r.placement.industry if r.placement else ""),
    Column("就业地域", lambda r: r.placement.get_location_class_display() if r.placement else ""),
    Column("务工所在地", lambda r: r.placement.place if r.placement else ""),
    Column("就业起始日期", lambda r: _date(r.placement.start_date) if r.placement else ""),
    Column("就业终止日期", lambda r: _date(r.placement.end_date) if r.placement else ""),
    Column("务工月收入", lambda r: float(r.placement.monthly_income) if r.placement else ""),
    Column("合同月数", lambda r: r.placement.contract_months if r.placement else ""),
    Column("是否点对点输送", _transport),
    Column("公益性岗位", _post_name),
    Column("岗位聘期", _post_term),
    Column("岗位月补贴", _post_subsidy),
    Column("培训项目", lambda r: r.enrolment.course.name if r.enrolment else ""),
    Column("出勤率", _attendance),
    Column("培训结果", lambda r: r.enrolment.get_status_display() if r.enrolment else ""),
    Column("证书编号", lambda r: r.enrolment.certificate_number if r.enrolment else ""),
]  # fmt: skip


def _latest(items: Iterable[Any], key: str) -> Any:
    items = list(items)
    return max(items, key=lambda item: getattr(item, key)) if items else None


def _current(items: list[Any], is_current: Any, key: str) -> Any:
    """The episode under way if there is one, else the latest."""
    current = [item for item in items if is_current(item)]
    return _latest(current or items, key)


def _current_work(member: Member) -> tuple[Placement | None, PostAssignment | None]:
    """The member's current (else latest) placement and public-welfare post."""
    placement = _current(list(member.placements.all()), lambda p: p.end_date is None, "start_date")
    post = _current(
        [p for p in member.posts.all() if p.status != PostAssignment.Status.REFUSED],
        lambda p: p.status == PostAssignment.Status.ON_POST,
        "applied_at",
    )
    if post is not None and post.status == PostAssignment.Status.ON_POST:
        if placement is not None and placement.end_date is not None:
            placement = None  # on a post now: an old job is not the current work
    return placement, post


def employment_ledger_rows(
    households: QuerySet[Household], *, unmasked: bool | frozenset[int] = False
) -> Iterator[EmploymentLedgerRow]:
    """One row per labour member of ``households`` (already scoped by the caller), in a fixed
    number of queries. ``unmasked``: True, or the ids of the households whose identifiers may
    be shown whole."""
    households = (
        households.select_related("grid__site__county", "origin_region")
        .prefetch_related(
            Prefetch("members", queryset=Member.objects.current().order_by("pk")),
            Prefetch("members__assessments"),
            Prefetch("members__employment_cases"),
            Prefetch("members__placements"),
            Prefetch("members__posts", queryset=PostAssignment.objects.select_related("post")),
            Prefetch("members__enrolments", queryset=Enrolment.objects.select_related("course")),
        )
        .order_by("number")
    )
    number = 0
    codes = CodeBook()
    for household in households:
        members = list(household.members.all())
        head = next((m for m in members if m.is_head), members[0])
        assessed = {m.pk: _latest(m.assessments.all(), "version") for m in members}
        labour = [m for m in members if is_labour_member(m, assessed[m.pk])]
        cases = {m.pk: _latest(m.employment_cases.all(), "opened_at") for m in labour}
        in_work = (*EmploymentCase.WORKING_STATES, EmploymentCase.State.STABLE)
        employed = sum(1 for case in cases.values() if case and case.state in in_work)
        for member in labour:
            number += 1
            placement, post = _current_work(member)
            yield EmploymentLedgerRow(
                number=number,
                household=household,
                member=member,
                head=head,
                assessment=assessed[member.pk],
                case=cases[member.pk],
                placement=placement,
                post=post,
                enrolment=_latest(member.enrolments.all(), "enrolled_at"),
                unmasked=unmasked is True or household.pk in (unmasked or ()),
                members=len(members),
                labour=len(labour),
                employed=employed,
                codes=codes,
            )


def employment_ledger_workbook(
    households: QuerySet[Household], *, unmasked: bool | frozenset[int] = False
) -> bytes:
    """The employment ledger of ``households`` as an Excel workbook."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Employment ledger")[:31]
    sheet.append([column.title for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in employment_ledger_rows(households, unmasked=unmasked):
        sheet.append([_cell(column.value(row)) for column in COLUMNS])
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
