"""The forms of the API access page: a personal token, a system client."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.registry.models import Site

from .models import ApiClient


class PersonalTokenForm(forms.Form):
    name = forms.CharField(
        label=_("name"), max_length=100, required=False,
        help_text=_("What the token is for, e.g. the script that uses it."),
    )  # fmt: skip
    access = forms.ChoiceField(
        label=_("access"), choices=ApiClient.Access.choices, initial=ApiClient.Access.READ
    )
    days = forms.IntegerField(label=_("valid for (days)"), min_value=1)


class SystemClientForm(PersonalTokenForm):
    site = forms.ModelChoiceField(label=_("site"), queryset=Site.objects.none())
    personal_data = forms.BooleanField(
        label=_("may read personal data whole (each read recorded)"), required=False
    )

    def __init__(self, *args: Any, sites: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["name"].help_text = _("The system that will call, e.g. 人社就业平台.")
        site_field = self.fields["site"]
        assert isinstance(site_field, forms.ModelChoiceField)  # noqa: S101 - declared above
        site_field.queryset = sites if sites is not None else Site.objects.none()
