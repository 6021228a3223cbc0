"""Forms of the pairing pages; the services validate and write."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.common.forms import ServiceErrorsMixin, model_choice
from casework.permissions import roles

from .models import Pairing, ServiceRequest, Visit
from .services import RequestDraft

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _yes(value: str) -> bool:
    return value == "yes"


class VisitForm(ServiceErrorsMixin, forms.Form):
    """A visit in one short form that works on a phone."""

    date = forms.DateField(
        label=_("date of the visit"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    mode = forms.ChoiceField(
        label=_("visit mode"), choices=Visit.Mode.choices, widget=forms.RadioSelect
    )
    thinking_stable = forms.TypedChoiceField(
        label=_("Is their thinking stable?"), choices=YES_NO, coerce=_yes, widget=forms.RadioSelect
    )
    policy_understood = forms.TypedChoiceField(
        label=_("Do they understand the policies?"), choices=YES_NO, coerce=_yes,
        widget=forms.RadioSelect,
    )  # fmt: skip
    life_happy = forms.TypedChoiceField(
        label=_("Is their life going well?"), choices=YES_NO, coerce=_yes, widget=forms.RadioSelect
    )
    industry_developing = forms.TypedChoiceField(
        label=_("Is their livelihood developing?"), choices=YES_NO, coerce=_yes,
        widget=forms.RadioSelect,
    )  # fmt: skip
    problems_solved = forms.TypedChoiceField(
        label=_("Are their problems solved?"), choices=YES_NO, coerce=_yes, widget=forms.RadioSelect
    )
    raised = forms.CharField(label=_("what was raised"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    done = forms.CharField(label=_("what was done"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    next_step = forms.CharField(label=_("next step"), required=False, max_length=1000,
                                widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    concern = forms.BooleanField(label=_("Pass a concern on to the caseworker"), required=False)
    concern_kind = forms.ChoiceField(
        label=_("kind of request"), choices=ServiceRequest.Kind.choices, required=False
    )
    matter = forms.CharField(label=_("the matter"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    promised_date = forms.DateField(
        label=_("promised by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()

    def visit_arguments(self) -> dict[str, Any]:
        """The keyword arguments of ``services.visit_record`` (a concern as ``request``)."""
        data = dict(self.cleaned_data)
        concern = {name: data.pop(name) for name in ("concern_kind", "matter", "promised_date")}
        data["request"] = (
            RequestDraft(
                matter=concern["matter"],
                kind=concern["concern_kind"] or ServiceRequest.Kind.HANDLE,
                promised_date=concern["promised_date"],
            )
            if data.pop("concern")
            else None
        )
        return data


class HelperChoiceField(forms.ModelChoiceField):
    """A helper, by full name (or user name when there is none)."""

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class PairingForm(ServiceErrorsMixin, forms.Form):
    helper = HelperChoiceField(label=_("helper"), queryset=None)
    kind = forms.ChoiceField(label=_("pairing type"), choices=Pairing.Kind.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "helper").queryset = (
            get_user_model()
            .objects.filter(groups__name=roles.HELPER, is_active=True)
            .order_by("username")
        )


class PairingEndForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("reason for ending"), max_length=200)
