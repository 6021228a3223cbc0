"""Registry screens on the viewflow Material frontend. Every lookup goes through permissions."""

from typing import Any

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import generic
from viewflow.urls import DetailViewMixin, ModelViewset
from viewflow.utils import Icon, viewprop
from viewflow.views import Action, ListModelView

from casework import permissions
from casework.audit.selectors import household_history
from casework.cases.selectors import household_progress

from . import selectors, services
from .forms import DocumentLookupForm, HouseholdForm, HouseholdRegisterForm, MemberForm
from .models import Household, Member
from .validators import mask_document_number, mask_phone


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
        self.filters["site"].queryset = permissions.sites_visible_to(request.user)
        self.filters["grid"].queryset = permissions.grids_visible_to(request.user)


class HouseholdListView(ListModelView):
    """The registry list: only households visible to the user, with masked head data."""

    search_fields = ()  # enables the search box; the selector does the matching
    paginate_by = 25

    @viewprop
    def queryset(self) -> Any:
        return selectors.household_list(user=self.request.user, search=self.get_search_term())

    def is_strict_filter(self) -> bool:
        # A grid or site outside the jurisdiction (an invalid choice) matches nothing, rather
        # than silently dropping the filter.
        return self.filterset is not None and self.filterset.is_bound

    def get_search_term(self) -> str:
        return (self.request.GET.get("_search") or "").strip()

    def head(self, household: Household) -> str:
        return household.head_name or ""

    head.short_description = _("head of household")

    def head_document(self, household: Household) -> str:
        return mask_document_number(household.head_document_number or "")

    head_document.short_description = _("head's document number")

    def residence(self, household: Household) -> str:
        return f"{household.grid.site} · {household.grid} {household.address}"

    residence.short_description = _("residence")

    def phone_masked(self, household: Household) -> str:
        return mask_phone(household.phone)

    phone_masked.short_description = _("household phone")

    def members(self, household: Household) -> str:
        return f"{household.member_count} / {household.labour_count}"

    members.short_description = _("members / labour")


class _RegistryFormView(generic.FormView):
    """A form page in the viewflow frame that hands the cleaned data to one service."""

    template_name = "registry/form.html"
    viewset: Any = None
    title: Any = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=self.title, viewset=self.viewset, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            target = self.perform(form)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(target))
        return HttpResponseRedirect(
            self.viewset.reverse("detail", args=[self.household_pk(target)])
        )

    def perform(self, form: Any) -> Any:
        raise NotImplementedError

    def success_message(self, target: Any) -> str:
        return gettext("Saved.")

    def household_pk(self, target: Any) -> int:
        return target.household_id if isinstance(target, Member) else target.pk


class HouseholdCreateView(_RegistryFormView):
    form_class = HouseholdRegisterForm
    title = _("Register a household")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not permissions.grids_for_registration(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "grids": permissions.grids_for_registration(self.request.user),
        }

    def perform(self, form: HouseholdRegisterForm) -> Household:
        return services.household_register(
            actor=self.request.user,
            number=form.cleaned_data["number"],
            head=form.head_data(),
            **form.household_data(),
        )

    def success_message(self, target: Household) -> str:
        return gettext("Household %(number)s registered.") % {"number": target.number}


class HouseholdUpdateView(_RegistryFormView):
    form_class = HouseholdForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
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


class MemberAddView(_RegistryFormView):
    form_class = MemberForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.household = permissions.get_household_for_user(
            request.user, kwargs["pk"], "add_member"
        )
        self.title = gettext("Add a member to household %(number)s") % {
            "number": self.household.number
        }
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form: MemberForm) -> Member:
        return services.member_add(
            actor=self.request.user, household=self.household, **form.member_data()
        )


class MemberUpdateView(_RegistryFormView):
    form_class = MemberForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.household = permissions.get_household_for_user(
            request.user, kwargs["pk"], "change_member"
        )
        self.member = get_object_or_404(Member, pk=kwargs["member_pk"], household=self.household)
        self.title = gettext("Edit member %(name)s") % {"name": self.member.name}
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "member": self.member}

    def get_initial(self) -> dict[str, Any]:
        member = self.member
        return {
            name: getattr(member, name)
            for name in (
                "name",
                "document_type",
                "relationship",
                "education",
                "in_school",
                "health",
                "labour_capacity",
                "political_status",
            )
        }

    def perform(self, form: MemberForm) -> Member:
        return services.member_update(
            actor=self.request.user, member=self.member, **form.member_data()
        )


