"""Writes to pairings: pair, end, hand over one household or all of a helper's households.

Each public service is one administrative action: one transaction, exactly one audit event
with the actor. A staff helper gets (and loses) ``visit_household`` on the household; a helper
household has no login and gets nothing.
"""

import datetime
from collections import Counter
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from casework import permissions
from casework.audit.services import audit_record
from casework.permissions import roles
from casework.registry.models import Household
from casework.registry.validators import clean_note

from ..models import Pairing
from ..types import PairingType, pairing_type

Helper = User | Household


def helper_cap(kind: str) -> int:
    """How many households one helper may look after in pairings of ``kind``."""
    found = pairing_type(kind)
    return found.maximum if found else 0


def _require_pairing(actor: User, household: Household) -> None:
    if not permissions.may_pair(actor, household):
        raise PermissionDenied(_("You may not do this to the household."))


def _helper_fields(helper: Helper) -> dict[str, object]:
    if isinstance(helper, Household):
        return {"helper": None, "helper_household": helper}
    return {"helper": helper, "helper_household": None}


def _helper_name(helper: Helper) -> str:
    if isinstance(helper, Household):
        return helper.number
    return helper.get_full_name() or helper.get_username()


def _active_of(helper: Helper) -> QuerySet[Pairing]:
    key = "helper_household" if isinstance(helper, Household) else "helper"
    return Pairing.objects.filter(**{key: helper}, end_date__isnull=True)


def _check_helper(actor: User, kind: PairingType, helper: Helper, household: Household) -> None:
    """The helper fits the type: a household of the same site for the household types,
    an active pairing helper otherwise, whom ``actor`` may give work at the household's site
    (``permissions.helpers_pairable``)."""
    if kind.household_helper:
        if not isinstance(helper, Household):
            raise ValidationError({"helper_household": _("This type pairs with a household.")})
        if helper.pk == household.pk:
            raise ValidationError({"helper_household": _("A household cannot help itself.")})
        if helper.grid.site_id != household.grid.site_id:
            raise ValidationError(
                {"helper_household": _("The helper household must live on the same site.")}
            )
    elif isinstance(helper, Household) or roles.HELPER not in roles.user_roles(helper):
        raise ValidationError({"helper": _("Only a pairing helper can be paired.")})
    elif not helper.is_active:
        raise ValidationError({"helper": _("This account is deactivated.")})
    elif not permissions.helpers_pairable(actor, household).filter(pk=helper.pk).exists():
        raise ValidationError(
            {"helper": _("Choose a helper of the household's site, or one you administer.")}
        )


def _check_cap(kind: PairingType, helper: Helper, incoming: int) -> None:
    """``incoming`` more households of ``kind`` stay within the helper's cap."""
    if isinstance(helper, User):
        # Serialise pairings of one helper so that the cap holds under concurrent requests.
        User.objects.select_for_update().filter(pk=helper.pk).first()
    else:
        Household.objects.select_for_update().filter(pk=helper.pk).first()
    taken = _active_of(helper).filter(kind=kind.code).count()
    if taken + incoming > kind.maximum:
        raise ValidationError(
            {
                "helper_household" if isinstance(helper, Household) else "helper": _(
                    "%(name)s already looks after %(taken)s households as %(kind)s; the "
                    "limit is %(cap)s."
                )
                % {
                    "name": _helper_name(helper),
                    "taken": taken,
                    "kind": kind.label,
                    "cap": kind.maximum,
                }
            }
        )


def _open(
    *, actor: User, helper: Helper, household: Household, kind: PairingType, on: datetime.date
) -> Pairing:
    if _active_of(helper).filter(household=household).exists():
        raise ValidationError(_("This helper is already paired with the household."))
    pairing = Pairing.objects.create(
        **_helper_fields(helper),
        household=household,
        kind=kind.code,
        start_date=on,
        created_by=actor,
    )
    if isinstance(helper, User):
        assign_perm(permissions.VISIT_HOUSEHOLD, helper, household)
        permissions.jurisdiction_forget(helper)
    return pairing


def _close(pairing: Pairing, reason: str, on: datetime.date) -> None:
    pairing.end_date, pairing.end_reason = on, reason
    pairing.save(update_fields=["end_date", "end_reason"])
    if pairing.helper is not None:
        still = _active_of(pairing.helper).filter(household_id=pairing.household_id)
        if not still.exists():
            remove_perm(permissions.VISIT_HOUSEHOLD, pairing.helper, pairing.household)
        permissions.jurisdiction_forget(pairing.helper)


def _kind(code: str) -> PairingType:
    found = pairing_type(code)
    if found is None:
        raise ValidationError({"kind": _("Choose the type of pairing.")})
    return found


