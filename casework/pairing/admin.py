"""Pairings in /admin/: read-only for everyone (superusers too). They are made, ended and
handed over on the administration pages (manage/pairings/), whose services record each change
in the audit chain; an edit here would escape it."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Pairing


@admin.register(Pairing)
class PairingAdmin(admin.ModelAdmin):
    # The type by its label (``kind`` holds a code of the pairing-type code list).
    list_display = (
        "household",
        "helper",
        "helper_household",
        "kind_label",
        "start_date",
        "end_date",
    )
    list_filter = ("end_date",)
    exclude = ("kind",)
    readonly_fields = ("kind_label",)
    search_fields = ("household__number", "helper__username", "helper_household__number")
    list_select_related = ("household", "helper", "helper_household")

    @admin.display(description=_("pairing type"))
    def kind_label(self, pairing: Pairing) -> str:
        return pairing.get_kind_display()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
