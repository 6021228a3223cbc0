"""月度看板: a unit's month-end figures (a grid, a site, a township, a county), the months
before it, the units one tier down, and the list of people or households behind each number.

Who opens which unit is ``permissions.grids_for_figures``: a unit all of whose grids are the
reader's. A unit that is not theirs is a 404 (as if it did not exist); a month outside the
choices falls back to the last month that has ended, with a message.
"""

import datetime
import re
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views import generic
from viewflow.urls import Application

from casework import permissions
from casework.common.downloads import as_attachment, download_name
from casework.common.paging import BoundedPaginator
from casework.common.requests import AuthenticatedRequest
from casework.common.xlsx import XLSX
from casework.monitoring.selectors import month_before, month_of

from .charts import bars_option, children_option, trend_option
from .dates import months_ending
from .page import month_page
from .people import LISTS, figure_rows
from .services import month_bulletin_pdf, month_list_workbook
from .units import GRID, KINDS, Unit, unit_grids, units_of, units_within

MONTHS_OFFERED = 24
FIRST_YEAR = 2016  # the 13th five-year plan's relocation began; no record is older
R = TypeVar("R", HttpResponse, FileResponse)


def month_choices(today: datetime.date) -> list[tuple[str, str]]:
    """The months a reader may choose, newest first: this month so far, and the 23 before."""
    this_month = month_of(today)
    choices = []
    for month in reversed(months_ending(this_month, MONTHS_OFFERED)):
        label = month.strftime("%Y-%m")
        if month == this_month:
            label = gettext("%(month)s (this month so far)") % {"month": label}
        choices.append((month.strftime("%Y-%m"), label))
    return choices


def month_asked(asked: str, today: datetime.date) -> datetime.date | None:
    """The month ``YYYY-MM`` names, from ``FIRST_YEAR`` to this month; None otherwise. Any
    such month opens (the trend links a year back from the oldest month offered)."""
    if not re.fullmatch(r"\d{4}-\d{2}", asked):
        return None
    year, number = int(asked[:4]), int(asked[5:])
    if not 1 <= number <= 12 or year < FIRST_YEAR:
        return None
    month = datetime.date(year, number, 1)
    return month if month <= month_of(today) else None


class NoUnit(Exception):
    """The reader reads no unit's figures (yet)."""


class Scope:
    """The reader's units, the unit and month the request names (or the defaults)."""

    def __init__(self, request: HttpRequest, params: Any, *, strict: bool = False) -> None:
        """``strict`` (a download): a month that cannot be shown is a 400, not a fallback."""
        user = request.user
        if not permissions.may_read_figures(user):
            raise PermissionDenied
        self.units = units_within(permissions.grids_for_figures(user))
        keys = {u.key: u for u in self.units}
        if not self.units:  # a caseworker given no grid yet
            raise NoUnit
        wanted = params.get("unit") or self.units[0].key
        if wanted not in keys:
            raise Http404(gettext("No such unit among those whose figures you read."))
        self.unit: Unit = keys[wanted]
        today = timezone.localdate()
        self.choices = month_choices(today)
        self.month = month_before(month_of(today))
        asked = params.get("month")
        if asked:
            month = month_asked(asked, today)
            if month is not None:
                self.month = month
            elif strict:
                raise BadRequest(gettext("There is no month %(month)s.") % {"month": asked[:20]})
            else:
                text = gettext(
                    "There is no month %(month)s to show; the last month that has ended is shown."
                )
                messages.error(request, text % {"month": asked[:20]})
        if self.month.strftime("%Y-%m") not in {value for value, _label in self.choices}:
            self.choices.append((self.month.strftime("%Y-%m"), self.month.strftime("%Y-%m")))
        self.wider = [u for u in self.units if u.kind != GRID] or self.units
        # The wider units this one is in that the reader also reads, widest first.
        wider_kinds = KINDS[: KINDS.index(self.unit.kind)]
        above = units_of(unit_grids(self.unit.key).select_related("site__county")[:1])
        self.trail = [u for u in self.units if u.key in above and u.kind in wider_kinds]
        # Each wider unit with the address of its page for the same month.
        self.trail_links = [(u, self.query(unit=u.key)) for u in self.trail]

    def query(self, **changes: str) -> str:
        return "?" + urlencode({"unit": self.unit.key, "month": self.month.strftime("%Y-%m"),
                                **changes})  # fmt: skip


