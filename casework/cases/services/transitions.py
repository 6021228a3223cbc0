"""The one way a case changes state: every change is checked against the model's
``TRANSITIONS`` table (``EmploymentCase.TRANSITIONS``, ``HouseholdCase.TRANSITIONS``).

Services that may lead to several states check them all up front with ``transition_check``
(before any write), then move the case with ``case_transition`` inside their transaction.
"""

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit.services import audit_record

from ..models import Category, EmploymentCase, HouseholdCase

State = EmploymentCase.State
ILLEGAL_TRANSITION = "case.illegal_transition"

# The state a new employment case opens in, and a reassessment re-routes to, by category;
# 非劳动力 opens no case (and closes one as out of scope at reassessment).
ROUTE_BY_CATEGORY: dict[str, str] = {
    Category.CAPABLE: State.SEEKING,
    Category.TRAINING: State.TO_ENROL,
    Category.THREE_NO: State.TO_APPLY,
}

Case = EmploymentCase | HouseholdCase


class IllegalTransition(ValidationError):
    """A state change that the case's ``TRANSITIONS`` table does not allow."""

    def __init__(self, case: Case, target: str) -> None:
        labels: type[models.TextChoices] = type(case).State
        self.source, self.target = str(case.state), str(target)
        super().__init__(
            _("A case that is “%(source)s” cannot become “%(target)s”.")
            % {"source": labels(self.source).label, "target": labels(self.target).label},
            code=ILLEGAL_TRANSITION,
        )


def transition_allowed(case: Case, target: str) -> bool:
    """May ``case`` move from its current state to ``target``?"""
    return target in type(case).TRANSITIONS[case.state]


def transition_check(case: Case, *targets: str) -> None:
    """Raise ``IllegalTransition`` unless ``case`` may move to every one of ``targets`` (the
    states a service may lead to, checked before it writes anything)."""
    for target in targets:
        if not transition_allowed(case, target):
            raise IllegalTransition(case, target)


def case_transition(
    *,
    actor: User | None,
    case: EmploymentCase,
    to: str,
    action: str,
    reason: str = "",
    extra: dict[str, Any] | None = None,
) -> EmploymentCase:
    """Move an employment case to ``to`` inside the caller's transaction, with one audit event.

    ``extra`` sets other fields of the case with the change (recorded in the event). Entering
    work starts a new work episode; a final state closes the case with ``reason``.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case_transition must run inside the caller's transaction")
    transition_check(case, to)
    changes: dict[str, tuple[Any, Any]] = {"state": (case.state, to)}
    fields = ["state"]
    if to in EmploymentCase.WORKING_STATES and case.state not in EmploymentCase.WORKING_STATES:
        case.work_episode += 1  # retention follow-ups count from the start of each new job
        fields.append("work_episode")
    case.state = to
    for name, value in (extra or {}).items():
        changes[name] = (getattr(case, name), value)
        setattr(case, name, value)
        fields.append(name)
    if to in EmploymentCase.CLOSED_STATES:
        case.closed_at = timezone.now()
        case.close_reason = reason
        fields += ["closed_at", "close_reason"]
    case.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=action,
        obj=case,
        household_id=case.member.household_id,
        changes=changes,
        reason=reason,
    )
    return case
