"""Users and groups in /admin/, in Chinese: role groups by their role's name, permissions named
in Chinese (and only those the county can grant), the password by whether it is set (not by its
hashing scheme), and a delete page that lists what goes with a user or group in words.

Role groups keep their codes as names (``caseworker``): roles are looked up by group name
(``casework.permissions.roles``: ``roles_sync``, ``user_roles``, ``groups__name=`` in forms, the
demo seed), so a renaming migration would break them. Their Chinese name is ``ROLE_LABELS``'s,
shown wherever a group is shown (``group_label``), and a role group's name cannot be edited here.
"""

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import NestedObjects
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    ReadOnlyPasswordHashWidget,
    UserChangeForm,
)
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group, Permission, User
from django.db import router
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.audit.people import user_label
from casework.permissions.roles import ROLE_LABELS

# The default permissions' names are stored in English ("Can add household"): shown by action.
# ``manage`` is viewflow's, added to every process model (managing its flow's tasks).
DEFAULT_ACTIONS = {
    "add": _("may add"),
    "change": _("may change"),
    "delete": _("may delete"),
    "view": _("may view"),
    "manage": _("may manage"),
}

# Apps whose model-level permissions the county never grants, left out of the user and group
# forms: django-guardian's tables of object permissions (jurisdiction is granted per grid, site
# or course by ``casework.permissions.grants``, never by a right on these tables) and the
# background worker's job results (their admin page is removed, nothing checks these rights).
UNGRANTED_APPS = ("guardian", "django_tasks_database")

CHOOSE_HINT = _(
    "Select on the left and move to the right with the arrow to grant; a double click moves "
    "one item."
)


def group_label(group: Any) -> str:
    """A role group by its role's Chinese name; another group by its own name."""
    return str(ROLE_LABELS.get(group.name, group.name))


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


class ChineseAccountsMixin:
    """Permissions and groups named in Chinese in the many-to-many choosers, with a hint in
    words instead of Django's keyboard one; related rows on the delete page in words."""

    def formfield_for_manytomany(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.name in ("permissions", "user_permissions"):
            kwargs["queryset"] = Permission.objects.exclude(
                content_type__app_label__in=UNGRANTED_APPS
            ).select_related("content_type")
        field = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]  # a mixin of ModelAdmin
        if field is None:
            return field
        if db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        elif db_field.name == "groups":
            field.label_from_instance = group_label
        own = db_field.help_text
        field.help_text = format_html("{} {}", own, CHOOSE_HINT) if own else CHOOSE_HINT
        return field

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        """Django's list of what a delete takes with it, with the rows of the user and group
        link tables named by the permission, group or user they link (Django shows
        ``Group_permissions object (71)``)."""
        try:
            first = objs[0]
        except IndexError:
            return [], {}, set(), []
        collector = NestedObjects(using=router.db_for_write(first._meta.model), origin=objs)
        collector.collect(objs)
        perms_needed: set[str] = set()
        admin_site = self.admin_site  # type: ignore[attr-defined]  # a mixin of ModelAdmin

        def shown(obj: Any) -> str | SafeString:
            words = link_row_words(obj)
            if words is not None:
                return f"{words[0]}：{words[1]}"
            opts = obj._meta
            model_admin = admin_site._registry.get(type(obj))
            if model_admin is not None and not model_admin.has_delete_permission(request, obj):
                perms_needed.add(str(opts.verbose_name))
            return f"{capfirst(opts.verbose_name)}：{object_words(obj)}"

        to_delete = collector.nested(shown)
        protected = [shown(obj) for obj in collector.protected]
        found_by_model: dict[Any, Any] = collector.model_objs
        model_count = {
            link_model_words(model) or model._meta.verbose_name_plural: len(found)
            for model, found in found_by_model.items()
        }
        return to_delete, model_count, perms_needed, protected


LINK_TABLES = {
    Group.permissions.through: _("permission of the group"),
    User.groups.through: _("group membership"),
    User.user_permissions.through: _("permission of the user"),
}


def link_model_words(model: Any) -> str | None:
    label = LINK_TABLES.get(model)
    return None if label is None else str(label)


def link_row_words(obj: Any) -> tuple[str, str] | None:
    """A row of a user or group link table in words: (what it is, what it links to)."""
    label = link_model_words(type(obj))
    if label is None:
        return None
    if type(obj) is User.groups.through:
        return label, f"{user_label(obj.user)} — {group_label(obj.group)}"
    return label, permission_label(obj.permission)


