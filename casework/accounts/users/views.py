"""The account pages under 系统管理: the accounts a user administers (search, role, active),
a new account, and an account's page: name, roles, grids and sites, password, reactivation.
Deactivating goes through the staff-change page, which hands the account's open work over
first (``manage:staff:deactivate``).

Which accounts, roles, grids and sites a user may touch is ``casework.permissions``'s rule;
each write is one service."""

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import AppMenuMixin, Viewset

from casework import permissions
from casework.accounts.forms import PasswordSetForm
from casework.accounts.services import user_password_set
from casework.common.administration import (
    AdministrationActionView,
    AdministrationFormView,
    AdministrationListView,
    AdministrationMixin,
    form_errors_raise,
)
from casework.common.requests import AuthenticatedRequest
from casework.permissions.roles import COUNTY, ROLE_LABELS, user_roles
from casework.registry.models import Grid, Region, Site
from casework.registry.services import (
    jurisdiction_grant_county,
    jurisdiction_grant_grid,
    jurisdiction_grant_site,
    jurisdiction_revoke_county,
    jurisdiction_revoke_grid,
    jurisdiction_revoke_site,
)
from casework.registry.structure.forms import CountyChoiceForm, GridChoiceForm, SiteChoiceForm

from . import services
from .forms import AccountForm, RolesForm, UserCreateForm

ACTIVE_CHOICES = [("", _("All")), ("1", _("Active")), ("0", _("Deactivated"))]


def roles_shown(account: User) -> str:
    names = {group.name for group in account.groups.all()}
    return "、".join(str(label) for role, label in ROLE_LABELS.items() if role in names)


def grids_of(account: User) -> QuerySet[Grid]:
    """The grids the account works (granted to it)."""
    return permissions.objects_held(account, permissions.WORK_GRID, Grid).select_related("site")


def sites_of(account: User) -> QuerySet[Site]:
    """The sites the account manages (granted to it)."""
    return permissions.objects_held(account, permissions.MANAGE_SITE, Site)


def counties_of(account: User) -> QuerySet[Region]:
    """The counties whose figures the account reads as their bureau (granted to it)."""
    return permissions.objects_held(account, permissions.READ_COUNTY, Region)


COUNTIES = Region.objects.filter(level=Region.Level.COUNTY)


class AccountMixin(AdministrationMixin):
    def get_account(self) -> User:
        return get_object_or_404(
            permissions.users_administered(self.request.user), pk=self.kwargs["pk"]
        )

    def account_url(self) -> str:
        return str(self.viewset.reverse("detail", args=[self.kwargs["pk"]]))


class UserListView(AdministrationListView):
    title = _("Users")
    columns = (_("Username"), _("Full name"), _("Roles"), _("Status"))
    search_fields = ("username", "first_name", "last_name")
    add_label = _("Add a user")

    def scoped(self) -> QuerySet[User]:
        accounts = permissions.users_administered(self.request.user)
        role = self.request.GET.get("role", "")
        if role in ROLE_LABELS:
            accounts = accounts.filter(groups__name=role)
        active = self.request.GET.get("active", "")
        if active in ("0", "1"):
            accounts = accounts.filter(is_active=active == "1")
        return accounts.prefetch_related("groups").order_by("username")

    def filters(self) -> list[dict[str, Any]]:
        roles = [("", _("All")), *ROLE_LABELS.items()]
        query = self.request.GET
        return [
            {"name": "role", "label": _("Role"), "choices": roles, "value": query.get("role", "")},
            {
                "name": "active",
                "label": _("Status"),
                "choices": ACTIVE_CHOICES,
                "value": query.get("active", ""),
            },
        ]

    def cells(self, account: User) -> list[Any]:
        status = _("Active") if account.is_active else _("Deactivated")
        return [account.username, account.get_full_name(), roles_shown(account), status]

    def add_url(self) -> str:
        return str(self.viewset.reverse("add"))


