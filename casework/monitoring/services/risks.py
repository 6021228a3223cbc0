"""防返贫监测 writes: identifying a monitored household, correcting its risks, its measures
and its incomes (the elimination of its risk is in ``eliminations``).

Every write locks the monitored household's row (or the household's, on identification) and
is audited on the household's chain.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casework import permissions
from casework.audit.services import audit_record
from casework.registry.models import Household, Member

from ..risk_models import (
    MAX_RISKS,
    AssistanceMeasure,
    MonitoredHousehold,
    MonitoringIncome,
    Risk,
)

Status = MonitoredHousehold.Status
Elimination = MonitoredHousehold.Elimination
NO_LABOUR = (Member.LabourCapacity.LOST, Member.LabourCapacity.NONE)


def _may_monitor(actor: User, household: Household) -> None:
    if not permissions.can(actor, "monitor", household):
        raise PermissionDenied(_("You may not record monitoring for this household."))


def _locked(monitored: MonitoredHousehold) -> MonitoredHousehold:
    return MonitoredHousehold.objects.select_for_update().get(pk=monitored.pk)


def _not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _risk_words(risks: list[str]) -> str:
    """The risks as the history shows them: their names in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return "、".join(str(Risk(code).label) for code in risks)


def _anyone_can_work(household: Household) -> bool:
    members = Member.objects.filter(household=household, left_on__isnull=True)
    return members.exclude(labour_capacity__in=NO_LABOUR).exists()


def _clean_risks(risks: list[str], household: Household) -> list[str]:
    """One to five risks of the national list, each once; "unstable work" only where someone
    can work (data-quality rule 16)."""
    risks = list(dict.fromkeys(risks))
    if not 1 <= len(risks) <= MAX_RISKS:
        raise ValidationError({"risks": _("Give one to five risks.")})
    if any(code not in Risk.values for code in risks):
        raise ValidationError({"risks": _("A risk is not on the national list.")})
    if Risk.UNSTABLE_WORK in risks and not _anyone_can_work(household):
        raise ValidationError(
            {"risks": _("“Unstable work” is not a risk where nobody in the household can work.")}
        )
    return risks


def monitoring_identify(
    *,
    actor: User,
    household: Household,
    kind: str,
    risks: list[str],
    route: str,
    identified_on: datetime.date,
    note: str = "",
    no_labour_safeguard: bool = False,
) -> MonitoredHousehold:
    """Record the county's decision that ``household`` is monitored (识别纳入监测)."""
    _may_monitor(actor, household)
    risks = _clean_risks(risks, household)
    _not_future(identified_on, "identified_on")
    with transaction.atomic():
        locked = Household.objects.select_for_update().get(pk=household.pk)
        if locked.monitorings.exclude(status=Status.ELIMINATED).exists():
            raise ValidationError(_("This household is already being monitored."))
        monitored = MonitoredHousehold.objects.create(
            household=locked, kind=kind, risks=risks, route=route,
            identified_on=identified_on, note=note, identified_by=actor,
            no_labour_safeguard=no_labour_safeguard,
        )  # fmt: skip
        before = locked.monitoring
        Household.objects.filter(pk=locked.pk).update(monitoring=kind)
        audit_record(
            actor=actor, action="monitoring.identify", obj=monitored, household_id=locked.pk,
            changes={
                "monitoring": (before, kind), "risks": (None, _risk_words(risks)),
                "identified_on": (None, identified_on), "route": (None, route),
            },
        )  # fmt: skip
    household.monitoring = kind
    return monitored


