"""The frame of the administration pages (系统管理): a list with a search box, a form page and a
one-button action, each refused (403) to anybody who administers nothing. Which rows and which
objects a user may reach is ``casework.permissions.administration``'s rule: the pages only ask."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _
from django.views import generic

from casework import permissions
from casework.common.requests import AuthenticatedRequest
from casework.common.views import ServiceFormView

LIST_PAGE_SIZE = 50


class AdministrationMixin(generic.View):
    """Only for users who administer something (administrators; managers of a site)."""

    request: AuthenticatedRequest
    viewset: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not permissions.may_administer(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AdministrationListView(AdministrationMixin, generic.ListView):
    """A table of rows the user administers, searched by ``q`` over ``search_fields``.

    Subclasses give ``scoped()`` (the rows), ``columns`` (headers) and ``cells(obj)``; each row
    links to ``row_url(obj)``. ``add_url()`` / ``add_label`` put a create button on top."""

    request: AuthenticatedRequest
    template_name = "manage/list.html"
    paginate_by = LIST_PAGE_SIZE
    title: Any = ""
    columns: tuple[Any, ...] = ()
    search_fields: tuple[str, ...] = ()
    add_label: Any = ""

    def scoped(self) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        rows = self.scoped()
        query = self.request.GET.get("q", "").strip()
        if query and self.search_fields:
            condition = Q()
            for field in self.search_fields:
                condition |= Q(**{f"{field}__icontains": query})
            rows = rows.filter(condition)
        return rows

    def cells(self, obj: Any) -> list[Any]:
        raise NotImplementedError

    def row_url(self, obj: Any) -> str:
        return str(self.viewset.reverse("detail", args=[obj.pk]))

    def add_url(self) -> str:
        return ""

    def filters(self) -> list[dict[str, Any]]:
        """Extra selects of the search form: ``name``, ``label``, ``choices``, ``value``."""
        return []

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = [
            (self.row_url(obj), list(zip(self.columns, self.cells(obj), strict=True)))
            for obj in context["object_list"]
        ]
        return {
            **context,
            "title": self.title,
            "viewset": self.viewset,
            "columns": self.columns,
            "rows": rows,
            "searchable": bool(self.search_fields),
            "query": self.request.GET.get("q", ""),
            "filters": self.filters(),
            "add_url": self.add_url(),
            "add_label": self.add_label,
        }


class AdministrationFormView(AdministrationMixin, ServiceFormView):
    """A form whose valid data goes to one service (``perform``)."""

    request: AuthenticatedRequest
    template_name = "manage/form.html"
    success_text = _("Saved.")
    back_url: Any = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # A page about one object titles itself by it (``title=`` here) instead of ``title``.
        title = kwargs.pop("title", None)
        context = super().get_context_data(back_url=self.get_back_url(), **kwargs)
        if title is not None:
            context["title"] = title
        return context

    def get_back_url(self) -> str:
        return str(self.viewset.reverse("index"))


class AdministrationIndexView(AdministrationMixin):
    """系统管理 itself: the first of its pages the user may open (a manager has no regions)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        for page in self.viewset.viewsets:
            if page.has_view_permission(request.user):
                return HttpResponseRedirect(page.reverse("index"))
        raise PermissionDenied


def form_errors_raise(form: Any) -> None:
    """A one-button form that did not validate: its messages, as the action's error."""
    raise ValidationError([message for errors in form.errors.values() for message in errors])


class AdministrationActionView(AdministrationMixin):
    """A button (POST only): one service call, its message, back to the page it came from."""

    http_method_names = ["post"]
    success_text: Any = _("Saved.")

    def perform(self) -> None:
        raise NotImplementedError

    def next_url(self) -> str:
        """Back to the page of the object the URL names (its ``pk``); override for another."""
        return str(self.viewset.reverse("detail", args=[self.kwargs["pk"]]))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            with transaction.atomic():
                self.perform()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, str(self.success_text))
        return HttpResponseRedirect(self.next_url())
