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
from django.contrib.auth.models import Group, Permission, User
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from viewflow.workflow.models import Process, Task

from .admin_accounts import CaseworkGroupAdmin, CaseworkUserAdmin, group_label, permission_label

admin.site.site_header = _("Employment assistance: system administration")
admin.site.site_title = _("Employment assistance")
admin.site.index_title = _("System administration")

for model in (Process, Task, tasks_admin.DBTaskResult, TOTPDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

# django-axes (login lockouts; its own pages are off, its permissions show in the group form).
apps.get_app_config("axes").verbose_name = _("Login lockouts")

# A group is shown by its role's Chinese name everywhere the admin names one (list, titles,
# breadcrumbs, delete page, change history); its ``name`` stays the code roles are found by.
Group.__str__ = group_label  # type: ignore[method-assign]  # Django's Group names itself by its code
# A permission in words (a read-only account page lists them as text: Django's is English).
Permission.__str__ = permission_label  # type: ignore[assignment]  # Django's is "app | model | Can add …"

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


admin.site.unregister(User)
admin.site.register(User, CaseworkUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, CaseworkGroupAdmin)
