"""The audit log in /admin/, read-only and in words: each event's action by its label, its object
by the kind of thing it is and what people call it, its changes as the history tells them, and
its time in local time (the admin shows every time in the county's zone)."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from .actions import action_label, object_type_label
from .history import history_entries
from .models import AuditEvent
from .people import user_label


class ActionFilter(admin.SimpleListFilter):
    title = _("action")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        actions = AuditEvent.objects.order_by().values_list("action", flat=True).distinct()
        return sorted(((action, action_label(action)) for action in actions), key=lambda c: c[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEvent]) -> Any:
        return queryset.filter(action=self.value()) if self.value() else queryset


class ObjectTypeFilter(admin.SimpleListFilter):
    title = _("object type")
    parameter_name = "object_type"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        types = AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct()
        return sorted(((kind, object_type_label(kind)) for kind in types), key=lambda c: c[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEvent]) -> Any:
        return queryset.filter(object_type=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: audit events are written by services and never edited."""

    list_display = ["seq", "time", "who", "what", "about"]
    list_filter = [ActionFilter, ObjectTypeFilter]
    list_select_related = ["actor"]
    search_fields = ["action", "object_id", "actor_username"]
    fields = [
        "seq",
        "time",
        "who",
        "what",
        "about",
        "household_id",
        "household_seq",
        "changed",
        "reason",
        "prev_hash",
        "hash",
        "hash_scheme",
    ]
    readonly_fields = ["time", "who", "what", "about", "changed"]

    @admin.display(description=_("time"), ordering="seq")
    def time(self, event: AuditEvent) -> str:
        return timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M:%S")

    @admin.display(description=_("actor"), ordering="actor_username")
    def who(self, event: AuditEvent) -> str:
        return user_label(event.actor) if event.actor_id else str(_("System"))

    @admin.display(description=_("action"), ordering="action")
    def what(self, event: AuditEvent) -> str:
        return action_label(event.action)

    @admin.display(description=_("object"))
    def about(self, event: AuditEvent) -> str:
        return event.object_label()

    @admin.display(description=_("changes"))
    def changed(self, event: AuditEvent) -> Any:
        (entry,) = history_entries([event])
        rows = [(name, before, after) for name, before, after in entry.changes]
        if entry.sentence:
            return entry.sentence
        return format_html_join("", "<div>{}：{} → {}</div>", rows) or "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
