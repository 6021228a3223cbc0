"""Form helpers shared by the apps."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError


def model_choice(form: forms.BaseForm, name: str) -> "forms.ModelChoiceField[Any]":
    """The model-choice field ``name`` of ``form``, whose choices are set per request."""
    return cast("forms.ModelChoiceField[Any]", form.fields[name])


class ServiceErrorsMixin(forms.BaseForm):
    """Attach a service's ``ValidationError`` to the form fields it names."""

    service_field_map: dict[str, str] = {}

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            target = self.service_field_map.get(field, field)
            self.add_error(target if target in self.fields else None, messages)
