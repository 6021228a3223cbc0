"""Filters of the API's lists: by site, grid, household and what changed since a moment (for
sync: ``updated_since``, an ISO 8601 date and time)."""

import datetime
from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

from casework.pairing.models import Visit
from casework.registry.models import Household, Member

MAX_ID = 2**63 - 1  # the largest id a database column holds


class IdFilter(django_filters.NumberFilter):
    """An id: a whole number the database can hold (anything else is a 400, never a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class MomentField(IsoDateTimeField):
    """An ISO 8601 date and time that exists in UTC too (``9999-12-31T23:59:59-23:59`` does not:
    a 400, not a 500 when the database is asked)."""

    def to_python(self, value: Any) -> datetime.datetime | None:
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            # In UTC: a database may take fewer offsets than Python (PostgreSQL refuses ±16:00
            # and beyond).
            return moment.astimezone(datetime.UTC)
        except OverflowError as exc:
            raise forms.ValidationError(_("This moment is out of range."), code="invalid") from exc


class SinceFilter(django_filters.IsoDateTimeFilter):
    field_class = MomentField


class HouseholdFilter(django_filters.FilterSet):
    site = IdFilter(field_name="grid__site_id")
    grid = IdFilter(field_name="grid_id")
    updated_since = SinceFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Household
        fields = ("site", "grid", "updated_since")


class MemberFilter(django_filters.FilterSet):
    household = IdFilter(field_name="household_id")
    site = IdFilter(field_name="household__grid__site_id")
    grid = IdFilter(field_name="household__grid_id")
    updated_since = SinceFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Member
        fields = ("household", "site", "grid", "updated_since")


class VisitFilter(django_filters.FilterSet):
    household = IdFilter(field_name="household_id")
    site = IdFilter(field_name="household__grid__site_id")
    grid = IdFilter(field_name="household__grid_id")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    updated_since = SinceFilter(field_name="recorded_at", lookup_expr="gte")

    class Meta:
        model = Visit
        fields = ("household", "site", "grid", "date_from", "date_to", "updated_since")
