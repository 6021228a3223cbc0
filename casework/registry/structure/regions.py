"""The region pages under 系统管理 (administrators only): the division codes, current and
historical.

Each page asks ``casework.permissions`` which rows the user administers (others: 404) and hands
its form to one service of ``structure.services``."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import AppMenuMixin, Viewset

from casework import permissions
from casework.common.administration import (
    AdministrationFormView,
    AdministrationListView,
    AdministrationMixin,
)
from casework.common.requests import AuthenticatedRequest

from ..models import Region
from . import services
from .forms import RegionForm


def _years(region: Region) -> str:
    if region.valid_from_year is None and region.valid_to_year is None:
        return ""
    return f"{region.valid_from_year or ''}–{region.valid_to_year or ''}"


# Regions ---------------------------------------------------------------------------------


class RegionAccess(AdministrationMixin):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not permissions.is_administrator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class RegionListView(RegionAccess, AdministrationListView):
    request: AuthenticatedRequest
    title = _("Regions")
    columns = (_("division code"), _("name"), _("level"), _("parent"), _("years in use"))
    search_fields = ("code", "name")
    add_label = _("Add a region")

    def scoped(self) -> QuerySet[Region]:
        return permissions.regions_administered(self.request.user).select_related("parent")

    def cells(self, region: Region) -> list[Any]:
        return [region.code, region.name, region.get_level_display(), region.parent, _years(region)]

    def add_url(self) -> str:
        return str(self.viewset.reverse("add"))


class RegionCreateView(RegionAccess, AdministrationFormView):
    request: AuthenticatedRequest
    form_class = RegionForm
    title = _("Add a region")

    def perform(self, form: RegionForm) -> Region:
        return services.region_create(actor=self.request.user, **form.cleaned_data)

    def success_url_for(self, target: Region) -> str:
        return str(self.viewset.reverse("index"))


class RegionEditView(RegionAccess, AdministrationFormView):
    request: AuthenticatedRequest
    form_class = RegionForm
    title = _("Edit the region")

    def get_form_kwargs(self) -> dict[str, Any]:
        region = get_object_or_404(
            permissions.regions_administered(self.request.user), pk=self.kwargs["pk"]
        )
        return {**super().get_form_kwargs(), "instance": region}

    def perform(self, form: RegionForm) -> Region:
        return services.region_update(
            actor=self.request.user, region=form.instance, **form.cleaned_data
        )

    def success_url_for(self, target: Region) -> str:
        return str(self.viewset.reverse("index"))


class RegionViewset(AppMenuMixin, Viewset):
    title = _("Regions")
    icon = "map"
    app_name = "regions"

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return permissions.is_administrator(user)

    @property
    def index_path(self) -> Any:
        return path("", RegionListView.as_view(viewset=self), name="index")

    @property
    def add_path(self) -> Any:
        return path("add/", RegionCreateView.as_view(viewset=self), name="add")

    @property
    def detail_path(self) -> Any:
        return path("<int:pk>/", RegionEditView.as_view(viewset=self), name="detail")
