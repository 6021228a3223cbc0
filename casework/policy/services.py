"""Writes to policy parameters: a value set for a period, checked against the registry.

Periods of one parameter never overlap. A new value from day D:
- replaces the value of a row that starts on D itself (a correction: the audit event keeps the
  value it replaced);
- closes the period in force on D at D-1;
- without an end, runs until the day before the next period already set (a value scheduled for
  later still starts on its day); with an end, it may not reach into a later period;
- with an end inside the period it cut, that earlier value resumes the day after the end.
On a day no period covers, the parameter has its default.
A value that contradicts a related parameter (``relations.RELATIONS``) on any day of its period
is refused, naming the other parameter and its value.

The code lists: a code added, its label, groups or dates changed, a code ended. Only
administrators may; each write records one audit event with its actor.
"""

import datetime
import json
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import permissions
from casework.audit.services import audit_record
from casework.registry.validators import clean_line

from .defaults import DEFAULTS
from .models import Code, Parameter, WorkCalendarDay, WorkCalendarYear
from .params import params_forget
from .relations import related_keys, relation_errors, values_in_period
from .validation import parameter_spec, parameter_value_clean
from .workdays import calendar_forget

NOTE_MAX_LENGTH = Parameter._meta.get_field("note").max_length or 200
ONE_DAY = datetime.timedelta(days=1)


