from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .defaults import DEFAULTS
from .models import Code, Parameter


class ValueField(forms.JSONField):
    """A JSON value whose empty box stays empty (Django writes ``null`` into a new row's box)."""

    def prepare_value(self, value: Any) -> Any:
        return "" if value is None else super().prepare_value(value)


class ParameterForm(forms.ModelForm):
    key = forms.ChoiceField(
        label=_("parameter"),
        choices=[(key, default.label) for key, default in DEFAULTS.items()],
    )
    value = ValueField(label=_("value"))

    class Meta:
        model = Parameter
        fields = ["key", "value", "valid_from", "note"]


@admin.register(Parameter)
class ParameterAdmin(admin.ModelAdmin):
    form = ParameterForm
    list_display = ("parameter", "value", "valid_from", "note")
    list_filter = ("valid_from",)

    @admin.display(description=_("parameter"), ordering="key")
    def parameter(self, row: Parameter) -> str:
        default = DEFAULTS.get(row.key)
        return str(default.label) if default is not None else row.key


@admin.register(Code)
class CodeAdmin(admin.ModelAdmin):
    """Read-only: code lists change through their services, so every change is audited."""

    list_display = ("list_name", "code", "label", "group", "valid_from", "valid_to")
    list_filter = ("list_name",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Code | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Code | None = None) -> bool:
        return False
