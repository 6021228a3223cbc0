"""A grid's month entered in one go, and a site's month closed by its manager.

Entry and closing both lock the site's row first, so a month is never closed half-way through
an entry: whichever comes second sees the other's result.
"""

import datetime
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework import permissions
from casework.audit.services import PendingEvent, audit_record, audit_record_many
from casework.placement.models import LOCAL_CHANNELS
from casework.policy.codes import LocationClass
from casework.policy.models import Code
from casework.policy.params import param
from casework.policy.selectors import code_label, codes_active
from casework.registry.models import Grid, Member, Site

from ..models import MonthlyWorkRecord, NotWorkingReason, WorkMonthClosure
from ..selectors import (
    FIELDS,
    month_last_day,
    month_of,
    months_open,
    work_month_roster,
    work_months_closed,
)

MONTH_CLOSED = gettext_lazy("This month is closed: its records can no longer change.")


@dataclass(frozen=True)
class WorkMonthEntry:
    """One member's line of a month, as entered."""

    member_id: int
    working: bool
    location_class: str = ""
    channel: str = ""
    employer_name: str = ""
    industry: str = ""
    organised_transport: bool | None = None
    monthly_income: Decimal | None = None
    days_worked: int | None = None
    not_working_reason: str = ""

    def stored(self) -> dict[str, Any]:
        """The values stored: a member not working keeps only the reason."""
        values = {name: value for name, value in asdict(self).items() if name in FIELDS}
        if not self.working:
            values.update(
                location_class="", channel="", employer_name="", industry="",
                organised_transport=None, monthly_income=None, days_worked=None,
            )  # fmt: skip
        else:
            values["not_working_reason"] = ""
        return values


def _month_problem(month: datetime.date) -> str | None:
    today = timezone.localdate()
    if month != month_of(month):
        return _("A month is given by its first day.")
    if month > month_of(today):
        return _("A month that has not begun cannot be recorded.")
    if month < months_open()[-1]:
        return _("Months more than %(months)d months back can no longer be entered.") % {
            "months": int(param("work_month.months_open"))
        }
    return None


def _entry_problems(
    entry: WorkMonthEntry, month: datetime.date, channels: set[str]
) -> dict[str, str]:
    """The field errors of one line (empty when it is right)."""
    errors: dict[str, str] = {}
    if not entry.working:
        if entry.not_working_reason not in NotWorkingReason.values:
            errors["not_working_reason"] = _("Say why the member is not working.")
        return errors
    if entry.location_class not in LocationClass.values:
        errors["location_class"] = _("Say where the work is.")
    if entry.channel not in channels:
        errors["channel"] = _("Choose a channel in use this month.")
    if not entry.employer_name.strip():
        errors["employer_name"] = _("Name the employer (or “self-employed”).")
    # Rule 9, as for a job: workshops and public-welfare posts are near home by nature.
    if entry.channel in LOCAL_CHANNELS and entry.location_class not in ("", LocationClass.COUNTY):
        errors["location_class"] = _(
            "Work through %(channel)s is within the county; check the channel or the location."
        ) % {"channel": code_label(Code.List.CHANNEL, entry.channel)}
    # Data-quality rule 10, as for a job: an income outside these is a typing error.
    day = month_last_day(month)
    low, high = param("placement.income_min", on=day), param("placement.income_max", on=day)
    if entry.monthly_income is None:
        errors["monthly_income"] = _("Enter the month's income.")
    elif not low <= entry.monthly_income <= high:
        errors["monthly_income"] = _(
            "A month's income must be between %(low)s and %(high)s yuan; check the figure."
        ) % {"low": low, "high": high}
    days = month_last_day(month).day
    if entry.days_worked is None or not 1 <= entry.days_worked <= days:
        errors["days_worked"] = _("Days worked must be between 1 and %(days)d.") % {"days": days}
    return errors


def work_month_check(
    *, grid: Grid, month: datetime.date, entries: list[WorkMonthEntry]
) -> dict[int, dict[str, str]]:
    """Every line's field errors, by member id (an empty dict: all is right). Raises
    ValidationError for what concerns the whole month: its date, or members not on the
    grid's roster for it."""
    problem = _month_problem(month)
    if problem:
        raise ValidationError(problem)
    roster = {row.member.pk for row in work_month_roster(grid, month)}
    ids = [e.member_id for e in entries]
    if set(ids) - roster:
        raise ValidationError(_("Some lines are not labour members of this grid."))
    if len(ids) != len(set(ids)):
        raise ValidationError(_("A member appears on more than one line."))
    channels = {code.code for code in codes_active("channel", on=month_last_day(month))}
    errors = {}
    for entry in entries:
        found = _entry_problems(entry, month, channels)
        if found:
            errors[entry.member_id] = found
    return errors


