"""Forms of the pairing pages; the services validate and write."""

from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import permissions
from casework.common.forms import ServiceErrorsMixin, model_choice
from casework.registry.models import Household

from .models import ServiceRequest, Visit
from .services import RequestDraft
from .types import pairing_types

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


class PairingEndForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("reason for ending"), max_length=200)


class HouseholdNumberField(forms.CharField):
    """A household typed by its number (户编号), not picked from a list: a city holds hundreds of
    thousands. ``clean`` resolves the number within ``queryset`` (the actor's scope, set per
    request) with one query; an unknown number and one out of reach get the same message."""

    default_error_messages = {
        "unknown": _("No household with this number is within your reach."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"autocomplete": "off", "placeholder": "A1-0001"})
        )
        super().__init__(**kwargs)
        self.queryset: QuerySet[Household] = Household.objects.none()

    def clean(self, value: Any) -> Household | None:
        number = super().clean(value)
        if not number:
            return None
        household = self.queryset.filter(number=number).first()
        if household is None:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        return household


def _number_field(form: forms.BaseForm, name: str) -> HouseholdNumberField:
    return cast(HouseholdNumberField, form.fields[name])


def type_choices() -> list[tuple[str, str]]:
    """The pairing types with their bounds: "党员中心户（10–15 户）"."""
    return [
        (
            kind.code,
            _("%(label)s (%(min)s–%(max)s households)")
            % {"label": kind.label, "min": kind.minimum, "max": kind.maximum}
            if kind.minimum
            else _("%(label)s (up to %(max)s households)")
            % {"label": kind.label, "max": kind.maximum},
        )
        for kind in pairing_types()
    ]


class PairForm(ServiceErrorsMixin, forms.Form):
    """Pair a household with a helper: a staff helper, or for the household types a household
    of the same site."""

    household = HouseholdNumberField(label=_("household number"))
    kind = forms.ChoiceField(label=_("pairing type"))
    helper = HelperChoiceField(label=_("helper"), queryset=None, required=False)
    helper_household = HouseholdNumberField(
        label=_("helper household number"), required=False,
        help_text=_("For 党员中心户 and 能人大户带贫: the number of the household that helps."),
    )  # fmt: skip

    def __init__(self, *args: Any, actor: User, household: Household | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = type_choices()  # type: ignore[attr-defined]  # a ChoiceField
        households = permissions.households_pairable_by(actor).select_related("grid__site")
        _number_field(self, "household").queryset = households
        model_choice(self, "helper").queryset = permissions.helpers_pairable(actor, household)
        _number_field(self, "helper_household").queryset = households
        if household is not None:
            del self.fields["household"]
            _number_field(self, "helper_household").queryset = households.filter(
                grid__site_id=household.grid.site_id
            ).exclude(pk=household.pk)


class HandoverForm(ServiceErrorsMixin, forms.Form):
    """Hand one household, or all of a helper's, to another helper of the same kind."""

    helper = HelperChoiceField(label=_("new helper"), queryset=None, required=False)
    helper_household = HouseholdNumberField(label=_("new helper household number"), required=False)

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "helper").queryset = permissions.helpers_pairable(actor)
        _number_field(self, "helper_household").queryset = permissions.households_pairable_by(
            actor
        ).select_related("grid__site")

    def new_helper(self) -> "User | Household | None":
        return self.cleaned_data.get("helper_household") or self.cleaned_data.get("helper")
