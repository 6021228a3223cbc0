"""Writes to pairing: pairings (with the helper's object permissions), visits and the service
requests raised in them. Each runs in one transaction with its audit event."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from casework import permissions
from casework.audit.services import audit_record
from casework.permissions import roles
from casework.policy.params import param
from casework.registry.models import Household
from casework.registry.validators import clean_note

from .models import Pairing, ServiceRequest, Visit
from .signals import service_request_raised

FIVE_POINTS = (
    "thinking_stable", "policy_understood", "life_happy", "industry_developing", "problems_solved",
)  # fmt: skip


def _require_change(actor: User, household: Household) -> None:
    if not permissions.can(actor, "change", household):
        raise PermissionDenied(_("You may not do this to the household."))


def helper_cap(kind: str) -> int:
    """How many households one helper may look after in pairings of ``kind``."""
    return int(param("pairing.caps").get(kind, 3))


def pairing_create(
    *,
    actor: User,
    helper: User,
    household: Household,
    kind: str,
    start_date: datetime.date | None = None,
) -> Pairing:
    """Pair a helper with a household: the helper then sees it (and only what a helper may).

    A helper takes at most ``pairing.caps[kind]`` households of that kind at a time.
    """
    _require_change(actor, household)
    if roles.HELPER not in roles.user_roles(helper):
        raise ValidationError({"helper": _("Only a pairing helper can be paired.")})
    if kind not in Pairing.Kind.values:
        raise ValidationError({"kind": _("Choose the type of pairing.")})
    with transaction.atomic():
        # Serialise pairings of one helper so that the cap holds under concurrent requests.
        type(helper).objects.select_for_update().filter(pk=helper.pk).first()
        active = Pairing.objects.filter(helper=helper, end_date__isnull=True)
        if active.filter(household=household).exists():
            raise ValidationError(_("This helper is already paired with the household."))
        cap = helper_cap(kind)
        taken = active.filter(kind=kind).count()
        if taken >= cap:
            raise ValidationError(
                {
                    "helper": _(
                        "%(name)s already looks after %(taken)s households as %(kind)s; the "
                        "limit is %(cap)s."
                    )
                    % {
                        "name": helper.get_full_name() or helper.get_username(),
                        "taken": taken,
                        "kind": Pairing.Kind(kind).label,
                        "cap": cap,
                    }
                }
            )
        pairing = Pairing.objects.create(
            helper=helper,
            household=household,
            kind=kind,
            start_date=start_date or timezone.localdate(),
            created_by=actor,
        )
        assign_perm(permissions.VISIT_HOUSEHOLD, helper, household)
        permissions.jurisdiction_forget(helper)
        audit_record(
            actor=actor,
            action="pairing.create",
            obj=pairing,
            household_id=household.pk,
            changes={"helper": (None, helper.get_username()), "kind": (None, kind)},
        )
    return pairing


def pairing_end(*, actor: User, pairing: Pairing, reason: str) -> Pairing:
    """End a pairing; the helper no longer sees the household. The row stays as history."""
    _require_change(actor, pairing.household)
    reason = clean_note(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the pairing ends.")})
    if not pairing.is_active:
        raise ValidationError(_("The pairing has already ended."))
    with transaction.atomic():
        pairing.end_date, pairing.end_reason = timezone.localdate(), reason
        pairing.save(update_fields=["end_date", "end_reason"])
        remove_perm(permissions.VISIT_HOUSEHOLD, pairing.helper, pairing.household)
        permissions.jurisdiction_forget(pairing.helper)
        audit_record(
            actor=actor,
            action="pairing.end",
            obj=pairing,
            household_id=pairing.household_id,
            changes={"end_date": (None, pairing.end_date)},
            reason=reason,
        )
    return pairing


def pairing_handover(
    *, actor: User, pairing: Pairing, helper: User, kind: str | None = None
) -> Pairing:
    """Hand a household over to another helper: the old pairing ends, a new one starts, and
    both stay in the history, linked."""
    with transaction.atomic():
        new = pairing_create(
            actor=actor, helper=helper, household=pairing.household, kind=kind or pairing.kind
        )
        pairing_end(
            actor=actor,
            pairing=pairing,
            reason=_("Handed over to %(name)s") % {"name": helper.get_username()},
        )
        pairing.handed_over_to = new
        pairing.save(update_fields=["handed_over_to"])
    return new


@dataclass(frozen=True)
class RequestDraft:
    """A concern raised in a visit, to become a service request."""

    matter: str
    kind: str = ServiceRequest.Kind.HANDLE
    promised_date: datetime.date | None = None


def visit_record(
    *,
    actor: User,
    household: Household,
    date: datetime.date,
    mode: str,
    request: RequestDraft | None = None,
    **fields: Any,
) -> Visit:
    """Record a visit by the household's helper or caseworker; a concern raised becomes a
    service request with the visitor as first-contact owner."""
    if not permissions.can(actor, "view", household) or not actor.has_perm("pairing.add_visit"):
        raise PermissionDenied(_("You may not record visits to this household."))
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if date > today:
        errors["date"] = _("A visit cannot be recorded for a day still to come.")
    if mode not in Visit.Mode.values:
        errors["mode"] = _("Choose how the visit was made.")
    missing = [name for name in FIVE_POINTS if fields.get(name) is None]
    if missing:
        errors[missing[0]] = _("Answer each of the five points.")
    if request is not None:
        if not clean_note(request.matter):
            errors["matter"] = _("Describe the concern.")
        limit = int(param("deadline.service_request"))
        promised = request.promised_date or today + datetime.timedelta(days=limit)
        if not today <= promised <= today + datetime.timedelta(days=limit):
            errors["promised_date"] = _(
                "Promise a date from today to %(days)s days ahead (限时办结)."
            ) % {"days": limit}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        visit = Visit.objects.create(
            household=household,
            visitor=actor,
            date=date,
            mode=mode,
            **{name: bool(fields[name]) for name in FIVE_POINTS},
            **{name: clean_note(fields.get(name, "")) for name in ("raised", "done", "next_step")},
        )
        audit_record(
            actor=actor,
            action="visit.create",
            obj=visit,
            household_id=household.pk,
            changes={"date": (None, date), "mode": (None, mode)},
        )
        if request is not None:
            service_request = ServiceRequest.objects.create(
                household=household,
                visit=visit,
                kind=request.kind,
                matter=clean_note(request.matter),
                first_contact=actor,
                promised_date=promised,
            )
            audit_record(
                actor=actor,
                action="service_request.create",
                obj=service_request,
                household_id=household.pk,
                changes={"promised_date": (None, promised), "kind": (None, request.kind)},
            )
            service_request_raised.send(
                sender=ServiceRequest, service_request=service_request, actor=actor
            )
    return visit


def service_request_resolve(
    *, actor: User, service_request: ServiceRequest, resolution: str
) -> ServiceRequest:
    """Close a service request with what was done (办结)."""
    _require_change(actor, service_request.household)
    resolution = clean_note(resolution)
    if not resolution:
        raise ValidationError({"resolution": _("Say how the request was resolved.")})
    if service_request.resolved_at is not None:
        raise ValidationError(_("The request is already resolved."))
    with transaction.atomic():
        service_request.resolution, service_request.resolved_by = resolution, actor
        service_request.resolved_at = timezone.now()
        service_request.save(update_fields=["resolution", "resolved_by", "resolved_at"])
        audit_record(
            actor=actor,
            action="service_request.resolve",
            obj=service_request,
            household_id=service_request.household_id,
            changes={"resolved_at": (None, service_request.resolved_at)},
        )
    return service_request
