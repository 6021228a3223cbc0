"""Forms of the training pages; they parse input, the services validate and write."""

from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.common.forms import ServiceErrorsMixin, model_choice
from casework.permissions import roles
from casework.policy.models import Code
from casework.policy.params import param
from casework.policy.selectors import code_choices
from casework.registry.models import Site

from .models import CertificateType, Course, Enrolment, Level, course_capacity_default

RESULT_CHOICES = [
    ("", "—"),
    (Enrolment.Status.PASSED, Enrolment.Status.PASSED.label),
    (Enrolment.Status.FAILED, Enrolment.Status.FAILED.label),
    (Enrolment.Status.DROPPED, Enrolment.Status.DROPPED.label),
]


class CourseForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("course name"), max_length=100)
    trade = forms.ChoiceField(label=_("trade"), choices=[])  # the trades in force today
    level = forms.ChoiceField(label=_("level"), choices=Level.choices)
    provider = forms.CharField(label=_("training provider"), max_length=100, required=False)
    site: "forms.ModelChoiceField[Site]" = forms.ModelChoiceField(label=_("site"), queryset=None)
    location = forms.CharField(label=_("location"), max_length=100, required=False)
    start_date = forms.DateField(label=_("start date"))
    end_date = forms.DateField(label=_("end date"))
    hours = forms.IntegerField(label=_("class hours"), min_value=0, max_value=2000, initial=0)
    capacity = forms.IntegerField(label=_("capacity"), min_value=1, max_value=500)
    subsidised = forms.BooleanField(label=_("subsidised"), required=False, initial=True)

    def __init__(self, *args: Any, sites: QuerySet[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["trade"]).choices = code_choices(Code.List.TRADE)
        model_choice(self, "site").queryset = sites
        self.fields["capacity"].initial = course_capacity_default()
        if sites.count() == 1:
            self.fields["site"].initial = sites.first()


class TrainerChoiceField(forms.ModelChoiceField):
    """A trainer, shown by full name (or username when there is none)."""

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class TrainerGrantForm(ServiceErrorsMixin, forms.Form):
    trainer = TrainerChoiceField(label=_("trainer"), queryset=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "trainer").queryset = (
            get_user_model()
            .objects.filter(groups__name=roles.TRAINER, is_active=True)
            .order_by("username")
        )


class AttendanceForm(ServiceErrorsMixin, forms.Form):
    """A session's date and hours; the ticks come one per trainee as ``present`` values."""

    date = forms.DateField(label=_("date"))
    hours = forms.DecimalField(label=_("hours"), min_value=0, max_value=24, decimal_places=1)

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["date"].initial = min(max(today, course.start_date), course.end_date)
        self.fields["hours"].initial = param("training.session_hours", on=today)


class ResultRowForm(forms.Form):
    """One trainee's result; a blank result leaves the trainee for later."""

    result = forms.ChoiceField(label=_("result"), choices=RESULT_CHOICES, required=False)
    certificate_type = forms.ChoiceField(
        label=_("certificate type"),
        choices=[("", "—"), *CertificateType.choices],
        required=False,
    )
    certificate_number = forms.CharField(
        label=_("certificate number"), max_length=50, required=False
    )
