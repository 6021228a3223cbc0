"""Registering a household on one page: the household, its head and its other members as rows.

The rows are added and removed in the browser by ``static/registry/member_rows.js``; without it,
添加一行 shows the page again with one more row and a row's remove box drops it.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework import permissions
from casework.registry import services
from casework.registry.forms import (
    BaseMemberRowFormSet,
    HouseholdRegisterForm,
    MemberRowFormSet,
    registration_errors_add,
)
from casework.registry.models import Household

from .base import RegistryFormView

ROWS_PREFIX = "members"
ADD_ROW = "add_row"


class HouseholdCreateView(RegistryFormView):
    """The registration page: one ``household_register`` call for the household and every row."""

    form_class = HouseholdRegisterForm
    template_name = "registry/household_register.html"
    title = _("Register a household")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not permissions.grids_for_registration(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "grids": permissions.grids_for_registration(self.request.user),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("rows", MemberRowFormSet(prefix=ROWS_PREFIX))
        return super().get_context_data(add_row=ADD_ROW, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        rows = MemberRowFormSet(request.POST, prefix=ROWS_PREFIX)
        if ADD_ROW in request.POST:
            # The same page again, one row longer, with nothing checked yet.
            again = HouseholdRegisterForm(
                initial=form.entered(), grids=permissions.grids_for_registration(request.user)
            )
            return self.shown(again, rows.renumbered(keep_blank=True, extra=1))
        if not all([form.is_valid(), rows.is_valid()]):
            return self.shown(form, rows.renumbered(keep_blank=False))
        try:
            with transaction.atomic():
                household = self.register(form, rows)
        except ValidationError as error:
            shown = rows.renumbered(keep_blank=False)
            registration_errors_add(form, shown, error)
            return self.shown(form, shown)
        messages.success(request, self.success_message(household))
        return HttpResponseRedirect(self.success_url_for(household))

    def shown(self, form: HouseholdRegisterForm, rows: BaseMemberRowFormSet) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form, rows=rows))

    def register(self, form: HouseholdRegisterForm, rows: BaseMemberRowFormSet) -> Household:
        return services.household_register(
            actor=self.request.user,
            number=form.cleaned_data["number"],
            head=form.head_data(),
            members=rows.members_data(),
            **form.household_data(),
        )

    def success_message(self, target: Household) -> str:
        return gettext("Household %(number)s registered.") % {"number": target.number}
