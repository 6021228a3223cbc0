"""The edit form of one parameter, built from its registry entry: no JSON box, no free key.

The fields only collect what was typed; ``validation.parameter_value_clean`` decides what the
value is and whether it is allowed.
"""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.common.forms import ServiceErrorsMixin, add_errors_by_field

from .defaults import Default, Kind
from .validation import entry_field, parameter_value_clean

YES_NO = (("yes", _("Yes")), ("no", _("No")))


def _bounds_help(spec: Default) -> str:
    if spec.minimum is None or spec.maximum is None:
        return ""
    return str(
        _("From %(minimum)s to %(maximum)s%(unit)s.")
        % {"minimum": spec.minimum, "maximum": spec.maximum, "unit": spec.unit}
    )


def _number_field(label: Any, spec: Default, initial: Any) -> forms.CharField:
    decimals = spec.kind == Kind.DECIMAL or isinstance(initial, float)
    return forms.CharField(
        label=label,
        initial=initial,
        help_text=_bounds_help(spec),
        widget=forms.TextInput(attrs={"inputmode": "decimal" if decimals else "numeric"}),
    )


def _initial_text(value: Any) -> str:
    return "、".join(str(v) for v in value) if isinstance(value, list) else str(value)


class ParameterForm(ServiceErrorsMixin, forms.Form):
    """The value (one field, or one per entry of a mapping), its period and a note."""

    valid_from = forms.DateField(
        label=_("valid from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    valid_to = forms.DateField(
        label=_("valid to"),
        required=False,
        help_text=_("Leave empty for no end."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label=_("source or note"),
        required=False,
        max_length=200,
        help_text=_("The document or decision the value comes from."),
    )

    def __init__(self, *args: Any, key: str, spec: Default, current: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.key, self.spec = key, spec
        self.fields["valid_from"].initial = timezone.localdate()
        self.value_fields = self._value_fields(spec, current)
        # The value comes first, then its period.
        self.fields = {**self.value_fields, **self.fields}

    def _value_fields(self, spec: Default, current: Any) -> dict[str, forms.Field]:
        label = str(spec.label)  # built per request, in its language
        if spec.kind in (Kind.INTEGER, Kind.DECIMAL):
            return {"value": _number_field(label, spec, current)}
        if spec.kind == Kind.BOOLEAN:
            return {
                "value": forms.ChoiceField(
                    label=label,
                    choices=YES_NO,
                    initial="yes" if current else "no",
                    widget=forms.RadioSelect,
                )
            }
        if spec.kind == Kind.INTEGERS:
            return {
                "value": forms.CharField(
                    label=label,
                    initial=_initial_text(current),
                    help_text=_("Whole numbers separated by commas, e.g. 1,3,6. %(bounds)s")
                    % {"bounds": _bounds_help(spec)},
                )
            }
        if spec.kind == Kind.CHOICES:
            return {
                "value": forms.MultipleChoiceField(
                    label=label,
                    choices=list(spec.keys),
                    initial=list(current),
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
            }
        fields: dict[str, forms.Field] = {}
        for code, entry_label in spec.keys:
            entry = current.get(code, "") if isinstance(current, dict) else ""
            if spec.kind == Kind.TEXTS:
                fields[entry_field(code)] = forms.CharField(label=str(entry_label), initial=entry)
            else:
                fields[entry_field(code)] = _number_field(str(entry_label), spec, entry)
        return fields

    def raw_value(self) -> Any:
        """What was typed, in the shape the validator takes."""
        data = self.cleaned_data
        if self.spec.kind in (Kind.MAPPING, Kind.TEXTS):
            return {code: data.get(entry_field(code), "") for code, _label in self.spec.keys}
        return data.get("value", "")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if any(name in self.errors for name in self.value_fields):
            return cleaned
        try:
            cleaned["parameter_value"] = parameter_value_clean(self.key, self.raw_value())
        except forms.ValidationError as error:
            add_errors_by_field(self, error)
        return cleaned
