"""务工月监测 pages: the months of the user's grids, a grid's month entered in one form, and a
site's month closed by its manager. Every grid and site is looked up through ``permissions``."""

import datetime
import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import generic
from viewflow.urls import Application

from casework import permissions
from casework.common.requests import AuthenticatedRequest
from casework.policy.selectors import codes_active

from .forms import WorkMonthFormSet, line_initial
from .selectors import (
    NOTHING,
    PLACEMENT,
    POST,
    PREVIOUS,
    RECORDED,
    month_last_day,
    months_open,
    work_month_closed,
    work_month_grids,
    work_month_roster,
    work_month_site_summary,
    work_months_closed,
)
from .services import work_month_check, work_month_close, work_month_record

SOURCES = {
    RECORDED: _("recorded"),
    PLACEMENT: _("from the current job"),
    POST: _("from the public-welfare post"),
    PREVIOUS: _("as last month"),
    NOTHING: _("to fill in"),
}


def month_text(month: datetime.date) -> str:
    return f"{month:%Y-%m}"


def month_parse(text: str) -> datetime.date:
    """``YYYY-MM`` as the month's first day (404 for anything else)."""
    found = re.fullmatch(r"(\d{4})-(\d{2})", text)
    try:
        if found is None:
            raise ValueError(text)
        return datetime.date(int(found[1]), int(found[2]), 1)
    except ValueError as error:
        raise Http404 from error


class WorkMonthsView(generic.TemplateView):
    """The user's grids for one month (the last month by default): how many records each
    has, and, for a site's manager, the month's closing."""

    request: AuthenticatedRequest
    template_name = "monitoring/work_months.html"
    viewset: Any = None

    def month(self, months: list[datetime.date]) -> datetime.date:
        chosen = self.request.GET.get("month")
        if chosen:
            month = month_parse(chosen)
            if month not in months:
                raise Http404
            return month
        return months[1] if len(months) > 1 else months[0]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        months = months_open()
        month = self.month(months)
        grids = work_month_grids(permissions.grids_for_work_months(user), month)
        closing = permissions.sites_for_work_month_closing(user)
        closed = work_months_closed({grid.site_id for grid in grids}, month)
        closed_here = work_months_closed(closing.values_list("pk", flat=True), month)
        closable = [site for site in closing.order_by("name") if site.pk not in closed_here]
        return super().get_context_data(
            month=month, month_text=month_text(month),
            months=[(month_text(m), m) for m in months], grids=grids, closed=closed,
            closable=closable if month < months[0] else [], viewset=self.viewset, **kwargs,
        )  # fmt: skip


