"""Form helpers shared by the apps."""

from typing import Any, cast

from django import forms


def model_choice(form: forms.BaseForm, name: str) -> "forms.ModelChoiceField[Any]":
    """The model-choice field ``name`` of ``form``, whose choices are set per request."""
    return cast("forms.ModelChoiceField[Any]", form.fields[name])
