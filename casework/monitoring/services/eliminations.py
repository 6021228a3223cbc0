"""防返贫监测 writes: a risk's elimination (proposal → review → public notice → eliminated).

The proposal is checked against the rules (``elimination_checks``, each failure naming its
rule) and starts the risk-elimination flow (``workflows``) through ``elimination_proposed``; the
review and the notice are that flow's steps, and both check the rules again.
"""

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import permissions
from casework.audit.services import audit_record
from casework.policy.params import param
from casework.policy.workdays import working_days_after
from casework.registry.models import Household, Member

from ..risk_models import WAGE_MEASURES, EliminationProposal, MonitoredHousehold
from ..signals import elimination_proposed
from ..thresholds import months_after, threshold_for_year
from .risks import NO_LABOUR, Elimination, Status, _locked, _may_monitor


def elimination_checks(
    monitored: MonitoredHousehold, elimination: str, *, today: datetime.date | None = None
) -> list[str]:
    """What stands in the way of eliminating the household's risk: one sentence per rule
    broken, naming the rule (empty when every rule is met)."""
    today = today or timezone.localdate()
    problems: list[str] = []
    since = monitored.identified_on.year
    income = monitored.incomes.filter(year__gte=since).order_by("-year").first()
    if income is None:
        problems.append(
            _("Income: no income is recorded for %(year)s or a later year.") % {"year": since}
        )
    else:
        threshold = threshold_for_year(income.year)
        if income.per_capita_net_income < threshold:
            problems.append(
                _(
                    "Income: the net income per person in %(year)s, %(income)s yuan, is below "
                    "that year's monitoring threshold of %(threshold)s yuan."
                )
                % {
                    "year": income.year,
                    "income": f"{income.per_capita_net_income:,.0f}",
                    "threshold": f"{threshold:,.0f}",
                }
            )
    members = Member.objects.filter(household_id=monitored.household_id, left_on__isnull=True)
    if members.exists() and not members.exclude(labour_capacity__in=NO_LABOUR).exists():
        problems.append(
            _(
                "No labour: nobody in the household can work; it stays monitored after "
                "social assistance is in place."
            )
        )
    if elimination == Elimination.ASSISTED:
        measures = list(monitored.measures.all())
        if not measures:
            problems.append(_("Measures: no assistance measure is recorded."))
        months = param("monitoring.elimination_min_months", on=today)
        earliest = months_after(monitored.identified_on, months)
        if today < earliest:
            problems.append(
                _(
                    "Timing: a risk is eliminated through assistance no sooner than %(months)s "
                    "months after identification (from %(day)s)."
                )
                % {"months": months, "day": f"{earliest:%Y-%m-%d}"}
            )
        wage_measure = any(m.kind in WAGE_MEASURES for m in measures)
        if wage_measure and income is not None and income.wage_income <= 0:
            problems.append(
                _(
                    "Wages: employment or a public-welfare post is recorded as a measure, "
                    "but the household's wage income for %(year)s is zero."
                )
                % {"year": income.year}
            )
    return problems


def elimination_propose(
    *, actor: User, monitored: MonitoredHousehold, elimination: str, reason: str
) -> EliminationProposal:
    """Propose to eliminate the household's risk; refused, naming each rule, when a check
    fails. Starts the review (the risk-elimination flow)."""
    _may_monitor(actor, monitored.household)
    if elimination not in Elimination.values:
        raise ValidationError({"elimination": _("Choose how the risk was eliminated.")})
    with transaction.atomic():
        locked = _locked(monitored)
        if locked.status != Status.MONITORED:
            raise ValidationError(
                _("An elimination is already under way, or the risk is eliminated.")
            )
        problems = elimination_checks(locked, elimination)
        if problems:
            raise ValidationError(problems)
        proposal = EliminationProposal.objects.create(
            monitored=locked, elimination=elimination, reason=reason, proposed_by=actor
        )
        MonitoredHousehold.objects.filter(pk=locked.pk).update(status=Status.PROPOSED)
        audit_record(
            actor=actor, action="monitoring.propose", obj=proposal,
            household_id=locked.household_id,
            changes={"elimination": (None, elimination), "reason": (None, reason)},
        )  # fmt: skip
        elimination_proposed.send(sender=EliminationProposal, proposal=proposal, actor=actor)
    monitored.status = Status.PROPOSED
    return proposal


