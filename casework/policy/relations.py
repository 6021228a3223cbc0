"""Relations between policy parameters: values that would contradict each other are refused.

Each relation says that one parameter (``low``) stays below another (``high``): at most, or
strictly below. Mappings with the same keys compare entry by entry (the floor of a pairing type
against its cap); a single number compares with every entry of a mapping (the youngest working
age against the retirement age of each sex); of a list of months, its first month counts (the
first retention follow-up comes before the month of stable employment; later months are
skipped by the timers).

``services.parameter_set`` checks a new value against the other parameter's value in force on
each day of the new period (its first day and each later day the other parameter's value
changes) with ``relation_errors``; ``values_in_period`` finds those days. Chains are given by
their neighbours (a ≤ b ≤ c as a ≤ b and b ≤ c): since every write keeps each link, the whole
chain holds.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.translation import gettext as _

from .defaults import DEFAULTS, Default, Kind
from .validation import entry_field

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Relation:
    """``low`` ≤ ``high`` (``strict``: ``low`` < ``high``), on every day."""

    low: str
    high: str
    strict: bool = False


RELATIONS: tuple[Relation, ...] = (
    Relation("posts.term_months_default", "posts.term_months_max"),
    Relation("vacancy.age_lowest", "vacancy.age_max_default"),
    Relation("vacancy.age_max_default", "vacancy.age_highest"),
    Relation("placement.income_min", "placement.income_unusual_below", strict=True),
    Relation("placement.income_unusual_below", "placement.income_max", strict=True),
    Relation("posts.age_limit", "posts.age_limit_extended"),
    Relation("posts.age_limit_extended", "posts.age_never", strict=True),
    Relation("pairing.caps_min", "pairing.caps"),
    Relation("assessment.working_age_min", "assessment.retirement_age", strict=True),
    Relation("retention.followup_months", "retention.stable_months", strict=True),
)


def related_keys(key: str) -> list[str]:
    """The parameters ``key`` is compared with."""
    return [r.high if r.low == key else r.low for r in RELATIONS if key in (r.low, r.high)]


class Dated(Protocol):
    """A period of a parameter (a ``Parameter`` row)."""

    valid_from: datetime.date
    valid_to: datetime.date | None
    value: Any


def values_in_period(
    spec: Default, rows: Iterable[Dated], start: datetime.date, end: datetime.date | None
) -> list[tuple[datetime.date, Any]]:
    """The value of a parameter (its periods ``rows``, else its default ``spec``) in force on
    ``start`` and on each later day up to ``end`` (open: no end) on which it changes."""
    periods = sorted(rows, key=lambda row: row.valid_from)
    days = {start}
    for row in periods:
        days.add(row.valid_from)
        if row.valid_to is not None and row.valid_to < datetime.date.max:
            days.add(row.valid_to + ONE_DAY)

    def in_force(day: datetime.date) -> Any:
        covering = [
            row
            for row in periods
            if row.valid_from <= day and (row.valid_to is None or row.valid_to >= day)
        ]
        return covering[-1].value if covering else spec.value

    within = sorted(day for day in days if day >= start and (end is None or day <= end))
    return [(day, in_force(day)) for day in within]


@dataclass(frozen=True)
class _Number:
    entry: str  # the mapping's key, "" for a single number or a list
    number: int | float
    amount: str  # the number with its unit


def _numbers(key: str, value: Any) -> list[_Number]:
    """The numbers of ``value`` a relation compares (of a list: its first month)."""
    spec = DEFAULTS[key]
    unit = str(spec.unit)
    if spec.kind == Kind.MAPPING and isinstance(value, dict):
        return [
            _Number(code, value[code], f"{value[code]}{unit}")
            for code, _label in spec.keys
            if code in value
        ]
    if spec.kind == Kind.INTEGERS and isinstance(value, list):
        return [_Number("", min(value), f"{min(value)}{unit}")] if value else []
    return [_Number("", value, f"{value}{unit}")]


def _entry_label(key: str, entry: str) -> str:
    return str(dict(DEFAULTS[key].keys)[entry])


def _holds(low: int | float, high: int | float, strict: bool) -> bool:
    return low < high if strict else low <= high


def _message(mine_low: bool, strict: bool) -> str:
    if mine_low and strict:
        return _("Must be less than “%(other)s” in force on %(day)s: %(value)s.")
    if mine_low:
        return _("Must be at most “%(other)s” in force on %(day)s: %(value)s.")
    if strict:
        return _("Must be more than “%(other)s” in force on %(day)s: %(value)s.")
    return _("Must be at least “%(other)s” in force on %(day)s: %(value)s.")


def _contradiction(
    relation: Relation, key: str, mine: _Number, others: Sequence[tuple[datetime.date, Any]]
) -> str | None:
    """The message naming the first value of the other parameter ``mine`` contradicts."""
    mine_low = relation.low == key
    other = relation.high if mine_low else relation.low
    for day, other_value in others:
        for theirs in _numbers(other, other_value):
            if mine.entry and theirs.entry and mine.entry != theirs.entry:
                continue
            low, high = (mine, theirs) if mine_low else (theirs, mine)
            if _holds(low.number, high.number, relation.strict):
                continue
            name = str(DEFAULTS[other].label)
            if theirs.entry:
                name = _("%(parameter)s, %(entry)s") % {
                    "parameter": name,
                    "entry": _entry_label(other, theirs.entry),
                }
            message = _message(mine_low, relation.strict) % {
                "other": name,
                "day": day.isoformat(),
                "value": theirs.amount,
            }
            if DEFAULTS[key].kind == Kind.INTEGERS:
                return _("%(label)s: %(error)s") % {"label": mine.amount, "error": message}
            if mine.entry:
                label = _entry_label(key, mine.entry)
                return _("%(label)s: %(error)s") % {"label": label, "error": message}
            return message
    return None


def relation_errors(
    key: str, value: Any, others: Mapping[str, Sequence[tuple[datetime.date, Any]]]
) -> dict[str, list[str]]:
    """The errors of ``value`` for ``key`` against the other parameters' values in force
    (``others``: for each related key, its ``(day, value)`` from ``values_in_period``), keyed
    like ``validation.parameter_value_clean``'s (``value`` or ``value_<code>``): one error per
    entry, naming the first contradicting value of the other parameter and its day."""
    errors: dict[str, list[str]] = {}
    for relation in RELATIONS:
        if key not in (relation.low, relation.high):
            continue
        other = relation.high if relation.low == key else relation.low
        for mine in _numbers(key, value):
            field = entry_field(mine.entry) if mine.entry else "value"
            if field in errors:
                continue
            message = _contradiction(relation, key, mine, others.get(other, ()))
            if message is not None:
                errors[field] = [message]
    return errors
