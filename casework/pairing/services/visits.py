"""Writes to pairing: visits and the service requests raised in them. Each runs in one
transaction with its audit event."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import permissions
from casework.audit.services import audit_record
from casework.policy.params import param
from casework.registry.models import Household
from casework.registry.validators import clean_note

from ..models import ServiceRequest, Visit
from ..signals import service_request_raised

FIVE_POINTS = (
    "thinking_stable", "policy_understood", "life_happy", "industry_developing", "problems_solved",
)  # fmt: skip


def _require_change(actor: User, household: Household) -> None:
    if not permissions.can(actor, "change", household):
        raise PermissionDenied(_("You may not do this to the household."))


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
