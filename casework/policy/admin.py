from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .defaults import DEFAULTS
from .models import Code, Parameter


@admin.register(Parameter)
class ParameterAdmin(admin.ModelAdmin):
    """Read-only: parameters change only on the policy pages (系统管理 → 政策参数), through
    ``services.parameter_set``, so that every change is checked and audited."""

    list_display = ("parameter", "value", "valid_from", "valid_to", "note", "created_by")
    list_filter = ("valid_from",)

    @admin.display(description=_("parameter"), ordering="key")
    def parameter(self, row: Parameter) -> str:
        default = DEFAULTS.get(row.key)
        return str(default.label) if default is not None else row.key

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Code)
class CodeAdmin(admin.ModelAdmin):
    """Read-only: code lists change through their services, so every change is audited."""

    # The code itself (an identifier) is shown on 系统管理 → 代码表; here the list reads in words.
    list_display = ("list_name", "label", "group", "valid_from", "valid_to")
    exclude = ("code",)
    list_filter = ("list_name",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Code | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Code | None = None) -> bool:
        return False
