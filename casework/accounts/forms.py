"""The login form (with the lockout message), the code form and the password form."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.contrib.auth import AuthenticationForm

USERNAME_MAX_LENGTH = User._meta.get_field("username").max_length or 150


def lockout_message() -> str:
    """The message a locked-out login gets, naming how long the lockout lasts."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return _(
        "Too many failed logins: this account is locked at this address for %(minutes)s "
        "minutes. Try again later, or ask your system administrator to release it."
    ) % {"minutes": minutes}


class LoginForm(AuthenticationForm):
    """viewflow's login form; a locked-out attempt says so instead of "wrong password"."""

    def clean_username(self) -> str:
        # No username is longer than the column; a longer one typed is tried (and recorded, by
        # the audit and the lockout's own table) cut to that length.
        return str(self.cleaned_data.get("username") or "")[:USERNAME_MAX_LENGTH]

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            if getattr(self.request, "axes_locked_out", False):
                raise ValidationError(lockout_message(), code="locked_out") from None
            raise


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip().replace(" ", "")
        if not token.isdigit():
            raise ValidationError(_("The code is the six digits the app shows."))
        return token


class PasswordSetForm(SetPasswordForm):
    """Django's set-password form (two entries, the validators' help text); the service runs
    the validators again and writes."""
