"""The one check of a policy parameter's value against its registry entry (``defaults``).

``parameter_value_clean(key, raw)`` returns the value as it is stored (JSON: numbers, booleans,
lists, objects) or raises a ``ValidationError`` with Chinese messages. Errors about the value as
a whole are keyed ``value``; an error about one entry of a mapping is keyed ``value_<code>``
(the edit form has one field per entry under that name). Both the edit form and
``services.parameter_set`` call it, so nothing else decides what a parameter accepts on its own;
how it must stand to other parameters on the days of its period is ``relations``' (checked by
``parameter_set``).
"""

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .defaults import DEFAULTS, Default, Kind

TEXT_MAX_LENGTH = 50
# "1,3,6", "1，3，6", "1、3、6" or "1 3 6": how a list of whole numbers may be typed.
LIST_SEPARATORS = re.compile(r"[\s,，、;；]+")
WHOLE_NUMBER = re.compile(r"[+-]?\d+")


def entry_field(code: str) -> str:
    """The error key (and edit-form field) of one entry of a mapping or texts value."""
    return f"value_{code}"


def parameter_spec(key: str) -> Default:
    """The registry entry of ``key``; an unknown key is refused."""
    spec = DEFAULTS.get(key)
    if spec is None:
        raise ValidationError({"key": _("Unknown parameter: %(key)s.") % {"key": key}})
    return spec


def _whole_number(raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValidationError(_("Enter a whole number."))
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float | Decimal) and raw == int(raw):
        return int(raw)
    if isinstance(raw, str) and WHOLE_NUMBER.fullmatch(raw.strip()):
        return int(raw.strip())
    raise ValidationError(_("Enter a whole number."))


def _number(raw: Any) -> int | float:
    """A decimal number as JSON keeps it: whole numbers as int, others as float."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal | str):
        raise ValidationError(_("Enter a number."))
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValidationError(_("Enter a number.")) from None
    if not value.is_finite():
        raise ValidationError(_("Enter a number."))
    return int(value) if value == value.to_integral_value() else float(value)


def _within(spec: Default, value: int | float) -> int | float:
    unit = str(spec.unit)
    if spec.minimum is not None and value < spec.minimum:
        raise ValidationError(
            _("Must be at least %(minimum)s%(unit)s.") % {"minimum": spec.minimum, "unit": unit}
        )
    if spec.maximum is not None and value > spec.maximum:
        raise ValidationError(
            _("Must be at most %(maximum)s%(unit)s.") % {"maximum": spec.maximum, "unit": unit}
        )
    return value


def _entry_number(spec: Default, raw: Any) -> int | float:
    """One number of the value: whole unless the default itself has decimals."""
    values = spec.value.values() if isinstance(spec.value, dict) else [spec.value]
    decimals = spec.kind == Kind.DECIMAL or any(isinstance(v, float | Decimal) for v in values)
    return _within(spec, _number(raw) if decimals else _whole_number(raw))


def _clean_integer(spec: Default, raw: Any) -> Any:
    return _entry_number(spec, raw)


def _clean_boolean(spec: Default, raw: Any) -> Any:
    if isinstance(raw, bool):
        return raw
    words = {"true": True, "yes": True, "false": False, "no": False}
    if isinstance(raw, str) and raw.strip().lower() in words:
        return words[raw.strip().lower()]
    raise ValidationError(_("Choose yes or no."))


def _listed(raw: Any) -> list[Any]:
    if isinstance(raw, str):
        return [part for part in LIST_SEPARATORS.split(raw.strip()) if part]
    if isinstance(raw, list | tuple):
        return list(raw)
    raise ValidationError(_("Enter a list of values."))


def _clean_integers(spec: Default, raw: Any) -> Any:
    numbers = []
    for item in _listed(raw):
        try:
            numbers.append(_whole_number(item))
        except ValidationError:
            raise ValidationError(_("%(item)s is not a whole number.") % {"item": item}) from None
    if not numbers:
        raise ValidationError(_("Enter at least one value."))
    for number in numbers:
        _within(spec, number)
        if numbers.count(number) > 1:
            raise ValidationError(_("%(item)s is given twice.") % {"item": number})
    return sorted(numbers)


def _entries(spec: Default, raw: Any, clean: Callable[[Any], Any]) -> dict[str, Any]:
    """A value with one entry per key of ``spec``: exactly those keys, each entry cleaned."""
    if not isinstance(raw, dict):
        raise ValidationError(_("Give one value for each of its entries."))
    labels = dict(spec.keys)
    unknown = [str(code) for code in raw if code not in labels]
    if unknown:
        raise ValidationError(_("Unknown entry: %(codes)s.") % {"codes": "、".join(unknown)})
    missing = [str(label) for code, label in spec.keys if code not in raw]
    if missing:
        raise ValidationError(_("Give a value for: %(labels)s.") % {"labels": "、".join(missing)})
    cleaned, errors = {}, {}
    for code, label in spec.keys:
        try:
            cleaned[code] = clean(raw[code])
        except ValidationError as error:
            errors[entry_field(code)] = [
                _("%(label)s: %(error)s") % {"label": label, "error": message}
                for message in error.messages
            ]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _text(raw: Any) -> str:
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        raise ValidationError(_("Enter a text."))
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(_("At most %(count)s characters.") % {"count": TEXT_MAX_LENGTH})
    return text


def _clean_mapping(spec: Default, raw: Any) -> Any:
    return _entries(spec, raw, lambda entry: _entry_number(spec, entry))


def _clean_texts(spec: Default, raw: Any) -> Any:
    return _entries(spec, raw, _text)


def _clean_choices(spec: Default, raw: Any) -> Any:
    chosen = [str(code) for code in _listed(raw)]
    codes = [code for code, _label in spec.keys]
    unknown = [code for code in chosen if code not in codes]
    if unknown:
        raise ValidationError(
            _("Not one of the choices: %(codes)s.") % {"codes": "、".join(unknown)}
        )
    if not chosen:
        raise ValidationError(_("Choose at least one."))
    return [code for code in codes if code in chosen]


_CLEANERS: dict[str, Callable[[Default, Any], Any]] = {
    Kind.INTEGER: _clean_integer,
    Kind.DECIMAL: _clean_integer,
    Kind.BOOLEAN: _clean_boolean,
    Kind.INTEGERS: _clean_integers,
    Kind.MAPPING: _clean_mapping,
    Kind.TEXTS: _clean_texts,
    Kind.CHOICES: _clean_choices,
}


def parameter_value_clean(key: str, raw: Any) -> Any:
    """``raw`` checked against the registry entry of ``key`` and brought to its stored form."""
    spec = parameter_spec(key)
    try:
        return _CLEANERS[spec.kind](spec, raw)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise ValidationError({"value": error.messages}) from None