def _audit_value(value: Any) -> Any:
    """Mappings are kept in the audit event as their JSON text (lists and scalars as they are)."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value


def _check_dates(valid_from: datetime.date, valid_to: datetime.date | None, note: str) -> None:
    errors: dict[str, str] = {}
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = _("The end cannot be before the start.")
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = _("At most %(count)s characters.") % {"count": NOTE_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)


def parameter_set(
    *,
    actor: User,
    key: str,
    value: Any,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    note: str = "",
) -> Parameter:
    """Set ``key`` to ``value`` from ``valid_from`` (to ``valid_to``), in one transaction with
    one ``policy.parameter_set`` audit event naming the value it replaced on ``valid_from``.
    The rows of the related parameters are locked too (one query, in a fixed order) while the
    value is checked against theirs."""
    spec = parameter_spec(key)
    value = parameter_value_clean(key, value)
    note = note.strip()
    _check_dates(valid_from, valid_to, note)
    with transaction.atomic():
        related = related_keys(key)
        locked = list(
            Parameter.objects.select_for_update().filter(key__in=[key, *related]).order_by("pk")
        )
        rows = sorted((r for r in locked if r.key == key), key=lambda r: r.valid_from)
        covering = next(
            (
                r
                for r in rows
                if r.valid_from <= valid_from and (r.valid_to or valid_from) >= valid_from
            ),
            None,
        )
        old = spec.value if covering is None else covering.value
        later = [r for r in rows if r.valid_from > valid_from]
        end = valid_to
        if later and end is None:
            end = later[0].valid_from - ONE_DAY
        elif later and end is not None and end >= later[0].valid_from:
            raise ValidationError(
                {
                    "valid_to": _(
                        "Another value is set from %(day)s: end this one before that day."
                    )
                    % {"day": later[0].valid_from.isoformat()}
                }
            )
        others = {
            other: values_in_period(
                DEFAULTS[other], [r for r in locked if r.key == other], valid_from, end
            )
            for other in related
        }
        contradictions = relation_errors(key, value, others)
        if contradictions:
            raise ValidationError(contradictions)
        if covering is not None and covering.valid_from < valid_from:
            resumes = end is not None and (covering.valid_to is None or covering.valid_to > end)
            if resumes and end is not None:
                Parameter.objects.create(
                    key=key, value=covering.value, valid_from=end + ONE_DAY,
                    valid_to=covering.valid_to, note=covering.note, created_by=actor,
                )  # fmt: skip
            covering.valid_to = valid_from - ONE_DAY
            covering.save(update_fields=["valid_to"])
            covering = None
        row = covering or Parameter(key=key, valid_from=valid_from)
        row.value, row.valid_to, row.note = value, end, note
        row.created_by, row.created_at = actor, timezone.now()
        row.save()
        params_forget()
        audit_record(
            actor=actor,
            action="policy.parameter_set",
            obj=row,
            household_id=None,
            changes={
                "key": (None, key),
                "value": (_audit_value(old), _audit_value(value)),
                "valid_from": (None, valid_from),
                "valid_to": (None, end),
            },
            reason=note,
        )
    return row


CODE_FIELDS = (
    "label", "group", "group_five", "national_label", "sort_order", "valid_from", "valid_to",
)  # fmt: skip


def _require_admin(actor: User) -> None:
    if not (actor.is_superuser or actor.has_perm("policy.change_code")):
        raise PermissionDenied(_("Only administrators may change the code lists."))


def _clean(code: Code) -> None:
    code.label = clean_line(code.label)
    if not code.label:
        raise ValidationError({"label": _("Give the label shown for the code.")})
    if code.valid_to is not None and code.valid_to < code.valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    try:
        code.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


def code_add(
    *,
    actor: User,
    list_name: str,
    code: str,
    label: str,
    valid_from: datetime.date | None = None,
    **details: object,
) -> Code:
    """Add a code to a list, valid from ``valid_from`` (today by default)."""
    _require_admin(actor)
    unknown = set(details) - set(CODE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown code fields: {sorted(unknown)}")
    if list_name not in Code.List.values:
        raise ValidationError({"list_name": _("Choose a code list.")})
    code = code.strip().lower()
    if not code or not code.replace("_", "").isalnum() or not code.isascii():
        raise ValidationError({"code": _("A code is letters, digits and underscores.")})
    row = Code(
        list_name=list_name, code=code, label=label,
        valid_from=valid_from or timezone.localdate(), **details,
    )  # fmt: skip
    _clean(row)
    try:
        with transaction.atomic():
            row.save()
            audit_record(
                actor=actor,
                action="code.add",
                obj=row,
                household_id=None,
                changes={
                    "list": (None, list_name),
                    "code": (None, code),
                    "label": (None, row.label),
                },
            )
    except IntegrityError as exc:
        raise ValidationError({"code": _("The list already has this code.")}) from exc
    return row


def code_change(*, actor: User, code: Code, **fields: object) -> Code:
    """Change a code's label, groups, order or end date; the code itself never changes (the
    records store it)."""
    _require_admin(actor)
    unknown = set(fields) - set(CODE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown code fields: {sorted(unknown)}")
    before = {name: getattr(code, name) for name in fields}
    for name, value in fields.items():
        setattr(code, name, value)
    _clean(code)
    changes = {
        name: (before[name], getattr(code, name))
        for name in fields
        if before[name] != getattr(code, name)
    }
    if not changes:
        return code  # nothing changed: nothing to save or record
    with transaction.atomic():
        code.save(update_fields=list(changes))
        audit_record(
            actor=actor, action="code.change", obj=code, household_id=None, changes=changes
        )
    return code


def code_end(*, actor: User, code: Code, on: datetime.date | None = None) -> Code:
    """End a code: from the day after ``on`` (today by default) forms no longer offer it;
    records that used it keep showing its label."""
    _require_admin(actor)
    day = on or timezone.localdate()
    if code.valid_to is not None and code.valid_to <= day:
        raise ValidationError(_("The code has already ended."))
    if day < code.valid_from:
        raise ValidationError({"valid_to": _("The end date is before the start date.")})
    before = code.valid_to
    with transaction.atomic():
        code.valid_to = day
        code.save(update_fields=["valid_to"])
        audit_record(
            actor=actor, action="code.end", obj=code, household_id=None,
            changes={"valid_to": (before, day)},
        )  # fmt: skip
    return code


@transaction.atomic
def calendar_year_set(
    *,
    actor: User,
    year: int,
    holidays: list[tuple[datetime.date, str]],
    workdays: list[tuple[datetime.date, str]],
) -> WorkCalendarYear:
    """Record ``year``'s schedule as the State Council published it: the holidays and the
    make-up working days (调休), replacing what the year held; one audit event."""
    if not permissions.may_change_policy(actor):
        raise PermissionDenied(_("Only the system administrator changes the calendar."))
    errors = [
        _("%(day)s is not in %(year)d.") % {"day": day.isoformat(), "year": year}
        for day, _name in (*holidays, *workdays)
        if day.year != year
    ]
    both = {day for day, _name in holidays} & {day for day, _name in workdays}
    errors += [_("%(day)s is both a holiday and a working day.") % {"day": d} for d in sorted(both)]
    if errors:
        raise ValidationError(errors)
    stored = WorkCalendarDay.objects.filter(day__year=year).order_by("day")
    before = [f"{d.day:%Y-%m-%d}{'上班' if d.working else '休'}" for d in stored]
    stored.delete()
    days = [
        WorkCalendarDay(day=d, working=False, name=n[:40]) for d, n in holidays if d.weekday() < 5
    ]
    days += [
        WorkCalendarDay(day=d, working=True, name=n[:40]) for d, n in workdays if d.weekday() >= 5
    ]
    WorkCalendarDay.objects.bulk_create(days)
    after = sorted(f"{d.day:%Y-%m-%d}{'上班' if d.working else '休'}" for d in days)
    WorkCalendarYear.objects.filter(year=year).delete()
    entry = WorkCalendarYear.objects.create(
        year=year, source=WorkCalendarYear.Source.ADMINISTRATOR, confirmed_by=actor
    )
    # The days as stored before and after: a wrong entry can be put back from the history.
    audit_record(
        actor=actor,
        action="calendar.year_set",
        obj=entry,
        household_id=None,
        changes={"year": (None, year), "days": (before, after)},
    )
    transaction.on_commit(calendar_forget)
    return entry