class WorkMonthGridView(generic.TemplateView):
    """One grid's month in one form: each labour member's line, pre-filled from their current
    work (or last month), confirmed or changed, saved together."""

    request: AuthenticatedRequest
    template_name = "monitoring/work_month_grid.html"
    viewset: Any = None

    def setup_month(self) -> None:
        grid_pk = self.kwargs["grid_pk"]
        self.grid = get_object_or_404(
            permissions.grids_for_work_months(self.request.user).select_related("site"),
            pk=grid_pk,
        )
        self.month = month_parse(self.kwargs["month"])
        if self.month not in months_open():
            raise Http404
        self.closed = work_month_closed(self.grid.site, self.month)
        self.rows = work_month_roster(self.grid, self.month)
        channels = codes_active("channel", on=month_last_day(self.month))
        self.channels = [(code.code, code.label) for code in channels]

    def formset(self, data: Any = None) -> Any:
        initial = [line_initial(row.member.pk, row.values, row.stamp) for row in self.rows]
        return WorkMonthFormSet(
            data, initial=initial, prefix="line", form_kwargs={"channels": self.channels}
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.setup_month()
        return self.render_to_response(self.get_context_data(formset=self.formset()))

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.setup_month()
        if self.closed:
            messages.error(
                request, gettext("This month is closed: its records can no longer change.")
            )
            return HttpResponseRedirect(request.path)
        formset = self.formset(request.POST)
        problem = self.posted_problem(formset)
        if problem:  # the roster changed since the page was opened, or the form was tampered with
            messages.error(request, problem)
            return self.render_to_response(self.get_context_data(formset=self.formset()))
        if formset.is_valid():
            entries = [form.entry() for form in formset.forms]
            try:
                errors = work_month_check(grid=self.grid, month=self.month, entries=entries)
                for form in formset.forms:
                    for field, message in errors.get(form.cleaned_data["member"], {}).items():
                        form.add_error(field, message)
                if not errors:
                    written = work_month_record(
                        actor=request.user, grid=self.grid, month=self.month, entries=entries
                    )
                    messages.success(
                        request,
                        gettext("Saved %(month)s for %(grid)s: %(n)d record(s) written.")
                        % {"month": month_text(self.month), "grid": self.grid.name, "n": written},
                    )
                    index = reverse("work_months:index")
                    return HttpResponseRedirect(f"{index}?month={month_text(self.month)}")
            except ValidationError as error:
                formset.non_form_errors().extend(error.messages)
        wrong = sum(1 for form in formset.forms if form.errors)
        if wrong:
            formset.non_form_errors().append(
                gettext("%(n)d line(s) need correcting: they are outlined in red.") % {"n": wrong}
            )
        return self.render_to_response(self.get_context_data(formset=formset))

    def posted_problem(self, formset: Any) -> str | None:
        """Why the posted lines cannot be taken as they are: not the roster's members in its
        order (a member added, gone or reassessed since the page was opened; the form altered),
        or a line a colleague has saved since."""
        posted = [form["member"].value() for form in formset.forms]
        if not formset.management_form.is_valid() or posted != [
            str(row.member.pk) for row in self.rows
        ]:
            return gettext(
                "The grid's members changed since the page was opened: check the lines and "
                "save again."
            )
        stamps = [form["stamp"].value() or "" for form in formset.forms]
        if stamps != [row.stamp for row in self.rows]:
            return gettext(
                "Someone saved this month's lines since you opened the page: their values are "
                "shown now; check them and save again."
            )
        return None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        formset = kwargs["formset"]
        lines = [
            (row, form, SOURCES[row.source])
            for row, form in zip(self.rows, formset.forms, strict=True)
        ]
        return super().get_context_data(
            grid=self.grid, month=self.month, month_text=month_text(self.month),
            closed=self.closed, lines=lines, viewset=self.viewset, **kwargs,
        )  # fmt: skip


class WorkMonthCloseView(generic.TemplateView):
    """A site's month closed by its manager, after a page that says what is still missing."""

    request: AuthenticatedRequest
    template_name = "monitoring/work_month_close.html"
    viewset: Any = None

    def setup_site(self) -> None:
        self.site = get_object_or_404(
            permissions.sites_for_work_month_closing(self.request.user), pk=self.kwargs["site_pk"]
        )
        self.month = month_parse(self.kwargs["month"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        self.setup_site()
        grids = work_month_site_summary(self.site, self.month)
        return super().get_context_data(
            site=self.site, month_text=month_text(self.month), grids=grids,
            missing=sum(max(labour - recorded, 0) for _g, labour, recorded in grids),
            viewset=self.viewset, **kwargs,
        )  # fmt: skip

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.setup_site()
        index = f"{reverse('work_months:index')}?month={month_text(self.month)}"
        try:
            work_month_close(actor=request.user, site=self.site, month=self.month)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(index)
        messages.success(
            request,
            gettext("%(site)s: %(month)s is closed.")
            % {"site": self.site.name, "month": month_text(self.month)},
        )
        return HttpResponseRedirect(index)


class WorkMonthsApp(Application):
    """务工月监测 in the menu: for whoever enters or closes months."""

    title = _("Monthly work records")
    icon = "event_available"
    app_name = "work_months"
    menu_template_name = None

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return user.is_authenticated and (
            user.has_perm(permissions.monitoring.RECORD_WORK_MONTHS)
            or user.has_perm(permissions.monitoring.CLOSE_WORK_MONTHS)
        )

    @property
    def index_path(self) -> Any:
        return path("", WorkMonthsView.as_view(viewset=self), name="index")

    @property
    def grid_path(self) -> Any:
        return path(
            "grid/<int:grid_pk>/<str:month>/", WorkMonthGridView.as_view(viewset=self), name="grid"
        )

    @property
    def close_path(self) -> Any:
        return path(
            "site/<int:site_pk>/<str:month>/close/",
            WorkMonthCloseView.as_view(viewset=self),
            name="close",
        )
