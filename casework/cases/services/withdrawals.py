"""Undoing an assessment step before its review began: the assessments it wrote are
withdrawn (deleted: never reviewed, nothing refers to them) and the three-colour label it set is
put back. The audit chain keeps what was recorded and what was withdrawn."""

import datetime

from django.contrib.auth.models import User
from django.db import transaction

from casework.audit.models import AuditEvent
from casework.audit.services import audit_record
from casework.registry.models import Member

from ..models import Assessment, HouseholdCase
from .rights import require


def assessments_withdraw(
    *,
    actor: User,
    household_case: HouseholdCase,
    since: datetime.datetime,
    member: Member | None = None,
) -> int:
    """Withdraw the pending assessments ``actor`` recorded for the household (or one member)
    since ``since``, and restore the label they changed then. Returns how many were withdrawn."""
    household = household_case.household
    require(actor, "work_case", household)
    pending = household_case.assessments.filter(
        review=Assessment.Review.PENDING, assessed_by=actor, assessed_at__gte=since
    )
    if member is not None:
        pending = pending.filter(member=member)
    withdrawn = list(pending.order_by("pk").values("pk", "member_id", "version", "category"))
    with transaction.atomic():
        Assessment.objects.filter(pk__in=[row["pk"] for row in withdrawn]).delete()
        audit_record(
            actor=actor,
            action="assessment.withdraw",
            obj=household_case,
            household_id=household.pk,
            changes={"assessments": ([row["pk"] for row in withdrawn], [])},
        )
        if member is None:
            _colour_restore(actor, household_case, since)
    return len(withdrawn)


def _colour_restore(actor: User, household_case: HouseholdCase, since: datetime.datetime) -> None:
    """Put back the label as it was before the step, read from the step's own audit event."""
    household = household_case.household
    event = (
        AuditEvent.objects.filter(
            action="household.colour",
            household_id=household.pk,
            actor=actor,
            occurred_at__gte=since,
        )
        .order_by("seq")
        .first()
    )
    if event is None:
        return
    before = event.changes["colour"][0]
    if before == household.colour:
        return
    audit_record(
        actor=actor,
        action="household.colour",
        obj=household,
        household_id=household.pk,
        changes={"colour": (household.colour, before)},
    )
    household.colour = before
    household.save(update_fields=["colour", "updated_at"])
