"""The forms of a public notice's step: an objection recorded, one resolved, the notice
concluded."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PASS, WITHDRAW = "pass", "withdraw"


class ObjectionForm(forms.Form):
    objector = forms.CharField(
        label=_("raised by (a name, or 匿名)"), max_length=50,
        help_text=_("Nothing else about the person: no ID number, no phone."),
    )  # fmt: skip
    content = forms.CharField(
        label=_("objection"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    received_on = forms.DateField(
        label=_("received on"), initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip


class ResolveForm(forms.Form):
    objection = forms.IntegerField(widget=forms.HiddenInput)
    upheld = forms.TypedChoiceField(
        label=_("finding"),
        choices=[("no", _("Not upheld")), ("yes", _("Upheld"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(
        label=_("what was found and how it was resolved"), max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class ConcludeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("outcome of the public notice"),
        choices=[
            (PASS, _("The period is over and no objection stands: the notice passes")),
            (WITHDRAW, _("Withdraw: an objection was upheld, or it cannot go on")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("reason (required when withdrawing)"), max_length=300, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
