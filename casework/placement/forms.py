"""Forms of the job-menu and post pages; the services validate and write."""

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from casework.common.forms import ServiceErrorsMixin, model_choice
from casework.policy.codes import LocationClass
from casework.policy.models import Code
from casework.policy.selectors import code_choices
from casework.posts.models import PostType, post_term_months_default
from casework.registry.models import Site

from .models import Employer, vacancy_age_max_default, vacancy_age_min_default


class EmployerForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("employer"), max_length=100)
    kind = forms.ChoiceField(label=_("employer type"), choices=Employer.Kind.choices)
    credit_code = forms.CharField(
        label=_("unified social credit code"), max_length=18, required=False
    )
    site: "forms.ModelChoiceField[Site]" = forms.ModelChoiceField(label=_("site"), queryset=None)
    location_class = forms.ChoiceField(label=_("work location"), choices=LocationClass.choices)
    place = forms.CharField(label=_("place of work"), max_length=100, required=False)
    industry = forms.CharField(label=_("industry"), max_length=50, required=False)
    contact_name = forms.CharField(label=_("contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("contact phone"), max_length=20, required=False)

    def __init__(self, *args: Any, sites: QuerySet[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "site").queryset = sites
        if sites.count() == 1:
            self.fields["site"].initial = sites.first()


class VacancyForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("job"), max_length=100)
    trade = forms.ChoiceField(label=_("trade"), choices=[])  # the trades in force today
    headcount = forms.IntegerField(label=_("headcount"), min_value=1, max_value=1000)
    wage_min = forms.DecimalField(label=_("monthly wage from"), min_value=0, decimal_places=2)
    wage_max = forms.DecimalField(label=_("monthly wage to"), min_value=0, decimal_places=2)
    location_class = forms.ChoiceField(label=_("work location"), choices=LocationClass.choices)
    # The policy's bounds (``vacancy.age_lowest``/``age_highest``) are checked by the service.
    age_min = forms.IntegerField(label=_("minimum age"), min_value=0, max_value=120)
    age_max = forms.IntegerField(label=_("maximum age"), min_value=0, max_value=120)
    required_certificate_trade = forms.BooleanField(
        label=_("needs a certificate in the trade"), required=False
    )
    valid_from = forms.DateField(label=_("valid from"))
    valid_to = forms.DateField(label=_("valid to"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["trade"]).choices = code_choices(Code.List.TRADE)
        self.fields["age_min"].initial = vacancy_age_min_default()
        self.fields["age_max"].initial = vacancy_age_max_default()


class WelfarePostForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("post"), max_length=100)
    kind = forms.ChoiceField(label=_("post type"), choices=PostType.choices)
    site: "forms.ModelChoiceField[Site]" = forms.ModelChoiceField(label=_("site"), queryset=None)
    quota = forms.IntegerField(label=_("quota"), min_value=1, max_value=1000)
    monthly_subsidy = forms.DecimalField(
        label=_("monthly subsidy (yuan)"), min_value=0, decimal_places=2
    )
    # The longest term (``posts.term_months_max``) is checked by the service.
    term_months = forms.IntegerField(label=_("term (months)"), min_value=1, max_value=1200)
    extended_age = forms.BooleanField(
        label=_("open to healthy people up to the extended age limit"), required=False
    )

    def __init__(self, *args: Any, sites: QuerySet[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "site").queryset = sites
        self.fields["term_months"].initial = post_term_months_default()