def pairing_create(
    *,
    actor: User,
    household: Household,
    kind: str,
    helper: User | None = None,
    helper_household: Household | None = None,
    start_date: datetime.date | None = None,
) -> Pairing:
    """Pair a helper (a staff user, or for the household types a household of the site) with a
    household; a staff helper then sees it (and only what a helper may).

    A helper takes at most the type's cap of households of that type at a time.
    """
    _require_pairing(actor, household)
    chosen = _kind(kind)
    who: Helper | None = helper_household if chosen.household_helper else helper
    if who is None:
        field = "helper_household" if chosen.household_helper else "helper"
        raise ValidationError({field: _("Choose the helper.")})
    _check_helper(actor, chosen, who, household)
    with transaction.atomic():
        _check_cap(chosen, who, 1)
        pairing = _open(
            actor=actor,
            helper=who,
            household=household,
            kind=chosen,
            on=start_date or timezone.localdate(),
        )
        audit_record(
            actor=actor,
            action="pairing.create",
            obj=pairing,
            household_id=household.pk,
            changes={_helper_key(who): (None, _helper_value(who)), "kind": (None, chosen.code)},
        )
    return pairing


def _helper_key(helper: Helper) -> str:
    return "helper_household" if isinstance(helper, Household) else "helper"


def _helper_value(helper: Helper) -> str:
    return helper.number if isinstance(helper, Household) else helper.get_username()


def pairing_end(*, actor: User, pairing: Pairing, reason: str) -> Pairing:
    """End a pairing; a staff helper no longer sees the household. The row stays as history."""
    _require_pairing(actor, pairing.household)
    reason = clean_note(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the pairing ends.")})
    if not pairing.is_active:
        raise ValidationError(_("The pairing has already ended."))
    with transaction.atomic():
        _close(pairing, reason, timezone.localdate())
        audit_record(
            actor=actor,
            action="pairing.end",
            obj=pairing,
            household_id=pairing.household_id,
            changes={"end_date": (None, pairing.end_date)},
            reason=reason,
        )
    return pairing


def _hand_over(
    actor: User, pairings: Iterable[Pairing], to: Helper, kind: str | None
) -> list[Pairing]:
    """End each pairing and open its successor with ``to`` (linked); no audit event."""
    pairings = list(pairings)
    today = timezone.localdate()
    wanted = Counter(kind or pairing.kind for pairing in pairings)
    for code, count in wanted.items():
        _check_cap(_kind(code), to, count)
    moved: list[Pairing] = []
    for pairing in pairings:
        _require_pairing(actor, pairing.household)
        chosen = _kind(kind or pairing.kind)
        _check_helper(actor, chosen, to, pairing.household)
        reason = _("Handed over to %(name)s") % {"name": _helper_name(to)}
        _close(pairing, reason, today)
        new = _open(actor=actor, helper=to, household=pairing.household, kind=chosen, on=today)
        pairing.handed_over_to = new
        pairing.save(update_fields=["handed_over_to"])
        moved.append(new)
    return moved


def pairing_handover(
    *,
    actor: User,
    pairing: Pairing,
    helper: User | None = None,
    helper_household: Household | None = None,
    kind: str | None = None,
) -> Pairing:
    """Hand a household over to another helper: the old pairing ends, a new one starts, and
    both stay in the history, linked. One audit event."""
    to: Helper | None = helper_household or helper
    if to is None:
        raise ValidationError({"helper": _("Choose the helper.")})
    if not pairing.is_active:
        raise ValidationError(_("The pairing has already ended."))
    with transaction.atomic():
        new = _hand_over(actor, [pairing], to, kind)[0]
        audit_record(
            actor=actor,
            action="pairing.handover",
            obj=new,
            household_id=pairing.household_id,
            changes={
                _helper_key(to): (pairing.helper_name, _helper_value(to)),
                "kind": (pairing.kind, new.kind),
            },
        )
    return new


def pairing_handover_all(*, actor: User, helper: Helper, to: Helper) -> list[Pairing]:
    """Hand every household ``helper`` looks after to ``to`` in one go (each pairing ends and
    its successor starts, linked; each type keeps its cap). One audit event listing them."""
    if _helper_key(helper) != _helper_key(to) or helper.pk == to.pk:
        raise ValidationError({"to": _("Choose another helper of the same kind.")})
    with transaction.atomic():
        pairings = list(_active_of(helper).select_related("household__grid").order_by("pk"))
        if not pairings:
            return []
        moved = _hand_over(actor, pairings, to, None)
        audit_record(
            actor=actor,
            action="pairing.handover_all",
            obj=None,
            household_id=None,
            changes={
                _helper_key(to): (_helper_value(helper), _helper_value(to)),
                "households": (None, [new.household.number for new in moved]),
            },
        )
    return moved
