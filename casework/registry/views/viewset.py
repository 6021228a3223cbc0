"""The households viewset: the registry's own pages. Pages of other apps about households
(ledgers, case files) are added to it in ``casework/urls.py``."""

from typing import Any

from django.http import HttpRequest
from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import DetailViewMixin, ModelViewset
from viewflow.utils import Icon
from viewflow.views import Action

from casework import permissions
from casework.registry.models import Household

from .call import HouseholdCallView
from .history import HouseholdHistoryView
from .households import (
    HouseholdDetailView,
    HouseholdFilter,
    HouseholdListExportConfirmView,
    HouseholdListExportView,
    HouseholdListView,
    HouseholdUpdateView,
)
from .lookup import DocumentLookupView
from .members import (
    HeadChangeView,
    HouseholdSplitView,
    MemberAddView,
    MemberLeaveView,
    MemberUpdateView,
)
from .register import HouseholdCreateView


class HouseholdViewset(DetailViewMixin, ModelViewset):
    """Households: list, detail, register, edit, members, lookup by document."""

    model = Household
    title = _("Households")
    icon = "home"
    list_view_class = HouseholdListView
    list_columns = (
        "number",
        "head",
        "head_document",
        "residence",
        "colour",
        "members",
        "phone_masked",
    )
    list_object_link_columns = ("number",)
    list_filterset_class = HouseholdFilter

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        if obj is not None:
            return permissions.can(user, "view", obj)
        return user.is_authenticated and user.has_perm("registry.view_household")

    def has_change_permission(self, user: Any, obj: Any = None) -> bool:
        if obj is not None:
            return permissions.can(user, "change", obj)
        return False

    def has_add_permission(self, user: Any) -> bool:
        return permissions.may_register_households(user)

    def get_queryset(self, request: HttpRequest) -> Any:
        return permissions.households_visible_to(request.user)

    def get_object_url(self, request: HttpRequest, obj: Household) -> str:
        return self.reverse("detail", args=[obj.pk])

    def get_list_page_actions(self, request: HttpRequest, *actions: Action) -> tuple:
        lookup = Action(
            name=_("Find by document or phone number"),
            url=self.reverse("lookup"),
            icon=Icon("search", class_="material-icons mdc-list-item__graphic"),
        )
        # The entries open pages that ask first (a GET never exports: viewflow's menu visits
        # a link with Turbo, which fetches it twice when it is a file); they carry the list's
        # current filters and search (the page's query string) to the form that POSTs them.
        query = request.GET.urlencode()
        query = f"?{query}" if query else ""
        exports = [
            Action(
                name=_("Export this list (Excel)"),
                url=self.reverse("list_export") + query,
                icon=Icon("table_view", class_="material-icons mdc-list-item__graphic"),
            )
        ]
        if permissions.may_unmask_exports(request.user):
            exports.append(
                Action(
                    name=_("Export this list with full ID numbers"),
                    url=self.reverse("list_export_full") + query,
                    icon=Icon("lock_open", class_="material-icons mdc-list-item__graphic"),
                )
            )
        return super().get_list_page_actions(request, *exports, *actions, lookup)

    @property
    def create_path(self) -> Any:
        return path("add/", HouseholdCreateView.as_view(viewset=self), name="add")

    @property
    def detail_path(self) -> Any:
        return path("<int:pk>/", HouseholdDetailView.as_view(viewset=self), name="detail")

    @property
    def update_path(self) -> Any:
        return path("<int:pk>/change/", HouseholdUpdateView.as_view(viewset=self), name="change")

    @property
    def member_add_path(self) -> Any:
        return path("<int:pk>/members/add/", MemberAddView.as_view(viewset=self), name="member_add")

    @property
    def member_change_path(self) -> Any:
        return path(
            "<int:pk>/members/<int:member_pk>/change/",
            MemberUpdateView.as_view(viewset=self),
            name="member_change",
        )

    @property
    def member_leave_path(self) -> Any:
        return path(
            "<int:pk>/members/<int:member_pk>/leave/",
            MemberLeaveView.as_view(viewset=self),
            name="member_leave",
        )

    @property
    def head_change_path(self) -> Any:
        return path("<int:pk>/head/", HeadChangeView.as_view(viewset=self), name="head_change")

    @property
    def split_path(self) -> Any:
        return path("<int:pk>/split/", HouseholdSplitView.as_view(viewset=self), name="split")

    @property
    def call_path(self) -> Any:
        return path("<int:pk>/call/", HouseholdCallView.as_view(viewset=self), name="call")

    @property
    def history_path(self) -> Any:
        return path("<int:pk>/history/", HouseholdHistoryView.as_view(viewset=self), name="history")

    @property
    def list_export_path(self) -> Any:
        return path("export/", HouseholdListExportView.as_view(viewset=self), name="list_export")

    @property
    def list_export_full_path(self) -> Any:
        return path(
            "export/full/",
            HouseholdListExportConfirmView.as_view(viewset=self),
            name="list_export_full",
        )

    @property
    def lookup_path(self) -> Any:
        return path("lookup/", DocumentLookupView.as_view(viewset=self), name="lookup")
