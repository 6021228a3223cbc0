"""The types of pairing (结对类型), read in one place: ``pairing_types``.

The types are a code list (``policy.Code``, list ``pairing_type``, editable with validity
dates); the caps are policy parameters (``pairing.caps``: most households per helper;
``pairing.caps_min``: fewest, where the type has a floor, e.g. 党员中心户 10–15).
"""

import datetime
from dataclasses import dataclass

from django.utils.functional import Promise

from casework.policy.params import param
from casework.policy.selectors import codes_active

from .models import Pairing

# Types whose helper is a household of the site rather than a staff user.
HOUSEHOLD_HELPED = frozenset({Pairing.Kind.PARTY_CENTRE, Pairing.Kind.CAPABLE_HOUSEHOLD})
DEFAULT_CAP = 3


@dataclass(frozen=True)
class PairingType:
    """A type of pairing: its code, label, the fewest and most households one helper takes
    (``minimum`` 0: no floor), and whether its helper is a household."""

    code: str
    label: str | Promise
    minimum: int
    maximum: int
    household_helper: bool


def pairing_types(on: datetime.date | None = None) -> list[PairingType]:
    """The pairing types in force on ``on`` (today by default), in their order."""
    caps, floors = param("pairing.caps", on), param("pairing.caps_min", on)
    return [
        PairingType(
            code=code,
            label=label,
            minimum=int(floors.get(code, 0)),
            maximum=int(caps.get(code, DEFAULT_CAP)),
            household_helper=code in HOUSEHOLD_HELPED,
        )
        for code, label in ((c.code, c.label) for c in codes_active("pairing_type", on))
    ]


def pairing_type(code: str, on: datetime.date | None = None) -> PairingType | None:
    """The type with ``code``, or None when there is no such type."""
    return next((kind for kind in pairing_types(on) if kind.code == code), None)
