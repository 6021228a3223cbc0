"""Forms of the monitored-household pages; they parse input, the services validate and write."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.common.forms import ServiceErrorsMixin

from .risk_models import MeasureKind, MonitoredHousehold, MonitoringKind, Risk, Route


class ChangeForm(ServiceErrorsMixin, forms.Form):
    """What identification records and a correction may change."""

    kind = forms.ChoiceField(
        label=_("monitoring category"), choices=[c for c in MonitoringKind.choices if c[0]]
    )
    risks = forms.MultipleChoiceField(
        label=_("risks (one to five)"), choices=Risk.choices, widget=forms.CheckboxSelectMultiple
    )
    no_labour_safeguard = forms.BooleanField(
        label=_("whole household without labour, safeguarded by social assistance"),
        required=False,
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class IdentifyForm(ChangeForm):
    route = forms.ChoiceField(label=_("found by"), choices=Route.choices)
    identified_on = forms.DateField(label=_("identified on (the county's decision)"))
    field_order = ["kind", "risks", "route", "identified_on", "note", "no_labour_safeguard"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["identified_on"].initial = timezone.localdate()


class MeasureForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("measure"), choices=MeasureKind.choices)
    detail = forms.CharField(label=_("detail"), max_length=200)
    responsible = forms.CharField(label=_("responsible person or unit"), max_length=60)
    started_on = forms.DateField(label=_("from"))
    ended_on = forms.DateField(label=_("until (if it has ended)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["started_on"].initial = timezone.localdate()


class IncomeForm(ServiceErrorsMixin, forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    per_capita_net_income = forms.DecimalField(
        label=_("net income per person (yuan a year)"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
    )
    wage_income = forms.DecimalField(
        label=_("household wage income (yuan a year)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class ProposeForm(ServiceErrorsMixin, forms.Form):
    elimination = forms.ChoiceField(
        label=_("elimination"),
        choices=MonitoredHousehold.Elimination.choices,
        widget=forms.RadioSelect,
        initial=MonitoredHousehold.Elimination.ASSISTED,
    )
    reason = forms.CharField(
        label=_("grounds"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