def _locked_proposal(proposal: EliminationProposal) -> EliminationProposal:
    return (
        EliminationProposal.objects.select_for_update()
        .select_related("monitored__household")
        .get(pk=proposal.pk)
    )


def _checks_hold(proposal: EliminationProposal) -> None:
    """Refuse, naming each rule, when the household no longer meets the elimination rules."""
    problems = elimination_checks(proposal.monitored, proposal.elimination)
    if problems:
        raise ValidationError(problems)


def elimination_review(
    *, actor: User, proposal: EliminationProposal, approve: bool, note: str = ""
) -> EliminationProposal:
    """The manager's review: approved, the notice goes up today for the notice period;
    refused, the household stays monitored. (The flow's step holds the permission.)"""
    if not permissions.can(actor, "review", proposal.monitored.household):
        raise PermissionDenied(_("You may not review this household's elimination."))
    if not approve and not note.strip():
        raise ValidationError({"note": _("Say why the proposal is refused.")})
    today = timezone.localdate()
    with transaction.atomic():
        proposal = _locked_proposal(proposal)
        if proposal.decision:
            raise ValidationError(_("This proposal has already been reviewed."))
        if approve and proposal.proposed_by_id == actor.pk:
            raise ValidationError(_("A proposal is reviewed by someone other than its proposer."))
        if approve:  # the figures may have changed since the proposal: the rules again
            _checks_hold(proposal)
        proposal.decision = (
            EliminationProposal.Decision.APPROVED
            if approve
            else EliminationProposal.Decision.REFUSED
        )
        proposal.decision_note = note
        proposal.decided_by = actor
        proposal.decided_at = timezone.now()
        changes: dict[str, Any] = {"decision": (None, proposal.decision)}
        if approve:
            days = param("monitoring.notice_days", on=today)
            proposal.notice_from = today
            proposal.notice_until = working_days_after(today, days)
            changes["notice_until"] = (None, proposal.notice_until)
        else:
            proposal.outcome = EliminationProposal.Outcome.REFUSED
            proposal.concluded_on = today
            MonitoredHousehold.objects.filter(pk=proposal.monitored_id).update(
                status=Status.MONITORED
            )
        proposal.save()
        audit_record(
            actor=actor, action="monitoring.review", obj=proposal,
            household_id=proposal.monitored.household_id, changes=changes, reason=note,
        )  # fmt: skip
    return proposal


def elimination_conclude(
    *, actor: User, proposal: EliminationProposal, objections: str = "", withdraw: bool = False
) -> EliminationProposal:
    """After the public notice: the risk is eliminated today, or the proposal is withdrawn
    because an objection was upheld. Not before the notice period has ended."""
    _may_monitor(actor, proposal.monitored.household)
    today = timezone.localdate()
    with transaction.atomic():
        proposal = _locked_proposal(proposal)
        if proposal.decision != EliminationProposal.Decision.APPROVED or proposal.outcome:
            raise ValidationError(_("This proposal is not on public notice."))
        if withdraw and not objections.strip():
            raise ValidationError({"objections": _("Say why the proposal is withdrawn.")})
        if not withdraw and proposal.notice_until and today <= proposal.notice_until:
            raise ValidationError(
                _("The public notice runs until %(day)s; conclude it after that.")
                % {"day": f"{proposal.notice_until:%Y-%m-%d}"}
            )
        monitored = proposal.monitored
        if not withdraw:
            _checks_hold(proposal)
        proposal.objections = objections
        proposal.concluded_on = today
        if withdraw:
            proposal.outcome = EliminationProposal.Outcome.WITHDRAWN
            MonitoredHousehold.objects.filter(pk=monitored.pk).update(status=Status.MONITORED)
        else:
            proposal.outcome = EliminationProposal.Outcome.ELIMINATED
            MonitoredHousehold.objects.filter(pk=monitored.pk).update(
                status=Status.ELIMINATED, eliminated_on=today, elimination=proposal.elimination
            )
            Household.objects.filter(pk=monitored.household_id).update(
                monitoring=Household.Monitoring.NONE
            )
        proposal.save()
        audit_record(
            actor=actor, action="monitoring.conclude", obj=proposal,
            household_id=monitored.household_id,
            changes={"outcome": (None, proposal.outcome), "concluded_on": (None, today)},
            reason=objections,
        )  # fmt: skip
    return proposal