class HouseholdDetailView(generic.TemplateView):
    """The household page. POST ``reveal`` shows full document numbers and phones to holders of
    the personal-data right, once, and records that they were shown."""

    template_name = "registry/household_detail.html"
    viewset: Any = None
    unmasked = False

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        household = permissions.get_household_for_user(
            request.user, kwargs["pk"], "view_personal_data"
        )
        services.personal_data_shown(actor=request.user, household=household)
        self.unmasked = True
        response = self.get(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        household = selectors.household_detail(user=self.request.user, pk=kwargs["pk"])
        rights = permissions.household_rights(self.request.user, household)
        today = timezone.localdate()
        show = self.unmasked
        members = [
            {
                "member": member,
                "document": member.document_number
                if show
                else mask_document_number(member.document_number),
                "phone": member.phone if show else mask_phone(member.phone),
                "age": member.age_on(today),
            }
            for member in household.members.all()
        ]
        return super().get_context_data(
            household=household,
            members=members,
            progress=household_progress(household),
            rights=rights,
            viewset=self.viewset,
            phone=household.phone if show else mask_phone(household.phone),
            unmasked=show,
            **kwargs,
        )


class HouseholdHistoryView(generic.TemplateView):
    """One chronological timeline of everything recorded about the household."""

    template_name = "registry/household_history.html"
    viewset: Any = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        household = permissions.get_household_for_user(self.request.user, kwargs["pk"], "history")
        return super().get_context_data(
            household=household,
            history=household_history(household.pk),
            rights=permissions.household_rights(self.request.user, household),
            **kwargs,
        )


class DocumentLookupView(generic.FormView):
    """Find a household by a member's document number; POST keeps the number out of URLs."""

    template_name = "registry/form.html"
    form_class = DocumentLookupForm
    viewset: Any = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            title=_("Find by document number"), submit_label=_("Find"), **kwargs
        )

    def form_valid(self, form: DocumentLookupForm) -> HttpResponse:
        member = selectors.member_find_by_document(
            user=self.request.user, document_number=form.cleaned_data["document_number"]
        )
        if member is None:
            form.add_error(
                "document_number",
                gettext("No member with this document number in your jurisdiction."),
            )
            return self.render_to_response(self.get_context_data(form=form), status=404)
        return HttpResponseRedirect(self.viewset.reverse("detail", args=[member.household_id]))


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
        return permissions.grids_for_registration(user).exists()

    def get_queryset(self, request: HttpRequest) -> Any:
        return permissions.households_visible_to(request.user)

    def get_object_url(self, request: HttpRequest, obj: Household) -> str:
        return self.reverse("detail", args=[obj.pk])

    def get_list_page_actions(self, request: HttpRequest, *actions: Action) -> tuple:
        lookup = Action(
            name=_("Find by document number"),
            url=self.reverse("lookup"),
            icon=Icon("search", class_="material-icons mdc-list-item__graphic"),
        )
        if request.user.has_perm("cases.view_employmentcase"):
            ledger = Action(
                name=_("Export the employment ledger"),
                url=self.reverse("ledger"),
                icon=Icon("download", class_="material-icons mdc-list-item__graphic"),
            )
            actions = (ledger, *actions)
        if permissions.sites_for_import(request.user).exists():
            ledger_import = Action(
                name=_("Import a household ledger"),
                url=self.reverse("ledger_import"),
                icon=Icon("upload_file", class_="material-icons mdc-list-item__graphic"),
            )
            actions = (ledger_import, *actions)
        if request.user.has_perm("registry.export_casefile"):
            batch = Action(
                name=_("Export case files (ZIP)"),
                url=self.reverse("casefile_batches"),
                icon=Icon("archive", class_="material-icons mdc-list-item__graphic"),
            )
            actions = (batch, *actions)
        return super().get_list_page_actions(request, lookup, *actions)

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
    def ledger_path(self) -> Any:
        from casework.ledgers.views import LedgerExportView

        return path("ledger/", LedgerExportView.as_view(viewset=self), name="ledger")

    @property
    def ledger_import_path(self) -> Any:
        from casework.ledgers.views import LedgerImportView

        return path("ledger/import/", LedgerImportView.as_view(viewset=self), name="ledger_import")

    @property
    def ledger_import_status_path(self) -> Any:
        from casework.ledgers.views import LedgerImportStatusView

        return path(
            "ledger/import/<int:import_pk>/",
            LedgerImportStatusView.as_view(viewset=self),
            name="ledger_import_status",
        )

    @property
    def ledger_template_path(self) -> Any:
        from casework.ledgers.views import LedgerTemplateView

        return path(
            "ledger/template/", LedgerTemplateView.as_view(viewset=self), name="ledger_template"
        )

    @property
    def register_export_path(self) -> Any:
        from casework.ledgers.views import RegisterExportView

        return path(
            "ledger/register/", RegisterExportView.as_view(viewset=self), name="register_export"
        )

    @property
    def casefile_path(self) -> Any:
        from casework.reports.views import CaseFileView

        return path("<int:pk>/casefile/", CaseFileView.as_view(viewset=self), name="casefile")

    @property
    def casefile_batches_path(self) -> Any:
        from casework.reports.views import CaseFileBatchView

        return path("casefiles/", CaseFileBatchView.as_view(viewset=self), name="casefile_batches")

    @property
    def casefile_batch_path(self) -> Any:
        from casework.reports.views import CaseFileBatchStatusView

        return path(
            "casefiles/<int:batch_pk>/",
            CaseFileBatchStatusView.as_view(viewset=self),
            name="casefile_batch",
        )

    @property
    def casefile_batch_download_path(self) -> Any:
        from casework.reports.views import CaseFileBatchDownloadView

        return path(
            "casefiles/<int:batch_pk>/download/",
            CaseFileBatchDownloadView.as_view(viewset=self),
            name="casefile_batch_download",
        )

    @property
    def history_path(self) -> Any:
        return path("<int:pk>/history/", HouseholdHistoryView.as_view(viewset=self), name="history")

    @property
    def lookup_path(self) -> Any:
        return path("lookup/", DocumentLookupView.as_view(viewset=self), name="lookup")
