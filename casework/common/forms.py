"""Form helpers shared by the apps."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError


def model_choice(form: forms.BaseForm, name: str) -> "forms.ModelChoiceField[Any]":
    """The model-choice field ``name`` of ``form``, whose choices are set per request."""
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


def add_errors_by_field(
    form: forms.BaseForm, error: ValidationError, field_map: dict[str, str] | None = None
) -> None:
    """Show a service's ``ValidationError`` on ``form``: each message on the field it names
    (renamed through ``field_map``) when the form has that field, otherwise at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        target = (field_map or {}).get(field, field)
        form.add_error(target if target in form.fields else None, messages)


class ServiceErrorsMixin(forms.BaseForm):
    """Attach a service's ``ValidationError`` to the form fields it names."""

    service_field_map: dict[str, str] = {}

    def add_service_errors(self, error: ValidationError) -> None:
        add_errors_by_field(self, error, self.service_field_map)
