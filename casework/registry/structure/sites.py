"""The site pages under 系统管理: administrators create sites, a manager edits their own; an
administrator names a site's managers.

Each page asks ``casework.permissions`` which rows the user administers (others: 404) and hands
its form to one service of ``structure.services``."""

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import AppMenuMixin, Viewset

from casework import permissions
from casework.common.administration import (
    AdministrationActionView,
    AdministrationFormView,
    AdministrationListView,
)
from casework.permissions.roles import MANAGER

from ..models import Grid, Site
from . import services
from .forms import AccountChoiceForm, SiteForm, account_posted


def grid_workers(grid: Grid) -> QuerySet[User]:
    """The accounts that hold ``work_grid`` on the grid themselves."""
    return permissions.users_holding(permissions.WORK_GRID, grid)


def site_managers_granted(site: Site) -> QuerySet[User]:
    """The accounts that hold ``manage_site`` on the site themselves."""
    return permissions.users_holding(permissions.MANAGE_SITE, site)


# Sites -----------------------------------------------------------------------------------


class SiteListView(AdministrationListView):
    title = _("Resettlement sites")
    columns = (_("site code"), _("name"), _("county"), _("township"), _("grids"))
    search_fields = ("code", "name")
    add_label = _("Add a site")

    def scoped(self) -> QuerySet[Site]:
        return (
            permissions.sites_administered(self.request.user)
            .select_related("county")
            .annotate(grid_count=Count("grids"))
            .order_by("code")
        )

    def cells(self, site: Any) -> list[Any]:
        return [site.code, site.name, site.county, site.township, site.grid_count]

    def add_url(self) -> str:
        return (
            str(self.viewset.reverse("add"))
            if permissions.may_create_sites(self.request.user)
            else ""
        )


class SiteCreateView(AdministrationFormView):
    form_class = SiteForm
    title = _("Add a site")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not permissions.may_create_sites(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form: SiteForm) -> Site:
        return services.site_create(actor=self.request.user, **form.cleaned_data)

    def success_url_for(self, target: Site) -> str:
        return str(self.viewset.reverse("detail", args=[target.pk]))


class SiteDetailView(AdministrationFormView):
    """A site: its details (the form), its grids and its managers."""

    form_class = SiteForm
    template_name = "manage/site_detail.html"

    def get_site(self) -> Site:
        return get_object_or_404(
            permissions.sites_administered(self.request.user), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.get_site()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        site = self.get_site()
        context: dict[str, Any] = {
            "site_obj": site,
            "title": site.name,
            "grids": site.grids.select_related("leader").order_by("code"),
            "managers": site_managers_granted(site),
            "may_grant_site": permissions.is_administrator(self.request.user),
        }
        if context["may_grant_site"]:
            candidates = permissions.users_administered(self.request.user).filter(
                is_active=True, groups__name=MANAGER
            )
            context["manager_form"] = AccountChoiceForm(
                accounts=candidates.exclude(pk__in=context["managers"].values("pk"))
            )
        return super().get_context_data(**context, **kwargs)

    def perform(self, form: SiteForm) -> Site:
        return services.site_update(
            actor=self.request.user, site=self.get_site(), **form.cleaned_data
        )

    def success_url_for(self, target: Site) -> str:
        return self.request.path


class SiteManagerGrantView(AdministrationActionView):
    def perform(self) -> None:
        site = get_object_or_404(
            permissions.sites_administered(self.request.user), pk=self.kwargs["pk"]
        )
        services.jurisdiction_grant_site(
            actor=self.request.user, user=account_posted(self.request), site=site
        )


class SiteManagerRevokeView(AdministrationActionView):
    def perform(self) -> None:
        site = get_object_or_404(
            permissions.sites_administered(self.request.user), pk=self.kwargs["pk"]
        )
        account = get_object_or_404(site_managers_granted(site), pk=self.kwargs["user_pk"])
        services.jurisdiction_revoke_site(actor=self.request.user, user=account, site=site)


class SiteViewset(AppMenuMixin, Viewset):
    title = _("Resettlement sites")
    icon = "apartment"
    app_name = "sites"

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return permissions.may_administer(user)

    @property
    def index_path(self) -> Any:
        return path("", SiteListView.as_view(viewset=self), name="index")

    @property
    def add_path(self) -> Any:
        return path("add/", SiteCreateView.as_view(viewset=self), name="add")

    @property
    def detail_path(self) -> Any:
        return path("<int:pk>/", SiteDetailView.as_view(viewset=self), name="detail")

    @property
    def manager_grant_path(self) -> Any:
        view = SiteManagerGrantView.as_view(viewset=self)
        return path("<int:pk>/managers/add/", view, name="manager_grant")

    @property
    def manager_revoke_path(self) -> Any:
        view = SiteManagerRevokeView.as_view(viewset=self)
        return path("<int:pk>/managers/<int:user_pk>/revoke/", view, name="manager_revoke")
