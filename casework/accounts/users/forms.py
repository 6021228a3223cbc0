"""The forms of the account pages: a new account, its name, its roles. They never save: the
view hands ``cleaned_data`` to one service (``users.services``)."""

from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casework.common.forms import ServiceErrorsMixin
from casework.permissions.roles import ROLE_LABELS

USERNAME_HELP = _("Letters, digits and @/./+/-/_ only; used to log in.")


def role_choices(roles: list[str]) -> list[tuple[str, Any]]:
    return [(role, ROLE_LABELS[role]) for role in roles]


class RolesForm(ServiceErrorsMixin, forms.Form):
    """One tick box per role the actor may give (``role_<code>``)."""

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for role, label in role_choices(roles):
            self.fields[f"role_{role}"] = forms.BooleanField(label=label, required=False)

    def role_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("role_")]

    def chosen_roles(self) -> list[str]:
        return [
            name.removeprefix("role_")
            for name, value in self.cleaned_data.items()
            if name.startswith("role_") and value
        ]


class AccountForm(ServiceErrorsMixin, forms.Form):
    """A person's full name and (optional) e-mail address."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"), required=False)


class UserCreateForm(AccountForm, RolesForm):
    """A new account: login, name, roles and the first password (typed twice)."""

    field_order = ["username", "full_name", "email", "password1", "password2"]
    username = forms.CharField(label=_("Username"), max_length=150, help_text=USERNAME_HELP)
    password1 = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=" ".join(password_validators_help_texts()),
    )
    password2 = forms.CharField(
        label=_("Initial password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    service_field_map = {"password": "password1"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", ValidationError(_("The two passwords differ.")))
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "username": data["username"],
            "full_name": data["full_name"],
            "email": data["email"],
            "roles": self.chosen_roles(),
            "password": data["password1"],
        }