def _lock_site(site_pk: int) -> None:
    Site.objects.select_for_update().filter(pk=site_pk).first()


def work_month_record(
    *, actor: User, grid: Grid, month: datetime.date, entries: list[WorkMonthEntry]
) -> int:
    """Store a grid's month: each line created or changed (and audited with what changed);
    lines equal to what is stored are left alone. All lines or none: any error refuses the
    whole month (ValidationError with the errors by member). Returns the records written."""
    if not permissions.may_record_work_month(actor, grid):
        raise PermissionDenied(_("You may not enter this grid's months."))
    with transaction.atomic():
        _lock_site(grid.site_id)
        stored = {
            r.member_id: r
            for r in MonthlyWorkRecord.objects.filter(
                member_id__in=[e.member_id for e in entries], month=month
            ).select_related("member", "grid")
        }
        # The grid's site, and that of a household moved here from a site whose month is
        # closed: its records stay as they are.
        if work_months_closed({grid.site_id} | {r.grid.site_id for r in stored.values()}, month):
            raise ValidationError(MONTH_CLOSED)
        errors = work_month_check(grid=grid, month=month, entries=entries)
        if errors:
            raise ValidationError({str(pk): list(found.values()) for pk, found in errors.items()})
        now = timezone.now()
        household_of = dict(
            Member.objects.filter(pk__in=[e.member_id for e in entries]).values_list(
                "pk", "household_id"
            )
        )
        events: list[PendingEvent] = []
        created: list[MonthlyWorkRecord] = []
        for entry in entries:
            values = entry.stored()
            record = stored.get(entry.member_id)
            if record is None:
                record = MonthlyWorkRecord(
                    member_id=entry.member_id, household_id=household_of[entry.member_id],
                    grid=grid, month=month, recorded_by=actor, recorded_at=now, **values,
                )  # fmt: skip
                created.append(record)
                continue
            changes = {
                name: (getattr(record, name), value)
                for name, value in values.items()
                if getattr(record, name) != value
            }
            if not changes:
                continue
            changes["month"] = (month, month)
            for name, value in values.items():
                setattr(record, name, value)
            # A member who moved grids is counted with the grid that entered the month last,
            # and with the household they belonged to then.
            record.grid, record.recorded_by, record.recorded_at = grid, actor, now
            record.household_id = household_of[entry.member_id]
            record.save()
            events.append(PendingEvent("work_month.change", record, record.household_id, changes))
        # Both databases return the new rows' ids from a bulk insert.
        MonthlyWorkRecord.objects.bulk_create(created)
        for record in created:
            changes = {
                name: (None, getattr(record, name))
                for name in FIELDS
                if getattr(record, name) not in (None, "")
            }
            changes["month"] = (None, month)
            events.append(PendingEvent("work_month.create", record, record.household_id, changes))
        audit_record_many(actor=actor, events=events)
    return len(events)


def work_month_close(*, actor: User, site: Site, month: datetime.date) -> WorkMonthClosure:
    """Close ``site``'s month: its records are locked from now on. Only a month that has
    ended, and once."""
    if not permissions.may_close_work_month(actor, site):
        raise PermissionDenied(_("You may not close this site's months."))
    if month != month_of(month):
        raise ValidationError(_("A month is given by its first day."))
    if month >= month_of(timezone.localdate()):
        raise ValidationError(_("A month can be closed only after it has ended."))
    with transaction.atomic():
        _lock_site(site.pk)
        if WorkMonthClosure.objects.filter(site=site, month=month).exists():
            raise ValidationError(_("This month is already closed."))
        closure = WorkMonthClosure.objects.create(
            site=site, month=month, closed_by=actor, closed_at=timezone.now()
        )
        audit_record(
            actor=actor, action="work_month.close", obj=closure, household_id=None,
            changes={"month": (None, month)},
        )  # fmt: skip
    return closure
