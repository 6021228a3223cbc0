"""The code-list pages under 系统管理 (``manage/codes/``): the lists, one list's codes with
their groupings and dates, and a code added, changed or ended. Administrators edit; managers
read."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import generic
from viewflow.urls import AppMenuMixin, Viewset

from casework import permissions
from casework.common.requests import AuthenticatedRequest
from casework.common.views import ServiceFormView

from .code_forms import CodeAddForm, CodeChangeForm, CodeEndForm
from .models import Code
from .selectors import code_list, code_list_summaries, code_rows
from .services import code_add, code_change, code_end


class CodesReadMixin:
    viewset: Any = None
    kwargs: dict[str, Any]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not permissions.may_read_codes(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]  # a mixin of views

    @property
    def list_name(self) -> str:
        name = self.kwargs["list_name"]
        if name not in Code.List.values:
            raise Http404
        return str(name)

    @property
    def list_label(self) -> str:
        return str(Code.List(self.list_name).label)


class CodesChangeMixin(CodesReadMixin):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not permissions.may_change_codes(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_code(self) -> Code:
        return get_object_or_404(Code, list_name=self.list_name, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(  # type: ignore[misc]  # a mixin of views
            list_name=self.list_name, list_label=self.list_label, **kwargs
        )

    def success_url_for(self, target: Any) -> str:
        return str(self.viewset.reverse("list", args=[self.list_name]))


class CodeListsView(CodesReadMixin, generic.TemplateView):
    request: AuthenticatedRequest
    template_name = "policy/codes/lists.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(lists=code_list_summaries(), **kwargs)


class CodeListView(CodesReadMixin, generic.TemplateView):
    request: AuthenticatedRequest
    template_name = "policy/codes/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.pop("list_name", None)  # the URL's, checked by ``list_name``
        return super().get_context_data(
            list_name=self.list_name,
            list_label=self.list_label,
            rows=code_rows(self.list_name),
            grouped=self.list_name == Code.List.CHANNEL,
            may_change=permissions.may_change_codes(self.request.user),
            **kwargs,
        )


class CodeAddView(CodesChangeMixin, ServiceFormView):
    request: AuthenticatedRequest
    template_name = "policy/codes/form.html"
    form_class = CodeAddForm
    title = _("Add a code")
    success_text = _("Code added.")

    def get_form_kwargs(self) -> dict[str, Any]:
        last = max((code.sort_order for code in code_list(self.list_name)), default=0)
        return {**super().get_form_kwargs(), "list_name": self.list_name, "next_order": last + 10}

    def perform(self, form: Any) -> Code:
        data = form.details()
        return code_add(
            actor=self.request.user,
            list_name=self.list_name,
            code=form.cleaned_data["code"],
            **data,
        )


class CodeChangeView(CodesChangeMixin, ServiceFormView):
    request: AuthenticatedRequest
    template_name = "policy/codes/form.html"
    form_class = CodeChangeForm
    title = _("Change a code")
    success_text = _("Code saved.")

    def get_form_kwargs(self) -> dict[str, Any]:
        code = self.get_code()
        initial = {name: getattr(code, name) for name in CodeChangeForm.base_fields}
        return {**super().get_form_kwargs(), "list_name": self.list_name, "initial": initial}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(code=self.get_code(), **kwargs)

    def perform(self, form: Any) -> Code:
        return code_change(actor=self.request.user, code=self.get_code(), **form.details())


class CodeEndView(CodesChangeMixin, ServiceFormView):
    request: AuthenticatedRequest
    template_name = "policy/codes/form.html"
    form_class = CodeEndForm
    title = _("End a code")
    success_text = _("Code ended: forms no longer offer it after its last day.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            code=self.get_code(), today=timezone.localdate(), ending=True, **kwargs
        )

    def perform(self, form: Any) -> Code:
        return code_end(actor=self.request.user, code=self.get_code(), on=form.cleaned_data["on"])


class CodeListViewset(AppMenuMixin, Viewset):
    title = _("Code lists")
    icon = "list_alt"
    app_name = "codes"

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return permissions.may_read_codes(user)

    @property
    def index_path(self) -> Any:
        return path("", CodeListsView.as_view(viewset=self), name="index")

    @property
    def list_path(self) -> Any:
        return path("<str:list_name>/", CodeListView.as_view(viewset=self), name="list")

    @property
    def add_path(self) -> Any:
        return path("<str:list_name>/add/", CodeAddView.as_view(viewset=self), name="add")

    @property
    def change_path(self) -> Any:
        return path(
            "<str:list_name>/<int:pk>/change/",
            CodeChangeView.as_view(viewset=self),
            name="change",
        )

    @property
    def end_path(self) -> Any:
        return path("<str:list_name>/<int:pk>/end/", CodeEndView.as_view(viewset=self), name="end")
