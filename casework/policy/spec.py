"""The shape of the policy registry: a parameter's kind, and the units and fixed keys its
entries share (``defaults`` and ``defaults_local`` hold the entries)."""

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind:
    """The type of a parameter's value: what its edit form shows and what it accepts."""

    INTEGER = "integer"  # a whole number within ``minimum``..``maximum``
    DECIMAL = "decimal"  # a number with decimals (amounts of money, ratios)
    BOOLEAN = "boolean"  # yes or no
    INTEGERS = "integers"  # a list of whole numbers, each within the bounds
    MAPPING = "mapping"  # one value for each of the fixed ``keys`` (numbers within the bounds)
    TEXTS = "texts"  # one text for each of the fixed ``keys``
    CHOICES = "choices"  # a subset of ``keys`` (e.g. the categories a rule accepts)


@dataclass(frozen=True)
class Default:
    """A parameter of the registry: its default and what its edit form needs to validate it.

    ``keys`` names the fixed keys of a MAPPING/TEXTS value or the allowed codes of CHOICES (with
    their labels); ``used_by`` says in Chinese-translatable words which rule reads it.
    """

    value: Any
    label: Promise
    kind: str = Kind.INTEGER
    unit: Promise | str = ""
    minimum: int | float | None = None
    maximum: int | float | None = None
    keys: tuple[tuple[str, Promise | str], ...] = ()
    meaning: Promise | str = ""
    used_by: Promise | str = ""


# Units, as the edit form and the list show them after a value.
DAYS = pgettext_lazy("unit", "days")
WORKING_DAYS = pgettext_lazy("unit", "working days")
MONTHS = pgettext_lazy("unit", "months")
PERCENT = "%"
YEARS_OF_AGE = pgettext_lazy("unit", "years of age")
HOUSEHOLDS = pgettext_lazy("unit", "households")
TIMES = pgettext_lazy("unit", "times")
COLOURS = (
    ("green", pgettext_lazy("label", "Green")),
    ("yellow", pgettext_lazy("label", "Yellow")),
    ("red", pgettext_lazy("label", "Red")),
)
PAIRING_TYPES = (
    ("party", _("Party member pairing (党员结对)")),
    ("cadre", _("Cadre takes the household (干部包户)")),
    ("capable", _("Capable household leads (能人带动)")),
    ("party_centre", _("Party-member centre household (党员中心户)")),
    ("capable_household", _("Capable household helps (能人大户带贫)")),
)
# Units of the former constants.
PEOPLE = pgettext_lazy("unit", "people")
YUAN = pgettext_lazy("unit", "yuan")
POINTS = pgettext_lazy("unit", "points")
HOURS = pgettext_lazy("unit", "hours")
