"""Households: the list, editing one and its page (with the personal-data reveal); registering
one is ``register.py``."""

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import django_filters
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import generic
from viewflow.utils import viewprop
from viewflow.views import ListModelView

from casework import permissions
from casework.common.cells import list_cell
from casework.common.downloads import download_confirm, download_name, file_attachment
from casework.common.paging import BoundedPaginator, FewFirstPaginator
from casework.common.requests import AuthenticatedRequest
from casework.common.xlsx import XLSX
from casework.registry import selectors, services
from casework.registry.forms import HouseholdForm
from casework.registry.list_export import LIST_TITLE
from casework.registry.models import Household
from casework.registry.validators import mask_document_number, mask_phone

from .base import RegistryFormView

if TYPE_CHECKING:
    from casework.registry.selectors import ListedHousehold


class HouseholdFilter(django_filters.FilterSet):
    """Filters by site, grid and three-colour label; choices are limited to the user's own."""

    site = django_filters.ModelChoiceFilter(label=_("site"), field_name="grid__site", queryset=None)
    grid = django_filters.ModelChoiceFilter(label=_("grid"), queryset=None)
    colour = django_filters.ChoiceFilter(
        label=_("three-colour label"), choices=Household.Colour.choices
    )

    class Meta:
        model = Household
        fields = ["site", "grid", "colour"]

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, request=request, **kwargs)
        # A choice's label is its name: the rest of the row is not read (a county's 90 grids
        # and 45 sites, on every list page and search).
        self.filters["site"].queryset = permissions.sites_visible_to(request.user).only("name")
        self.filters["grid"].queryset = permissions.grids_visible_to(request.user).only("name")


SEARCH_PARAM = "_search"


def household_list_params(data: QueryDict) -> dict[str, str]:
    """The list's search and filters as given in ``data`` (the page's query string, or the
    export form's hidden fields), nothing else."""
    names = (SEARCH_PARAM, *HouseholdFilter.base_filters)
    return {name: str(value) for name in names if (value := data.get(name))}


def household_list_filtered(
    request: AuthenticatedRequest, params: dict[str, str]
) -> tuple[Any, dict[str, Any]]:
    """The list page's rows for ``params`` (its search and ``HouseholdFilter``, strict as the
    page is) without paging, and the filters as given, for the Excel export."""
    search = (params.get(SEARCH_PARAM) or "").strip()
    households = selectors.household_list(user=request.user, search=search)
    filters = {name: value for name, value in params.items() if name != SEARCH_PARAM}
    filterset = HouseholdFilter(filters or None, queryset=households, request=request)
    if filterset.is_bound and not filterset.is_valid():
        households = households.none()
    elif filterset.is_bound:
        households = filterset.qs
    given = dict(filters)
    if search:
        given["search"] = search
    return households, given


def _cell(kind: str, content: str | None, label: Any = None) -> str:
    """A household list's cell, in the task lists' phone layout."""
    return list_cell(kind, content, label, family="hh")


class HouseholdListView(ListModelView):
    """The registry list: only households visible to the user, with masked head data."""

    search_fields = ()  # enables the search box; the selector does the matching
    paginate_by = 25
    # A superuser's unsearched list is a city's register: counted up to 10,000, then "more than".
    paginator_class = BoundedPaginator

    @viewprop
    def queryset(self) -> Any:
        return selectors.household_list(user=self.request.user, search=self.get_search_term())

    def is_strict_filter(self) -> bool:
        # A grid or site outside the jurisdiction (an invalid choice) matches nothing, rather
        # than silently dropping the filter.
        return self.filterset is not None and self.filterset.is_bound

    def get_search_term(self) -> str:
        return (self.request.GET.get("_search") or "").strip()

    def get_paginator(self, queryset: Any, per_page: int, *args: Any, **kwargs: Any) -> Any:
        """A search's few matches are found once, for their count and their page together;
        the page's rows are then read by key from the list without the search."""
        if self.get_search_term():
            rows = selectors.household_list(user=self.request.user)
            return FewFirstPaginator(queryset, per_page, *args, rows=rows, **kwargs)
        return super().get_paginator(queryset, per_page, *args, **kwargs)

    # Each cell is marked for the phone layout (casework.css, as the task lists are): on a
    # phone a row is a card, the number and label on its first line, every other cell whole
    # under its label; on a desktop the labels are hidden and the table is as before.
    @admin.display(description=_("household number"))
    def number(self, household: Household) -> str:
        return _cell("number", household.number)

    number.orderby_column = "number"  # type: ignore[attr-defined]  # viewflow's sort key

    @admin.display(description=_("head of household"))
    def head(self, household: "ListedHousehold") -> str:
        return _cell("head", household.head_name, _("head of household"))

    @admin.display(description=_("head's document number"))
    def head_document(self, household: "ListedHousehold") -> str:
        number = mask_document_number(household.head_document_number or "")
        return _cell("document", number, _("head's document number"))

    @admin.display(description=_("residence"))
    def residence(self, household: Household) -> str:
        text = f"{household.grid.site} · {household.grid} {household.address}"
        return _cell("residence", text, _("residence"))

    @admin.display(description=_("three-colour label"))
    def colour(self, household: Household) -> str:
        # A monitored household (防返贫监测) is marked here, with its category.
        text = household.get_colour_display()
        if household.monitoring:
            text = f"{text} · {household.get_monitoring_display()}"
        return _cell("colour", text)

    colour.orderby_column = "colour"  # type: ignore[attr-defined]  # viewflow's sort key

    @admin.display(description=_("members / labour"))
    def members(self, household: "ListedHousehold") -> str:
        text = f"{household.member_count} / {household.labour_count}"
        return _cell("members", text, _("members / labour"))

    @admin.display(description=_("household phone"))
    def phone_masked(self, household: Household) -> str:
        return _cell("phone", mask_phone(household.phone), _("household phone"))


