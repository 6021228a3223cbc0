"""Filters of the API's lists: by site, grid and what changed since a moment (for sync)."""

import django_filters

from casework.registry.models import Household


class HouseholdFilter(django_filters.FilterSet):
    site = django_filters.NumberFilter(field_name="grid__site_id")
    grid = django_filters.NumberFilter(field_name="grid_id")
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Household
        fields = ("site", "grid", "updated_since")
