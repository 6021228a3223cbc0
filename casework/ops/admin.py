"""The /admin/ site in Chinese: our titles instead of "Django 站点管理员", permissions named in
Chinese in the user and group forms, Chinese names for the third-party pages kept, and no pages
the county does not need.

Removed: viewflow's raw process and task tables (editing them bypasses the services and their
audit; processes are looked at and handled in 帮扶办理) and the background worker's raw job
results (imports and case-file batches show their own progress pages)."""

from typing import Any

import django_tasks_db.admin as tasks_admin
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from viewflow.workflow.models import Process, Task

admin.site.site_header = _("Employment assistance: system administration")
admin.site.site_title = _("Employment assistance")
admin.site.index_title = _("System administration")

for model in (Process, Task, tasks_admin.DBTaskResult, TOTPDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

# django-axes (login lockouts; its own pages are off, its permissions show in the group form).
apps.get_app_config("axes").verbose_name = _("Login lockouts")

# django-otp names its app, model and fields in English without gettext. Its device page stays
# (an administrator removes the device of a lost phone there), in Chinese and plainer.
apps.get_app_config("otp_totp").verbose_name = _("Two-factor authentication")
TOTPDevice._meta.verbose_name = _("authenticator app")
TOTPDevice._meta.verbose_name_plural = _("authenticator apps")


@admin.register(TOTPDevice)
class AuthenticatorAdmin(admin.ModelAdmin):
    """Which user has which authenticator app; removing one makes its user enrol again."""

    list_display = ["owner", "device_name"]
    fields = ["owner", "device_name"]
    readonly_fields = ["owner", "device_name"]
    search_fields = ["user__username", "user__last_name", "user__first_name"]

    @admin.display(description=_("user"))
    def owner(self, device: TOTPDevice) -> Any:
        return device.user

    @admin.display(description=_("device name"))
    def device_name(self, device: TOTPDevice) -> str:
        return device.name

    def has_add_permission(self, request: Any) -> bool:
        return False  # a user enrols their own phone after logging in


# The default permissions' names are stored in English ("Can add household"): shown by action.
DEFAULT_ACTIONS = {
    "add": _("may add"),
    "change": _("may change"),
    "delete": _("may delete"),
    "view": _("may view"),
}


def permission_label(permission: Permission) -> str:
    """``应用 | 模型 | 可以添加``, or the custom permission's own (translated) name."""
    action, _sep, model = permission.codename.partition("_")
    content_type = permission.content_type
    model_class = content_type.model_class()
    if model_class is None:
        return gettext(permission.name)
    meta = model_class._meta
    app = apps.get_app_config(meta.app_label).verbose_name
    if action in DEFAULT_ACTIONS and model == meta.model_name:
        name = str(DEFAULT_ACTIONS[action])
    else:
        name = gettext(permission.name)
    return f"{app} | {meta.verbose_name} | {name}"


class ChinesePermissionsMixin:
    def formfield_for_manytomany(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]  # a mixin of ModelAdmin
        if field is not None and db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


class CaseworkUserAdmin(ChinesePermissionsMixin, UserAdmin):
    # Without Django's yes/no icon columns: their text is English (alt="True").
    list_display = ("username", "last_name", "first_name", "email")


class CaseworkGroupAdmin(ChinesePermissionsMixin, GroupAdmin):
    pass


admin.site.unregister(User)
admin.site.register(User, CaseworkUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, CaseworkGroupAdmin)