def monitoring_change(
    *,
    actor: User,
    monitored: MonitoredHousehold,
    kind: str,
    risks: list[str],
    no_labour_safeguard: bool,
    note: str = "",
) -> MonitoredHousehold:
    """Correct an open monitoring's category, risks, 兜底保障 mark and note (audited); the
    household's category follows."""
    _may_monitor(actor, monitored.household)
    if kind not in MonitoredHousehold.KINDS:
        raise ValidationError({"kind": _("Choose the monitoring category.")})
    risks = _clean_risks(risks, monitored.household)
    with transaction.atomic():
        locked = _locked(monitored)
        if not locked.is_open:
            raise ValidationError(_("This household's risk has been eliminated."))
        changes: dict[str, Any] = {}
        if kind != locked.kind:
            changes["kind"] = (locked.kind, kind)
        if risks != locked.risks:
            changes["risks"] = (_risk_words(locked.risks), _risk_words(risks))
        if no_labour_safeguard != locked.no_labour_safeguard:
            changes["no_labour_safeguard"] = (locked.no_labour_safeguard, no_labour_safeguard)
        if note != locked.note:
            changes["note"] = (locked.note, note)
        if not changes:
            return locked
        MonitoredHousehold.objects.filter(pk=locked.pk).update(
            kind=kind, risks=risks, no_labour_safeguard=no_labour_safeguard, note=note
        )
        Household.objects.filter(pk=locked.household_id).update(monitoring=kind)
        audit_record(
            actor=actor, action="monitoring.change", obj=locked,
            household_id=locked.household_id, changes=changes,
        )  # fmt: skip
    monitored.risks, monitored.no_labour_safeguard, monitored.note = (
        risks,
        no_labour_safeguard,
        note,
    )
    return monitored


def monitoring_measure_add(
    *,
    actor: User,
    monitored: MonitoredHousehold,
    kind: str,
    detail: str,
    responsible: str,
    started_on: datetime.date,
    ended_on: datetime.date | None = None,
) -> AssistanceMeasure:
    """Record an assistance measure put in place for a monitored household."""
    _may_monitor(actor, monitored.household)
    _not_future(started_on, "started_on")
    if ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": _("The end cannot be before the start.")})
    with transaction.atomic():
        locked = _locked(monitored)
        if not locked.is_open:
            raise ValidationError(_("This household's risk has been eliminated."))
        measure = AssistanceMeasure.objects.create(
            monitored=locked, kind=kind, detail=detail, responsible=responsible,
            started_on=started_on, ended_on=ended_on, recorded_by=actor,
        )  # fmt: skip
        audit_record(
            actor=actor, action="monitoring.measure", obj=measure,
            household_id=locked.household_id,
            changes={
                "kind": (None, kind), "detail": (None, detail),
                "responsible": (None, responsible), "started_on": (None, started_on),
            },
        )  # fmt: skip
    return measure


def monitoring_income_record(
    *,
    actor: User,
    monitored: MonitoredHousehold,
    year: int,
    per_capita_net_income: Decimal,
    wage_income: Decimal,
) -> MonitoringIncome:
    """Record (or correct) a monitored household's income for one calendar year."""
    _may_monitor(actor, monitored.household)
    today = timezone.localdate()
    if not monitored.identified_on.year - 1 <= year <= today.year:
        raise ValidationError(
            {"year": _("Give a year from the one before identification to this year.")}
        )
    with transaction.atomic():
        locked = _locked(monitored)
        if not locked.is_open:
            raise ValidationError(_("This household's risk has been eliminated."))
        income = MonitoringIncome.objects.filter(monitored=locked, year=year).first()
        before = (income.per_capita_net_income, income.wage_income) if income else (None, None)
        income, _created = MonitoringIncome.objects.update_or_create(
            monitored=locked, year=year,
            defaults={
                "per_capita_net_income": per_capita_net_income, "wage_income": wage_income,
                "recorded_by": actor,
            },
        )  # fmt: skip
        audit_record(
            actor=actor, action="monitoring.income", obj=income,
            household_id=locked.household_id,
            changes={
                "year": (None, year),
                "per_capita_net_income": (before[0], per_capita_net_income),
                "wage_income": (before[1], wage_income),
            },
        )  # fmt: skip
    return income