class UserCreateView(AdministrationFormView):
    form_class = UserCreateForm
    title = _("Add a user")
    success_text = _("The account is created.")

    def get_form_kwargs(self) -> dict[str, Any]:
        roles = permissions.roles_assignable(self.request.user)
        return {**super().get_form_kwargs(), "roles": roles}

    def perform(self, form: UserCreateForm) -> User:
        return services.user_create(actor=self.request.user, **form.service_arguments())

    def success_url_for(self, target: User) -> str:
        return str(self.viewset.reverse("detail", args=[target.pk]))


class UserDetailView(AccountMixin, AdministrationFormView):
    """An account: name (the form), roles, grids worked, sites managed, password, status."""

    request: AuthenticatedRequest
    form_class = AccountForm
    template_name = "manage/user_detail.html"

    def get_initial(self) -> dict[str, Any]:
        account = self.get_account()
        return {"full_name": account.get_full_name(), "email": account.email}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        actor, account = self.request.user, self.get_account()
        grids, sites = grids_of(account), sites_of(account)
        may_grant_site = permissions.may_grant_site(actor, account)
        assignable = permissions.roles_assignable(actor)
        return super().get_context_data(
            account=account,
            title=account.get_full_name() or account.username,
            roles=roles_shown(account),
            roles_form=RolesForm(
                roles=assignable,
                initial={f"role_{group.name}": True for group in account.groups.all()},
            ),
            is_self=account.pk == actor.pk,
            grids=grids,
            grid_form=GridChoiceForm(
                grids=permissions.grids_administered(actor).exclude(pk__in=grids.values("pk"))
            ),
            sites=sites,
            may_grant_site=may_grant_site,
            site_form=SiteChoiceForm(
                sites=permissions.sites_administered(actor).exclude(pk__in=sites.values("pk"))
            )
            if may_grant_site
            else None,
            counties=counties_of(account),
            shows_counties=COUNTY in user_roles(account) or counties_of(account).exists(),
            county_form=CountyChoiceForm(counties=COUNTIES.exclude(pk__in=counties_of(account)))
            if permissions.may_grant_county(actor, account)
            else None,
            administered_grids=set(
                permissions.grids_administered(actor).values_list("pk", flat=True)
            ),
            **kwargs,
        )

    def perform(self, form: AccountForm) -> User:
        return services.user_update(
            actor=self.request.user, user=self.get_account(), **form.cleaned_data
        )

    def success_url_for(self, target: User) -> str:
        return self.request.path


class UserRolesView(AccountMixin, AdministrationActionView):
    def perform(self) -> None:
        actor = self.request.user
        form = RolesForm(self.request.POST, roles=permissions.roles_assignable(actor))
        if not form.is_valid():
            form_errors_raise(form)
        # Roles the actor may not give are kept as they are (not on the form).
        kept = [
            role
            for role in user_roles(self.get_account())
            if role not in permissions.roles_assignable(actor)
        ]
        services.user_roles_set(
            actor=actor, user=self.get_account(), roles=[*kept, *form.chosen_roles()]
        )

    def next_url(self) -> str:
        return self.account_url()


class UserGridGrantView(AccountMixin, AdministrationActionView):
    def perform(self) -> None:
        actor = self.request.user
        form = GridChoiceForm(self.request.POST, grids=permissions.grids_administered(actor))
        if not form.is_valid():
            form_errors_raise(form)
        jurisdiction_grant_grid(
            actor=actor, user=self.get_account(), grid=form.cleaned_data["grid"]
        )

    def next_url(self) -> str:
        return self.account_url()


class UserGridRevokeView(AccountMixin, AdministrationActionView):
    def perform(self) -> None:
        account = self.get_account()
        grid = get_object_or_404(grids_of(account), pk=self.kwargs["grid_pk"])
        jurisdiction_revoke_grid(actor=self.request.user, user=account, grid=grid)

    def next_url(self) -> str:
        return self.account_url()


class UserSiteGrantView(AccountMixin, AdministrationActionView):
    def perform(self) -> None:
        actor = self.request.user
        form = SiteChoiceForm(self.request.POST, sites=permissions.sites_administered(actor))
        if not form.is_valid():
            form_errors_raise(form)
        jurisdiction_grant_site(
            actor=actor, user=self.get_account(), site=form.cleaned_data["site"]
        )

    def next_url(self) -> str:
        return self.account_url()


