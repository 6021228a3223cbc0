"""The working-day calendar under 系统管理 (``manage/calendar/``): the years it knows (a
warning when next year is missing), and the form where the administrator enters a year's
holidays and make-up working days as the State Council publishes them."""

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import generic
from viewflow.urls import AppMenuMixin, Viewset

from casework import permissions
from casework.common.requests import AuthenticatedRequest
from casework.common.views import ServiceFormView

from .models import WorkCalendarDay, WorkCalendarYear
from .services import calendar_year_set
from .workdays import years_missing

LINE = re.compile(
    r"(\d{4}-\d{1,2}-\d{1,2})(?:\s*(?:~|至|到|—|--)\s*(\d{4}-\d{1,2}-\d{1,2}))?\s*(.*)"
)


def _days(text: str) -> list[tuple[datetime.date, str]]:
    """Lines of ``2027-10-01 国庆节`` or ``2027-10-01~2027-10-07 国庆节``, each day named."""
    days: list[tuple[datetime.date, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = LINE.fullmatch(line)
        try:
            first = _date(match.group(1)) if match else None
            last = _date(match.group(2)) if match and match.group(2) else first
        except ValueError:
            first = last = None
        if match is None or first is None or last is None or last < first:
            raise forms.ValidationError(
                gettext("Line %(n)d is not a date or a range of dates: %(line)s")
                % {"n": number, "line": line}
            )
        name = match.group(3).strip()
        day = first
        while day <= last:
            days.append((day, name))
            day += datetime.timedelta(days=1)
    return days


def _date(text: str) -> datetime.date:
    year, month, day = text.split("-")
    return datetime.date(int(year), int(month), int(day))


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    holidays = forms.CharField(
        label=_("Holidays (one day or range a line)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("For example 2027-10-01~2027-10-07 国庆节. Weekends within a range are fine."),
    )
    workdays = forms.CharField(
        label=_("Make-up working days (调休上班)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("The weekends worked instead, for example 2027-10-09 国庆节."),
    )

    def clean_holidays(self) -> list[tuple[datetime.date, str]]:
        return _days(self.cleaned_data["holidays"])

    def clean_workdays(self) -> list[tuple[datetime.date, str]]:
        return _days(self.cleaned_data.get("workdays") or "")


class CalendarView(generic.TemplateView):
    request: AuthenticatedRequest
    template_name = "policy/calendar.html"
    viewset: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not permissions.may_read_policy(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        years = list(WorkCalendarYear.objects.select_related("confirmed_by").order_by("-year")[:12])
        counted = (
            WorkCalendarDay.objects.filter(day__year__in=[y.year for y in years])
            .annotate(year=ExtractYear("day"))
            .values("year")
            .annotate(
                rest=Count("pk", filter=Q(working=False)), work=Count("pk", filter=Q(working=True))
            )
        )
        counts = {row["year"]: (row["rest"], row["work"]) for row in counted}
        return super().get_context_data(
            viewset=self.viewset,
            years=[(y, *counts.get(y.year, (0, 0))) for y in years],
            missing=years_missing(timezone.localdate()),
            may_change=permissions.may_change_policy(self.request.user),
            **kwargs,
        )


class CalendarYearView(ServiceFormView):
    request: AuthenticatedRequest
    form_class = CalendarYearForm
    template_name = "policy/calendar_form.html"
    title = _("Enter a year's holidays")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not permissions.may_change_policy(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        missing = years_missing(timezone.localdate())
        return {"year": missing[0] if missing else timezone.localdate().year + 1}

    def perform(self, form: CalendarYearForm) -> WorkCalendarYear:
        data = form.cleaned_data
        return calendar_year_set(
            actor=self.request.user,
            year=data["year"],
            holidays=data["holidays"],
            workdays=data["workdays"],
        )

    def success_message(self, target: WorkCalendarYear) -> str:
        return gettext("The holidays of %(year)d are recorded.") % {"year": target.year}

    def success_url_for(self, target: Any) -> str:
        return str(self.viewset.reverse("index"))


class CalendarViewset(AppMenuMixin, Viewset):
    title = _("Working-day calendar")
    icon = "event"
    app_name = "calendar"

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return permissions.may_read_policy(user)

    @property
    def index_path(self) -> Any:
        return path("", CalendarView.as_view(viewset=self), name="index")

    @property
    def year_path(self) -> Any:
        return path("year/", CalendarYearView.as_view(viewset=self), name="year")
