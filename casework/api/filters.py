"""Filters of the API's lists: by site, grid, household and what changed since a moment (for
sync: ``updated_since``, an ISO 8601 date and time)."""

import django_filters

from casework.pairing.models import Visit
from casework.registry.models import Household, Member


class HouseholdFilter(django_filters.FilterSet):
    site = django_filters.NumberFilter(field_name="grid__site_id")
    grid = django_filters.NumberFilter(field_name="grid_id")
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Household
        fields = ("site", "grid", "updated_since")


class MemberFilter(django_filters.FilterSet):
    household = django_filters.NumberFilter(field_name="household_id")
    site = django_filters.NumberFilter(field_name="household__grid__site_id")
    grid = django_filters.NumberFilter(field_name="household__grid_id")
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Member
        fields = ("household", "site", "grid", "updated_since")


class VisitFilter(django_filters.FilterSet):
    household = django_filters.NumberFilter(field_name="household_id")
    site = django_filters.NumberFilter(field_name="household__grid__site_id")
    grid = django_filters.NumberFilter(field_name="household__grid_id")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    updated_since = django_filters.IsoDateTimeFilter(field_name="recorded_at", lookup_expr="gte")

    class Meta:
        model = Visit
        fields = ("household", "site", "grid", "date_from", "date_to", "updated_since")
