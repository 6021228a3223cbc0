"""The grid pages under 系统管理: a grid's code, name and leader, and its caseworkers (given
and taken back), for administrators and the managers of its site.

Each page asks ``casework.permissions`` which rows the user administers (others: 404) and hands
its form to one service of ``structure.services``."""

from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import AppMenuMixin, Viewset

from casework import permissions
from casework.common.administration import (
    AdministrationActionView,
    AdministrationFormView,
    AdministrationListView,
    form_errors_raise,
)
from casework.permissions.roles import CASEWORKER

from ..models import BuildingLeader, Grid, Site
from . import services
from .forms import AccountChoiceForm, BuildingLeaderForm, GridForm, account_posted
from .sites import grid_workers, site_managers_granted

# Grids -----------------------------------------------------------------------------------


class GridListView(AdministrationListView):
    title = _("Grids")
    columns = (
        _("grid"),
        _("resettlement site"),
        _("grid code"),
        _("grid leader"),
        _("caseworkers"),
    )
    search_fields = ("code", "name", "site__name")
    add_label = _("Add a grid")

    def scoped(self) -> QuerySet[Grid]:
        return (
            permissions.grids_administered(self.request.user)
            .select_related("site", "leader")
            .order_by("site__code", "code")
        )

    def paginate_queryset(self, queryset: Any, page_size: int) -> Any:
        """The page, and the caseworkers of its grids in one query (``cells`` reads them)."""
        paginated = super().paginate_queryset(queryset, page_size)
        self.workers = permissions.users_holding_each(permissions.WORK_GRID, list(paginated[2]))
        return paginated

    def cells(self, grid: Grid) -> list[Any]:
        workers = "、".join(
            str(person.get_full_name() or person.get_username())
            for person in self.workers.get(grid.pk, [])
        )
        leader = grid.leader.get_full_name() or grid.leader.get_username() if grid.leader else ""
        return [grid.name, grid.site.name, grid.code, leader, workers]

    def add_url(self) -> str:
        return str(self.viewset.reverse("add"))


def _leaders(actor: Any, site: Site | None = None) -> QuerySet[User]:
    """Who may lead a grid: the active accounts the actor administers, and the site's managers."""
    managers = (
        site_managers_granted(site).values("pk") if site else User.objects.none().values("pk")
    )
    return (
        User.objects.filter(
            Q(pk__in=permissions.users_administered(actor).values("pk")) | Q(pk__in=managers),
            is_active=True,
        )
        .distinct()
        .order_by("username")
    )


class GridCreateView(AdministrationFormView):
    form_class = GridForm
    title = _("Add a grid")

    def get_form_kwargs(self) -> dict[str, Any]:
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "sites": permissions.sites_administered(user),
            "leaders": _leaders(user),
        }

    def get_initial(self) -> dict[str, Any]:
        return {"site": self.request.GET.get("site")}

    def perform(self, form: GridForm) -> Grid:
        return services.grid_create(actor=self.request.user, **form.cleaned_data)

    def success_url_for(self, target: Grid) -> str:
        return str(self.viewset.reverse("detail", args=[target.pk]))


class GridDetailView(AdministrationFormView):
    """A grid: its code, name and leader (the form), and its caseworkers (grant, revoke)."""

    form_class = GridForm
    template_name = "manage/grid_detail.html"

    def get_grid(self) -> Grid:
        return get_object_or_404(
            permissions.grids_administered(self.request.user).select_related("site"),
            pk=self.kwargs["pk"],
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        grid = self.get_grid()
        user = self.request.user
        return {
            **super().get_form_kwargs(),
            "instance": grid,
            "sites": permissions.sites_administered(user),
            "leaders": _leaders(user, grid.site),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        grid = self.get_grid()
        workers = grid_workers(grid)
        candidates = (
            permissions.users_administered(self.request.user)
            .filter(is_active=True, groups__name=CASEWORKER)
            .exclude(pk__in=workers.values("pk"))
        )
        return super().get_context_data(
            grid=grid,
            title=f"{grid.site.name} · {grid.name}",
            workers=workers,
            worker_form=AccountChoiceForm(accounts=candidates),
            building_leaders=grid.building_leaders.all(),
            leader_form=BuildingLeaderForm(prefix="leader"),
            **kwargs,
        )

    def perform(self, form: GridForm) -> Grid:
        return services.grid_update(
            actor=self.request.user, grid=self.get_grid(), **form.cleaned_data
        )

    def success_url_for(self, target: Grid) -> str:
        return self.request.path


class GridWorkerGrantView(AdministrationActionView):
    def perform(self) -> None:
        grid = get_object_or_404(
            permissions.grids_administered(self.request.user), pk=self.kwargs["pk"]
        )
        services.jurisdiction_grant_grid(
            actor=self.request.user, user=account_posted(self.request), grid=grid
        )


class GridWorkerRevokeView(AdministrationActionView):
    def perform(self) -> None:
        grid = get_object_or_404(
            permissions.grids_administered(self.request.user), pk=self.kwargs["pk"]
        )
        account = get_object_or_404(grid_workers(grid), pk=self.kwargs["user_pk"])
        services.jurisdiction_revoke_grid(actor=self.request.user, user=account, grid=grid)


class BuildingLeaderSetView(AdministrationActionView):
    def perform(self) -> None:
        grid = get_object_or_404(
            permissions.grids_administered(self.request.user), pk=self.kwargs["pk"]
        )
        form = BuildingLeaderForm(self.request.POST, prefix="leader")
        if not form.is_valid():
            form_errors_raise(form)
        services.building_leader_set(actor=self.request.user, grid=grid, **form.cleaned_data)


class BuildingLeaderRemoveView(AdministrationActionView):
    def perform(self) -> None:
        leader = get_object_or_404(
            BuildingLeader.objects.filter(
                grid__in=permissions.grids_administered(self.request.user).values("pk")
            ),
            pk=self.kwargs["leader_pk"],
            grid_id=self.kwargs["pk"],
        )
        services.building_leader_remove(actor=self.request.user, leader=leader)


class GridViewset(AppMenuMixin, Viewset):
    title = _("Grids")
    icon = "grid_view"
    app_name = "grids"

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return permissions.may_administer(user)

    @property
    def index_path(self) -> Any:
        return path("", GridListView.as_view(viewset=self), name="index")

    @property
    def add_path(self) -> Any:
        return path("add/", GridCreateView.as_view(viewset=self), name="add")

    @property
    def detail_path(self) -> Any:
        return path("<int:pk>/", GridDetailView.as_view(viewset=self), name="detail")

    @property
    def worker_grant_path(self) -> Any:
        view = GridWorkerGrantView.as_view(viewset=self)
        return path("<int:pk>/workers/add/", view, name="worker_grant")

    @property
    def worker_revoke_path(self) -> Any:
        view = GridWorkerRevokeView.as_view(viewset=self)
        return path("<int:pk>/workers/<int:user_pk>/revoke/", view, name="worker_revoke")

    @property
    def building_leader_set_path(self) -> Any:
        view = BuildingLeaderSetView.as_view(viewset=self)
        return path("<int:pk>/leaders/add/", view, name="building_leader_set")

    @property
    def building_leader_remove_path(self) -> Any:
        view = BuildingLeaderRemoveView.as_view(viewset=self)
        return path("<int:pk>/leaders/<int:leader_pk>/remove/", view, name="building_leader_remove")
