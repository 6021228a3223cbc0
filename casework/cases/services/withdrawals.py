"""Undoing an assessment step before its review began: the assessments it wrote are
withdrawn (deleted: never reviewed, nothing refers to them) and the three-colour label it set is
put back. The audit chain keeps what was recorded and what was withdrawn."""

import datetime
from collections.abc import Collection

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from casework.audit.models import AuditEvent
from casework.audit.services import audit_record

from ..models import Assessment, HouseholdCase
from .households import household_colour_set
from .rights import require


def assessments_withdraw(
    *,
    actor: User,
    household_case: HouseholdCase,
    assessment_pks: Collection[int],
    colour_since: datetime.datetime | None = None,
) -> int:
    """Withdraw the assessments ``assessment_pks`` (those a step recorded) that are still
    pending and were recorded by ``actor`` for the household; with ``colour_since``, also put
    back the label ``actor`` changed since then. Returns how many were withdrawn.

    Only the step's own assessments go: a member assessed in a flow of their own keeps hers.
    The audit event names each withdrawn assessment (member and version), since the rows are
    deleted and could not be named later.
    """
    household = household_case.household
    require(actor, "work_case", household)
    pending = household_case.assessments.filter(
        pk__in=list(assessment_pks), review=Assessment.Review.PENDING, assessed_by=actor
    )
    withdrawn = list(pending.order_by("pk").values("pk", "member__name", "version"))
    with transaction.atomic():
        Assessment.objects.filter(pk__in=[row["pk"] for row in withdrawn]).delete()
        audit_record(
            actor=actor,
            action="assessment.withdraw",
            obj=household_case,
            household_id=household.pk,
            changes={
                "assessments": (
                    None,
                    [
                        _("%(name)s (version %(version)s)")
                        % {"name": row["member__name"], "version": row["version"]}
                        for row in withdrawn
                    ],
                )
            },
        )
        if colour_since is not None:
            _colour_restore(actor, household_case, colour_since)
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
    household_colour_set(actor=actor, household=household, colour=event.changes["colour"][0])