class MonthFiguresView(generic.TemplateView):
    template_name = "reports/month_figures.html"
    viewset: Any = None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            self.scope = Scope(request, request.GET)
        except NoUnit:
            return self.render_to_response({"title": _("Month-end figures"), "no_unit": True})
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        scope = self.scope
        page = month_page(scope.unit, scope.month)
        index, people = self.viewset.reverse("index"), self.viewset.reverse("people")
        breakdowns = [
            ("category", _("By category"), page.by_category),
            ("channel", _("In work, by channel"), page.by_channel),
            ("location", _("In work, by work location"), page.by_location),
        ]
        charts = {"chart-trend": trend_option(page, lambda m: index + scope.query(month=m))}
        for name, _title, figures in breakdowns:
            if figures:
                charts[f"chart-{name}"] = bars_option(page, figures, people)
        if page.children:
            unit_url = lambda key: index + scope.query(unit=key)  # noqa: E731
            charts["chart-children"] = children_option(page, unit_url)
        return super().get_context_data(
            scope=scope,
            page=page,
            charts=charts,
            breakdowns=breakdowns,
            bulletin_url=self.viewset.reverse("bulletin"),
            people_url=people,
            title=_("Month-end figures"),
            **kwargs,
        )


class MonthPeopleView(generic.TemplateView):
    """The members or households behind one number of a unit's month."""

    template_name = "reports/month_people.html"
    viewset: Any = None
    per_page = 50

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            self.scope = Scope(request, request.GET)
        except NoUnit as none:
            raise Http404(gettext("You read no unit's figures.")) from none
        self.figure = request.GET.get("figure", "")
        self.code = request.GET.get("code", "")
        if self.figure not in LISTS:
            raise Http404(gettext("No such figure."))
        response = super().get(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"  # people are named
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        scope = self.scope
        grid_ids = list(unit_grids(scope.unit.key).values_list("pk", flat=True))
        rows = figure_rows(grid_ids, scope.month, self.figure, self.code)
        paginator = BoundedPaginator(rows.queryset, self.per_page)
        page_obj = paginator.get_page(self.request.GET.get("page"))
        return super().get_context_data(
            scope=scope,
            rows=rows,
            page_obj=page_obj,
            paginator=paginator,
            back_url=self.viewset.reverse("index") + scope.query(),
            export_url=self.viewset.reverse("export"),
            figure=self.figure,
            code=self.code,
            # A county's bureau reads figures, not households' pages: no link to a 404.
            opens_households=permissions.works_some_grid(self.request.user),
            title=rows.title,
            **kwargs,
        )


def _posted_scope(request: HttpRequest) -> Scope:
    try:
        return Scope(request, request.POST, strict=True)
    except NoUnit as none:
        raise Http404(gettext("You read no unit's figures.")) from none


def _attachment(response: R, extension: str, *parts: object) -> R:
    name = download_name(*parts, extension=extension, when=timezone.localtime())
    return as_attachment(response, name)


class MonthBulletinView(generic.View):
    """The 通报 of the unit and month as PDF (POST: printing it is recorded)."""

    viewset: Any = None
    http_method_names = ["post"]

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        scope = _posted_scope(request)
        content = month_bulletin_pdf(actor=request.user, unit=scope.unit, month=scope.month)
        response = HttpResponse(content, content_type="application/pdf")
        name = pgettext("file name", "bulletin")
        return _attachment(response, "pdf", name, scope.unit.label, f"{scope.month:%Y-%m}")


class MonthListExportView(generic.View):
    """The list behind one number as Excel (POST: the export is recorded)."""

    viewset: Any = None
    http_method_names = ["post"]

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> FileResponse:
        scope = _posted_scope(request)
        figure, code = request.POST.get("figure", ""), request.POST.get("code", "")
        if figure not in LISTS:
            raise Http404(gettext("No such figure."))
        target = month_list_workbook(
            actor=request.user, unit=scope.unit, month=scope.month, figure=figure, code=code
        )
        response = FileResponse(target, content_type=XLSX)
        name = pgettext("file name", "list")
        return _attachment(response, "xlsx", name, scope.unit.label, f"{scope.month:%Y-%m}")


class MonthFiguresApp(Application):
    title = _("Month-end figures")
    icon = "query_stats"
    app_name = "figures"
    menu_template_name = None

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return user.is_authenticated and permissions.may_read_figures(user)

    @property
    def index_path(self) -> Any:
        return path("", MonthFiguresView.as_view(viewset=self), name="index")

    @property
    def people_path(self) -> Any:
        return path("people/", MonthPeopleView.as_view(viewset=self), name="people")

    @property
    def bulletin_path(self) -> Any:
        return path("bulletin.pdf", MonthBulletinView.as_view(viewset=self), name="bulletin")

    @property
    def export_path(self) -> Any:
        view = MonthListExportView.as_view(viewset=self)
        return path("people/export.xlsx", view, name="export")
