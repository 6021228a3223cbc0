"""The substitutes page (``manage/staff/``): the staff one administers, the substitutions
arranged for them, a form to arrange one, and ending one."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import generic

from casework import permissions
from casework.accounts.models import Substitution
from casework.common.administration import LIST_PAGE_SIZE
from casework.common.requests import AuthenticatedRequest
from casework.common.views import ServiceFormView
from casework.permissions import roles

from . import selectors
from .forms import SubstitutionForm
from .services import substitution_create, substitution_end


def _roles(person: Any) -> list[str]:
    names = {group.name for group in person.groups.all()}
    return [role for role in roles.ROLE_LABELS if role in names]


class AdministerMixin:
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not permissions.may_administer(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]  # a mixin of views


class SubstitutionsView(AdministerMixin, ServiceFormView):
    request: AuthenticatedRequest
    template_name = "staff/index.html"
    form_class = SubstitutionForm
    title = _("Staff changes")
    success_text = _("The substitution is arranged.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "actor": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        actor = self.request.user
        accounts = (
            permissions.users_administered(actor)
            .filter(is_active=True)
            .prefetch_related("groups")
            .order_by("username")
        )
        page = Paginator(accounts, LIST_PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            staff=[
                (person, ", ".join(str(roles.ROLE_LABELS[role]) for role in _roles(person)))
                for person in page
            ],
            staff_page=page,
            substitutions=selectors.substitutions_arranged(actor)[:50],
            today=timezone.localdate(),
            **kwargs,
        )

    def perform(self, form: SubstitutionForm) -> Substitution:
        return substitution_create(actor=self.request.user, **form.cleaned_data)

    def success_url_for(self, target: Substitution) -> str:
        return self.request.path


class SubstitutionEndView(AdministerMixin, generic.View):
    http_method_names = ["post"]
    viewset: Any = None

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        substitution = get_object_or_404(selectors.substitutions_arranged(request.user), pk=pk)
        try:
            substitution_end(actor=request.user, substitution=substitution)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, gettext("The substitution has ended."))
        return HttpResponseRedirect(self.viewset.reverse("index"))
