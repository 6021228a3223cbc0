"""Filters of the read-only lists (cases, placements, courses, enrolments, monthly work records,
monitored households): by site, grid and household where the row has one, by its stored codes
and dates, and ``updated_since`` (an ISO 8601 date and time) where the row keeps the moment it
last changed. A filter narrows the caller's own rows; it never widens them."""

from typing import Any

import django_filters
from django.db.models import QuerySet

from casework import permissions
from casework.cases.models import Category, EmploymentCase
from casework.monitoring.models import MonitoredHousehold, MonthlyWorkRecord, NotWorkingReason
from casework.placement.models import Placement
from casework.policy.codes import LocationClass
from casework.registry.models import Household
from casework.training.models import Course, Enrolment, Level

from .filters import IdFilter, SinceFilter


class CaseFilter(django_filters.FilterSet):
    """No ``updated_since``: a case keeps no time of its last change (a state change writes
    none; ``opened_at`` and ``closed_at`` are the only moments stored)."""

    site = IdFilter(field_name="household_case__household__grid__site_id")
    grid = IdFilter(field_name="household_case__household__grid_id")
    household = IdFilter(field_name="household_case__household_id")
    member = IdFilter(field_name="member_id")
    state = django_filters.ChoiceFilter(choices=EmploymentCase.State.choices)
    category = django_filters.ChoiceFilter(choices=Category.choices)

    class Meta:
        model = EmploymentCase
        fields = ("site", "grid", "household", "member", "state", "category")


class PlacementFilter(django_filters.FilterSet):
    """No ``updated_since``: ``recorded_at`` is when the job was entered, and ending it writes no
    time of its own."""

    site = IdFilter(field_name="member__household__grid__site_id")
    grid = IdFilter(field_name="member__household__grid_id")
    household = IdFilter(field_name="member__household_id")
    member = IdFilter(field_name="member_id")
    channel = django_filters.CharFilter(field_name="channel")
    start_from = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    start_to = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")
    current = django_filters.BooleanFilter(field_name="end_date", lookup_expr="isnull")

    class Meta:
        model = Placement
        fields = (
            "site", "grid", "household", "member", "channel", "start_from", "start_to", "current",
        )  # fmt: skip


class CourseFilter(django_filters.FilterSet):
    site = IdFilter(field_name="site_id")
    trade = django_filters.CharFilter(field_name="trade")
    level = django_filters.ChoiceFilter(choices=Level.choices)
    start_from = django_filters.DateFilter(field_name="start_date", lookup_expr="gte")
    start_to = django_filters.DateFilter(field_name="start_date", lookup_expr="lte")

    class Meta:
        model = Course
        fields = ("site", "trade", "level", "start_from", "start_to")


class EnrolmentFilter(django_filters.FilterSet):
    course = IdFilter(field_name="course_id")
    member = IdFilter(field_name="member_id")
    household = IdFilter(method="of_household")
    status = django_filters.ChoiceFilter(choices=Enrolment.Status.choices)

    class Meta:
        model = Enrolment
        fields = ("course", "member", "household", "status")

    def of_household(self, queryset: QuerySet[Enrolment], name: str, value: Any) -> Any:
        """The trainees of a household the caller sees: a course's trainer, who sees the whole
        class but not its households, learns nothing of who lives where."""
        households = permissions.households_visible_to(self.request.user)
        return queryset.filter(
            member__household_id=value, member__household__in=households.values("pk")
        )


class WorkMonthFilter(django_filters.FilterSet):
    """``site`` and ``grid``: those the month was entered for (a household that moved keeps its
    earlier months where they were entered). Months are given by their first day."""

    site = IdFilter(field_name="grid__site_id")
    grid = IdFilter(field_name="grid_id")
    household = IdFilter(field_name="member__household_id")
    member = IdFilter(field_name="member_id")
    month = django_filters.DateFilter(field_name="month")
    month_from = django_filters.DateFilter(field_name="month", lookup_expr="gte")
    month_to = django_filters.DateFilter(field_name="month", lookup_expr="lte")
    working = django_filters.BooleanFilter(field_name="working")
    location_class = django_filters.ChoiceFilter(choices=LocationClass.choices)
    not_working_reason = django_filters.ChoiceFilter(choices=NotWorkingReason.choices)
    updated_since = SinceFilter(field_name="recorded_at", lookup_expr="gte")

    class Meta:
        model = MonthlyWorkRecord
        fields = (
            "site", "grid", "household", "member", "month", "month_from", "month_to", "working",
            "location_class", "not_working_reason", "updated_since",
        )  # fmt: skip


class MonitoredHouseholdFilter(django_filters.FilterSet):
    """No ``updated_since``: ``created_at`` is when the household was identified, and a change
    of status writes no time of its own."""

    site = IdFilter(field_name="household__grid__site_id")
    grid = IdFilter(field_name="household__grid_id")
    household = IdFilter(field_name="household_id")
    status = django_filters.ChoiceFilter(choices=MonitoredHousehold.Status.choices)
    kind = django_filters.ChoiceFilter(choices=[c for c in Household.Monitoring.choices if c[0]])
    identified_from = django_filters.DateFilter(field_name="identified_on", lookup_expr="gte")
    identified_to = django_filters.DateFilter(field_name="identified_on", lookup_expr="lte")

    class Meta:
        model = MonitoredHousehold
        fields = (
            "site", "grid", "household", "status", "kind", "identified_from", "identified_to",
        )  # fmt: skip