def object_words(obj: Any) -> str:
    if isinstance(obj, Group):
        return group_label(obj)
    if isinstance(obj, User):
        return user_label(obj)
    permission = getattr(obj, "permission", None)  # guardian's object permissions
    if isinstance(permission, Permission):
        return f"{permission_label(permission)}：{getattr(obj, 'content_object', '')}"
    return str(obj)


class PlainPasswordWidget(ReadOnlyPasswordHashWidget):
    """Whether a password is set, without Django's summary of the hash (``algorithm: md5``)."""

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        usable = bool(value) and not str(value).startswith(UNUSABLE_PASSWORD_PREFIX)
        label = _("A password is set.") if usable else _("No password set.")
        context["summary"] = [{"label": label}]
        return context


class CaseworkUserChangeForm(UserChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "password" in self.fields:
            self.fields["password"].widget = PlainPasswordWidget()


# Django's help text names single sign-on and LDAP, which the county does not use, and its
# warning is outside gettext (it is glued to the translated sentence as plain HTML).
PASSWORD_LOGIN_HELP = _("Whether the user can log in with a password.")
PASSWORD_LOST_WARNING = _("If disabled, the user's current password stops working.")


class CaseworkPasswordChangeForm(AdminPasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "usable_password" in self.fields:
            self.fields["usable_password"].help_text = format_html(
                '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}'
                "</li></ul>",
                PASSWORD_LOGIN_HELP,
                PASSWORD_LOST_WARNING,
            )


class CaseworkUserCreationForm(AdminUserCreationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "usable_password" in self.fields:
            self.fields["usable_password"].help_text = PASSWORD_LOGIN_HELP


class RoleFilter(admin.SimpleListFilter):
    """The user list filtered by group, groups named by their role."""

    title = _("group")
    parameter_name = "groups__id__exact"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(group.pk), group_label(group)) for group in Group.objects.order_by("name")]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(groups__id=self.value()) if self.value() else queryset


def yes_no(value: bool) -> str:
    return gettext("yes") if value else gettext("no")


class ReadOnlyAdminMixin:
    """Shown, never changed here: accounts, roles and grants change only on the product's own
    pages (系统管理), whose services record each change in the audit chain. Superusers too."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CaseworkUserAdmin(ReadOnlyAdminMixin, ChineseAccountsMixin, UserAdmin):
    # Without Django's yes/no icon columns: their text is English (alt="True").
    list_display = ("username", "last_name", "first_name", "email")
    list_filter = ("is_staff", "is_superuser", "is_active", RoleFilter)
    form = CaseworkUserChangeForm
    add_form = CaseworkUserCreationForm
    change_password_form = CaseworkPasswordChangeForm

    # Read-only, Django shows a yes/no field as an icon whose text is English (alt="True").
    FLAGS_SHOWN = {
        "is_active": "active_shown",
        "is_staff": "staff_shown",
        "is_superuser": "superuser_shown",
    }

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return [
            (
                name,
                {**options, "fields": [self.FLAGS_SHOWN.get(str(f), f) for f in options["fields"]]},
            )
            for name, options in super().get_fieldsets(request, obj)
        ]

    @admin.display(description=_("active"))
    def active_shown(self, user: User) -> str:
        return yes_no(user.is_active)

    @admin.display(description=_("staff status"))
    def staff_shown(self, user: User) -> str:
        return yes_no(user.is_staff)

    @admin.display(description=_("superuser status"))
    def superuser_shown(self, user: User) -> str:
        return yes_no(user.is_superuser)


class CaseworkGroupAdmin(ReadOnlyAdminMixin, ChineseAccountsMixin, GroupAdmin):
    """Role groups by their role's name; their name cannot be changed nor the group deleted
    here (code finds a role's group by its name). Other groups as Django has them."""

    list_display = ("shown_name",)

    @admin.display(description=_("name"), ordering="name")
    def shown_name(self, group: Group) -> str:
        return group_label(group)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.name in ROLE_LABELS:
            return ["shown_name", "permissions"]
        return super().get_fields(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.name in ROLE_LABELS:
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.name in ROLE_LABELS:
            return ["shown_name"]
        return super().get_readonly_fields(request, obj)
