"""Writes to the household's assistance case: opened at registration, closed at the end."""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit.services import audit_record
from casework.registry.models import Household

from ..models import EmploymentCase, HouseholdCase
from .transitions import transition_check


def household_case_open(*, actor: User | None, household: Household) -> HouseholdCase:
    """Open the household's assistance case (at registration or import)."""
    with transaction.atomic():
        case = HouseholdCase.objects.create(household=household)
        audit_record(actor=actor, action="household_case.open", obj=case, household_id=household.pk)
    return case


def household_case_closable(household_case: HouseholdCase) -> bool:
    """Every labour member's case is closed and at least one member is in stable work."""
    cases = household_case.employment_cases.all()
    states = list(cases.values_list("state", "closed_at"))
    if not states or any(closed is None for _state, closed in states):
        return False
    return any(state == EmploymentCase.State.STABLE for state, _closed in states)


def household_case_close(*, actor: User | None, household_case: HouseholdCase) -> HouseholdCase:
    """Close the household's assistance once ``household_case_closable`` holds (closing a
    closed case again changes nothing)."""
    if household_case.state == HouseholdCase.State.CLOSED:
        return household_case
    if not household_case_closable(household_case):
        raise ValidationError(_("The household still has open cases or nobody in stable work."))
    transition_check(household_case, HouseholdCase.State.CLOSED)
    with transaction.atomic():
        household_case.closed_at = timezone.now()
        household_case.save(update_fields=["closed_at"])
        audit_record(
            actor=actor,
            action="household_case.close",
            obj=household_case,
            household_id=household_case.household_id,
            reason=_("Every labour member's case is closed; at least one is in stable work."),
        )
    return household_case


def household_colour_set(*, actor: User, household: Household, colour: str) -> None:
    """Give the household the three-colour label ``colour``, recorded; nothing if unchanged.
    Called inside the caller's transaction."""
    if household.colour == colour:
        return
    audit_record(
        actor=actor,
        action="household.colour",
        obj=household,
        household_id=household.pk,
        changes={"colour": (household.colour, colour)},
    )
    household.colour = colour
    household.save(update_fields=["colour", "updated_at"])