class HouseholdUpdateView(RegistryFormView):
    form_class = HouseholdForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.household = permissions.get_household_for_user(request.user, kwargs["pk"], "change")
        self.title = gettext("Edit household %(number)s") % {"number": self.household.number}
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "grids": permissions.grids_for_registration(self.request.user),
        }

    def get_initial(self) -> dict[str, Any]:
        household = self.household
        return {
            name: getattr(household, name)
            for name in (
                "grid",
                "building",
                "unit",
                "room",
                "household_type",
                "monitoring",
                "colour",
                "origin_address",
            )
        }

    def perform(self, form: HouseholdForm) -> Household:
        data = dict(form.cleaned_data)
        if not data.get("phone"):
            data.pop("phone", None)
        return services.household_update(actor=self.request.user, household=self.household, **data)


class HouseholdDetailView(generic.TemplateView):
    """The household page. POST ``reveal`` shows full document numbers and phones to holders of
    the personal-data right, once, and records that they were shown."""

    request: AuthenticatedRequest
    template_name = "registry/household_detail.html"
    viewset: Any = None
    unmasked = False

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        household = permissions.get_household_for_user(
            request.user, kwargs["pk"], "view_personal_data"
        )
        services.personal_data_shown(actor=request.user, household=household)
        self.unmasked = True
        response = self.get(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    def other_sections(self, household: Household) -> dict[str, Any]:
        """What apps above the registry show on this page (their views are composed in
        ``casework/urls.py``); the registry itself shows none."""
        return {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        household = selectors.household_detail(user=self.request.user, pk=kwargs["pk"])
        rights = permissions.household_rights(self.request.user, household)
        today = timezone.localdate()
        shown = permissions.PersonalData(unmasked=self.unmasked)
        everyone = household.members.all()
        members = [shown.member(member, today) for member in everyone if not member.has_left]
        former = [shown.member(member, today) for member in everyone if member.has_left]
        return super().get_context_data(
            household=household,
            members=members,
            former_members=former,
            **self.other_sections(household),
            rights=rights,
            viewset=self.viewset,
            phone=shown.phone(household.phone),
            unmasked=self.unmasked,
            **kwargs,
        )


def _list_query(params: dict[str, str]) -> str:
    return f"?{urlencode(params)}" if params else ""


class HouseholdListExportView(generic.View):
    """The household list as the user filtered it, as Excel (搬迁户名单-YYYYMMDD.xlsx). GET (the
    list's menu, with the list's query string) asks first; its form POSTs the search and
    filters back as hidden fields. POST: masked as on the page; with ``unmasked``, full
    identifiers of the households the user works, for holders of the personal-data right.
    Each POST is recorded; a GET makes no file and records nothing."""

    viewset: Any = None
    confirm_title = _("Export this list (Excel)")
    confirm_text = _(
        "The file holds the households of the list as you searched and filtered it, "
        "with ID numbers and phones masked as on the page. The download is recorded."
    )
    confirm_fields: dict[str, str] = {}

    def may_export(self, user: Any) -> bool:
        return bool(user.has_perm("registry.view_household"))

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not self.may_export(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        params = household_list_params(request.GET)
        return download_confirm(
            request,
            title=str(self.confirm_title),
            text=str(self.confirm_text),
            action=self.viewset.reverse("list_export"),
            fields={**params, **self.confirm_fields},
            button=gettext("Download"),
            back=self.viewset.reverse("index") + _list_query(params),
        )

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # The service refuses full identifiers to a user without the right (403).
        unmasked = bool(request.POST.get("unmasked"))
        households, filters = household_list_filtered(request, household_list_params(request.POST))
        content, _count = services.household_list_export(
            actor=request.user, households=households, filters=filters, unmasked=unmasked
        )
        return file_attachment(content, download_name(LIST_TITLE, extension="xlsx"), XLSX)


class HouseholdListExportConfirmView(HouseholdListExportView):
    """Asks before the list is exported with full identifiers (the POST, to the export above,
    is recorded)."""

    http_method_names = ["get"]
    confirm_title = _("Export the list with full ID numbers")
    confirm_text = _(
        "The file holds the full ID numbers and phones of the households of your own "
        "grids (others stay masked). The download is recorded."
    )
    confirm_fields = {"unmasked": "1"}

    def may_export(self, user: Any) -> bool:
        return permissions.may_unmask_exports(user)
