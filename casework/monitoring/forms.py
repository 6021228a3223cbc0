"""The form of a grid's month: one line per labour member, all sent at once."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.policy.codes import LocationClass

from .models import NotWorkingReason
from .services import WorkMonthEntry

BLANK: list[tuple[str, Any]] = [("", "—")]
WORKING = [("1", _("Working")), ("0", _("Not working"))]
TRANSPORT = [("", "—"), ("1", _("Yes")), ("0", _("No"))]


def _yes_no(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value)


class WorkMonthLineForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    # When the line's stored record was written, as the page showed it: a line saved by a
    # colleague since then is not overwritten unseen.
    stamp = forms.CharField(widget=forms.HiddenInput, required=False)
    working = forms.TypedChoiceField(label=_("working"), choices=WORKING, coerce=_yes_no)
    location_class = forms.ChoiceField(
        label=_("work location"), choices=BLANK + LocationClass.choices, required=False
    )
    channel = forms.ChoiceField(label=_("channel"), required=False)
    employer_name = forms.CharField(label=_("employer"), max_length=100, required=False)
    industry = forms.CharField(label=_("industry"), max_length=50, required=False)
    organised_transport = forms.TypedChoiceField(
        label=_("organised door-to-door transport"), choices=TRANSPORT, coerce=_yes_no,
        empty_value=None, required=False,
    )  # fmt: skip
    monthly_income = forms.DecimalField(
        label=_("monthly income (yuan)"), max_digits=9, decimal_places=2, min_value=0,
        required=False,
    )  # fmt: skip
    days_worked = forms.IntegerField(
        label=_("days worked"), min_value=0, max_value=31, required=False
    )
    not_working_reason = forms.ChoiceField(
        label=_("reason not working"), choices=BLANK + NotWorkingReason.choices, required=False
    )

    def __init__(self, *args: Any, channels: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["channel"]).choices = BLANK + channels
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", f"wm-input wm-{name}")

    def entry(self) -> WorkMonthEntry:
        data = self.cleaned_data
        return WorkMonthEntry(
            member_id=data["member"],
            working=bool(data["working"]),
            location_class=data["location_class"],
            channel=data["channel"],
            employer_name=data["employer_name"].strip(),
            industry=data["industry"].strip(),
            organised_transport=data["organised_transport"],
            monthly_income=data["monthly_income"],
            days_worked=data["days_worked"],
            not_working_reason=data["not_working_reason"],
        )


WorkMonthFormSet = forms.formset_factory(WorkMonthLineForm, extra=0, max_num=2000)


def line_initial(member_pk: int, values: dict[str, Any], stamp: str = "") -> dict[str, Any]:
    """A roster row's values as the form's initial data."""
    initial = {"member": member_pk, "stamp": stamp, **values}
    initial["working"] = "1" if values.get("working") else "0"
    transport = values.get("organised_transport")
    initial["organised_transport"] = "" if transport is None else ("1" if transport else "0")
    return initial
