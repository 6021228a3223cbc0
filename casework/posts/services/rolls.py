"""Writes to a post's month: every holder's attendance and score entered in one form, the
month's subsidy roll approved (which locks the month), and the approved roll exported for the
finance office."""

import calendar
import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import permissions
from casework.audit.services import audit_record
from casework.common.xlsx import write_rows
from casework.registry.validators import mask_document_number

from ..models import PostAttendance, WelfarePost
from ..roll_models import SubsidyLine, SubsidyRoll
from ..rolls import holders_in_month, roll_lines


@dataclass(frozen=True)
class AttendanceEntry:
    """One holder's month: the days worked and (where the month is scored) the score."""

    assignment_id: int
    days_worked: int
    score: int | None = None


def _month_open(post: WelfarePost, month: datetime.date) -> None:
    if month > timezone.localdate().replace(day=1):
        raise ValidationError(_("A month still to come cannot be entered."))
    if SubsidyRoll.objects.filter(post=post, month=month).exists():
        raise ValidationError(
            _("The subsidy roll of %(month)s is approved: its attendance can no longer change.")
            % {"month": f"{month:%Y-%m}"}
        )


def post_month_record(
    *, actor: User, post: WelfarePost, month: datetime.date, entries: Sequence[AttendanceEntry]
) -> int:
    """Every holder's attendance (and score) of one month of one post, all or nothing: each
    row is checked (a holder of the post in that month, whose grid the actor works; the days
    within the month; the score out of 100) and any bad row refuses the whole form, naming the
    row. Returns how many holders were recorded."""
    month = month.replace(day=1)
    _month_open(post, month)
    holders = {a.pk: a for a in holders_in_month(post, month)}
    days_in_month = calendar.monthrange(month.year, month.month)[1]
    errors: dict[str, str] = {}
    for entry in entries:
        assignment = holders.get(entry.assignment_id)
        if assignment is None:
            errors[f"days-{entry.assignment_id}"] = _("Not a holder of this post in that month.")
            continue
        if not permissions.may_record_attendance(actor, assignment.member.household):
            raise PermissionDenied(_("You may not enter the attendance of this holder."))
        if not 0 <= entry.days_worked <= days_in_month:
            errors[f"days-{assignment.pk}"] = _(
                "%(name)s: days worked must be between 0 and %(days)s."
            ) % {"name": assignment.member.name, "days": days_in_month}
        if entry.score is not None and not 0 <= entry.score <= 100:
            errors[f"score-{assignment.pk}"] = _(
                "%(name)s: the score must be between 0 and 100."
            ) % {"name": assignment.member.name}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        WelfarePost.objects.select_for_update().filter(pk=post.pk).first()  # against approval
        _month_open(post, month)
        before = {
            a.assignment_id: a
            for a in PostAttendance.objects.filter(
                assignment_id__in=[e.assignment_id for e in entries], month=month
            )
        }
        for entry in entries:
            assignment = holders[entry.assignment_id]
            old = before.get(entry.assignment_id)
            if old and (old.days_worked, old.score) == (entry.days_worked, entry.score):
                continue
            record, _created = PostAttendance.objects.update_or_create(
                assignment=assignment, month=month,
                defaults={"days_worked": entry.days_worked, "score": entry.score,
                          "recorded_by": actor},
            )  # fmt: skip
            audit_record(
                actor=actor, action="post.attendance", obj=record,
                household_id=assignment.member.household_id,
                changes={
                    "days_worked": (old.days_worked if old else None, entry.days_worked),
                    "score": (old.score if old else None, entry.score),
                },
            )  # fmt: skip
    return len(entries)


def subsidy_roll_approve(*, actor: User, post: WelfarePost, month: datetime.date) -> SubsidyRoll:
    """The site's manager approves the month's subsidy roll as the rules in force give it: every
    holder's attendance must be entered. The lines are kept as approved and the month's
    attendance of the post is locked."""
    if not permissions.may_approve_rolls(actor, post):
        raise PermissionDenied(_("You may not approve this post's subsidy rolls."))
    month = month.replace(day=1)
    if month >= timezone.localdate().replace(day=1):
        raise ValidationError(
            _("%(month)s is not over yet: its subsidy roll is approved once the month ends.")
            % {"month": f"{month:%Y-%m}"}
        )
    with transaction.atomic():
        WelfarePost.objects.select_for_update().filter(pk=post.pk).first()
        _month_open(post, month)
        lines = roll_lines(post, month)
        if not lines:
            raise ValidationError(
                _("Nobody held the post in %(month)s.") % {"month": f"{month:%Y-%m}"}
            )
        missing = [line.assignment.member.name for line in lines if line.days_worked is None]
        if missing:
            raise ValidationError(
                _("The attendance of %(names)s is not entered yet.") % {"names": "、".join(missing)}
            )
        total = sum((line.amount for line in lines), Decimal(0))
        roll = SubsidyRoll.objects.create(post=post, month=month, total=total, approved_by=actor)
        SubsidyLine.objects.bulk_create(
            SubsidyLine(
                roll=roll,
                assignment=line.assignment,
                days_worked=line.days_worked or 0,
                score=line.score,
                due=line.due,
                deduction=line.deduction,
                amount=line.amount,
            )  # fmt: skip
            for line in lines
        )
        audit_record(
            actor=actor, action="subsidy_roll.approve", obj=roll, household_id=None,
            changes={"month": (None, month), "total": (None, total), "lines": (None, len(lines))},
        )  # fmt: skip
    return roll


ROLL_HEADERS = (
    "序号", "姓名", "证件号码", "网格", "出勤天数", "考核得分", "应发补贴（元）", "扣减（元）",
    "实发补贴（元）",
)  # fmt: skip


def subsidy_roll_export(
    *, actor: User, roll: SubsidyRoll, unmasked: bool = False
) -> tuple[IO[bytes], int]:
    """The approved roll as an Excel sheet for the finance office, one row per holder and a
    total; ID numbers masked unless ``unmasked`` (a right of its own, and then whole only for
    the holders of grids the actor works). Recorded, an unmasked export as such."""
    post = roll.post
    if not permissions.may_approve_rolls(actor, post):
        raise PermissionDenied(_("You may not export this post's subsidy rolls."))
    if unmasked and not permissions.may_unmask_exports(actor):
        raise PermissionDenied(permissions.UNMASK_REFUSED)
    lines = list(roll.lines.select_related("assignment__member__household__grid"))
    rows: list[list[object]] = []
    for number, line in enumerate(lines, start=1):
        member = line.assignment.member
        document = (
            member.document_number if unmasked else mask_document_number(member.document_number)
        )
        rows.append([
            number, member.name, document, member.household.grid.name, line.days_worked,
            "" if line.score is None else line.score, line.due, line.deduction, line.amount,
        ])  # fmt: skip
    rows.append(["合计", "", "", "", "", "", sum((x.due for x in lines), Decimal(0)),
                 sum((x.deduction for x in lines), Decimal(0)), roll.total])  # fmt: skip
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="subsidy_roll.export_unmasked" if unmasked else "subsidy_roll.export",
            obj=roll, household_id=None, changes={"rows": (None, len(lines))},
        )  # fmt: skip
    title = f"{post.name}{roll.month:%Y年%m月}补贴发放表"
    return write_rows(title, ROLL_HEADERS, rows)