class UserSiteRevokeView(AccountMixin, AdministrationActionView):
    def perform(self) -> None:
        account = self.get_account()
        site = get_object_or_404(sites_of(account), pk=self.kwargs["site_pk"])
        jurisdiction_revoke_site(actor=self.request.user, user=account, site=site)

    def next_url(self) -> str:
        return self.account_url()


class UserCountyGrantView(AccountMixin, AdministrationActionView):
    def perform(self) -> None:
        form = CountyChoiceForm(self.request.POST, counties=COUNTIES.all())
        if not form.is_valid():
            form_errors_raise(form)
        county = form.cleaned_data["county"]
        jurisdiction_grant_county(actor=self.request.user, user=self.get_account(), county=county)

    def next_url(self) -> str:
        return self.account_url()


class UserCountyRevokeView(AccountMixin, AdministrationActionView):
    def perform(self) -> None:
        account = self.get_account()
        county = get_object_or_404(counties_of(account), pk=self.kwargs["county_pk"])
        jurisdiction_revoke_county(actor=self.request.user, user=account, county=county)

    def next_url(self) -> str:
        return self.account_url()


class UserReactivateView(AccountMixin, AdministrationActionView):
    success_text = _("The account is active again.")

    def perform(self) -> None:
        services.user_reactivate(actor=self.request.user, user=self.get_account())

    def next_url(self) -> str:
        return self.account_url()


class UserPasswordView(AccountMixin, AdministrationFormView):
    request: AuthenticatedRequest
    form_class = PasswordSetForm
    title = _("Set a new password")
    success_text = _("New password set. Give it to the user in person.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.get_account()}

    def get_back_url(self) -> str:
        return self.account_url()

    def perform(self, form: PasswordSetForm) -> User:
        account = self.get_account()
        password = form.cleaned_data["new_password1"]
        user_password_set(actor=self.request.user, user=account, password=password)
        return account

    def success_url_for(self, target: User) -> str:
        return self.account_url()


class UserViewset(AppMenuMixin, Viewset):
    title = _("Users")
    icon = "manage_accounts"
    app_name = "users"

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return permissions.may_administer(user)

    @property
    def index_path(self) -> Any:
        return path("", UserListView.as_view(viewset=self), name="index")

    @property
    def add_path(self) -> Any:
        return path("add/", UserCreateView.as_view(viewset=self), name="add")

    @property
    def detail_path(self) -> Any:
        return path("<int:pk>/", UserDetailView.as_view(viewset=self), name="detail")

    @property
    def roles_path(self) -> Any:
        return path("<int:pk>/roles/", UserRolesView.as_view(viewset=self), name="roles")

    @property
    def grid_grant_path(self) -> Any:
        return path(
            "<int:pk>/grids/add/", UserGridGrantView.as_view(viewset=self), name="grid_grant"
        )

    @property
    def grid_revoke_path(self) -> Any:
        view = UserGridRevokeView.as_view(viewset=self)
        return path("<int:pk>/grids/<int:grid_pk>/revoke/", view, name="grid_revoke")

    @property
    def site_grant_path(self) -> Any:
        return path(
            "<int:pk>/sites/add/", UserSiteGrantView.as_view(viewset=self), name="site_grant"
        )

    @property
    def site_revoke_path(self) -> Any:
        view = UserSiteRevokeView.as_view(viewset=self)
        return path("<int:pk>/sites/<int:site_pk>/revoke/", view, name="site_revoke")

    @property
    def county_grant_path(self) -> Any:
        view = UserCountyGrantView.as_view(viewset=self)
        return path("<int:pk>/counties/add/", view, name="county_grant")

    @property
    def county_revoke_path(self) -> Any:
        view = UserCountyRevokeView.as_view(viewset=self)
        return path("<int:pk>/counties/<int:county_pk>/revoke/", view, name="county_revoke")

    @property
    def password_path(self) -> Any:
        return path("<int:pk>/password/", UserPasswordView.as_view(viewset=self), name="password")

    @property
    def reactivate_path(self) -> Any:
        view = UserReactivateView.as_view(viewset=self)
        return path("<int:pk>/reactivate/", view, name="reactivate")
