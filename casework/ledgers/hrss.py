"""The 人社 ledger (贫困劳动力就业信息, reference/domain.md §5.4): the 35 columns of the provincial
人社 system's export, one row per labour member, filled from the employment ledger's rows
(``employment.employment_ledger_rows``: the same scope, the same current work, the same
masking). The work columns describe the current work only (the post held, else the open job).
Columns the product does not hold (特色就业, 就业岗位(工种), 苏陕协作, 就业单位性质, 工资发放周期
and the subsidies other than the post's) are left empty for the county to fill in."""

import datetime
from io import BytesIO
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from casework.common.xlsx import safe_cell
from casework.placement.models import Channel
from casework.policy.codes import LocationClass
from casework.policy.models import Code
from casework.posts.models import PostAssignment
from casework.registry.models import Household, Member

from .employment import EmploymentLedgerRow, employment_ledger_rows, yes_no

SHEET_TITLE = "贫困劳动力就业信息"


def _month(value: datetime.date | None) -> str:
    return f"{value:%Y-%m}" if value else ""


def _on_post(row: EmploymentLedgerRow) -> bool:
    return bool(row.post and row.post.status == PostAssignment.Status.ON_POST)


def _job(row: EmploymentLedgerRow) -> Any:
    """The current work every work column is read from: the post held now, else the open job;
    None when neither (an ended job is history, not current work)."""
    if _on_post(row):
        return None
    if row.placement is not None and row.placement.end_date is None:
        return row.placement
    return None


def _kind(row: EmploymentLedgerRow) -> str:
    """就业类型: 公益性岗位, or where the current job is (the national 务工地点 classes)."""
    if _on_post(row):
        return "公益性岗位安置"
    job = _job(row)
    if job is None:
        return ""
    if job.channel == Channel.SELF_EMPLOYED:
        return "自主创业"
    return "就地就近就业" if job.location_class == LocationClass.COUNTY else "外出务工"


def _age(member: Member, today: datetime.date) -> Any:
    born = member.birth_date
    if not born:
        return ""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _region(row: EmploymentLedgerRow) -> str:
    site = row.household.grid.site
    return "".join(filter(None, (site.county.name if site.county else "", site.township)))


def _employer(row: EmploymentLedgerRow) -> str:
    job = _job(row)
    if job is not None:
        return str(job.employer_name)
    return str(row.post.post) if _on_post(row) and row.post and row.post.post else ""


def _channel(row: EmploymentLedgerRow) -> str:
    job = _job(row)
    code = job.channel if job else (Channel.PUBLIC_WELFARE if _on_post(row) else "")
    return row.codes.label(Code.List.CHANNEL, code) if code else ""


def _cells(row: EmploymentLedgerRow, today: datetime.date) -> list[Any]:
    member, assessment = row.member, row.assessment
    placement = _job(row)
    post = row.post if _on_post(row) else None
    work = placement or post
    start, end = (work.start_date, work.end_date) if work else (None, None)
    return [
        _region(row), member.name, member.get_sex_display(), _age(member, today),
        row.document(member), _kind(row),
        placement.get_location_class_display() if placement else ("县内" if post else ""),
        "", "", placement.place if placement else "",
        _employer(row), _month(start), _month(end),
        row.phone(member), row.household.get_household_type_display(),
        member.get_education_display(),
        yes_no(assessment.work_willing) if assessment else "",
        row.case.get_state_display() if row.case else "",
        yes_no(assessment.training_willing) if assessment else "",
        row.enrolment.get_status_display() if row.enrolment else "", "", today.year,
        yes_no(member.in_school),
        row.codes.label(Code.List.TRADE, assessment.desired_trade)
        if assessment and assessment.desired_trade else "",
        member.get_labour_capacity_display(), yes_no(member.health == Member.Health.DISABLED),
        _channel(row), "", placement.contract_months if placement else "",
        float(post.post.monthly_subsidy) if post and post.post else "", "", "", "", "", "",
    ]  # fmt: skip


HEADERS = (
    "所属行政区", "姓名", "性别", "年龄", "身份证号", "就业类型", "就业地域", "特色就业",
    "就业岗位(工种)", "就业地址", "就业单位名称", "就业起始年月", "就业终止年月", "联系电话",
    "脱贫状态", "文化程度", "转移就业意愿", "就业创业状态", "培训教育意愿", "培训教育状态",
    "苏陕协作", "年度", "在校状态", "就业意向", "劳动能力", "是否残疾", "就业渠道",
    "就业单位性质", "签订合同或协议月", "岗位补贴", "工资发放周期", "就业见习补贴", "求职补贴",
    "转移就业交通补贴", "享受政策",
)  # fmt: skip


def hrss_ledger_workbook(
    households: QuerySet[Household], *, unmasked: bool | frozenset[int] = False
) -> bytes:
    """The 人社 ledger of ``households`` (already scoped) as an Excel workbook."""
    today = timezone.localdate()
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in employment_ledger_rows(households, unmasked=unmasked):
        sheet.append([safe_cell(value) for value in _cells(row, today)])
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
