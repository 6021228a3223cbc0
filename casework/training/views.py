"""Training pages: courses, the class roster, attendance and results for a whole class at once,
and the roster export. Every course is looked up through ``permissions``."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import generic
from guardian.shortcuts import get_users_with_perms
from viewflow.urls import AppMenuMixin, Viewset
from viewflow.utils import Icon, viewprop
from viewflow.views import Action, ListModelView

from casework import permissions
from casework.audit.services import audit_record
from casework.registry.models import Site

from . import exports, selectors, services
from .forms import AttendanceForm, CourseForm, ResultRowForm, TrainerGrantForm
from .models import Course, Enrolment
from .services import ResultEntry


def _results_complete(**kwargs: Any) -> int:
    # The flows move each trainee's case on; they live above the domain.
    from workflows.services import course_results_complete

    return course_results_complete(**kwargs)


class CourseListView(ListModelView):
    columns = ("name", "trade", "level", "site", "dates", "places")
    object_link_columns = ("name",)
    paginate_by = 25

    @viewprop
    def queryset(self) -> Any:
        return (
            permissions.courses_visible_to(self.request.user)
            .select_related("site")
            .annotate(taken=Count("enrolments", filter=~Q(enrolments__status="dropped")))
            .order_by("-start_date", "name")
        )

    def dates(self, course: Course) -> str:
        return f"{course.start_date:%Y-%m-%d} – {course.end_date:%Y-%m-%d}"

    dates.short_description = _("dates")

    def places(self, course: Course) -> str:
        return f"{course.taken} / {course.capacity}"

    places.short_description = _("enrolled / capacity")


class CourseMixin:
    """Loads the course for the URL's ``pk`` with the right the page needs (404/403)."""

    action = "view"
    viewset: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.course = permissions.get_course_for_user(request.user, kwargs["pk"], self.action)
        self.rights = permissions.course_rights(request.user, self.course)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            course=self.course, rights=self.rights, viewset=self.viewset, **kwargs
        )

    def course_url(self) -> str:
        return self.viewset.reverse("detail", args=[self.course.pk])


class CourseDetailView(CourseMixin, generic.TemplateView):
    template_name = "training/course_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        sessions = list(self.course.sessions.order_by("date"))
        trainers = get_users_with_perms(
            self.course, only_with_perms_in=["teach_course"], with_group_users=False
        )
        return super().get_context_data(
            roster=selectors.roster_rows(self.course),
            sessions=sessions,
            trainers=trainers,
            **kwargs,
        )


class CourseCreateView(generic.FormView):
    template_name = "registry/form.html"
    form_class = CourseForm
    viewset: Any = None

    def sites(self) -> Any:
        worked = permissions.grids_worked_by(self.request.user).values("site_id")
        return Site.objects.filter(pk__in=worked).order_by("name")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm("training.add_course") or not self.sites().exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "sites": self.sites()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("Open a course"), viewset=self.viewset, **kwargs)

    def form_valid(self, form: CourseForm) -> HttpResponse:
        try:
            course = services.course_create(actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, gettext("Saved."))
        return HttpResponseRedirect(self.viewset.reverse("detail", args=[course.pk]))


class TrainerGrantView(CourseMixin, generic.FormView):
    action = "manage"
    template_name = "registry/form.html"
    form_class = TrainerGrantForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("Add a trainer"), **kwargs)

    def form_valid(self, form: TrainerGrantForm) -> HttpResponse:
        try:
            services.course_trainer_grant(
                actor=self.request.user, course=self.course, trainer=form.cleaned_data["trainer"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, gettext("Saved."))
        return HttpResponseRedirect(self.course_url())


class AttendanceView(CourseMixin, generic.FormView):
    """Attendance of one session for the whole class: every trainee ticked present by default."""

    action = "teach"
    template_name = "training/attendance.html"
    form_class = AttendanceForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "course": self.course}

    def trainees(self) -> list[Enrolment]:
        return list(
            self.course.enrolments.filter(status=Enrolment.Status.ENROLLED)
            .select_related("member")
            .order_by("member__name", "pk")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ticked = None
        if self.request.method == "POST":
            ticked = set(self.request.POST.getlist("present"))
        return super().get_context_data(trainees=self.trainees(), ticked=ticked, **kwargs)

    def form_valid(self, form: AttendanceForm) -> HttpResponse:
        present = {int(pk) for pk in self.request.POST.getlist("present") if pk.isdigit()}
        try:
            services.attendance_record(
                actor=self.request.user, course=self.course, present=present, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext("Attendance of %(date)s recorded: %(n)s present.")
            % {"date": form.cleaned_data["date"].isoformat(), "n": len(present)},
        )
        return HttpResponseRedirect(self.course_url())


class ResultsView(CourseMixin, generic.TemplateView):
    """Results for the whole class in one form; one transaction for the class."""

    action = "teach"
    template_name = "training/results.html"

    def rows(self) -> list[tuple[Any, ResultRowForm]]:
        if not hasattr(self, "_rows"):
            data = self.request.POST if self.request.method == "POST" else None
            roster = selectors.roster_rows(self.course)
            self._rows = [
                (row, ResultRowForm(data, prefix=f"e{row.enrolment.pk}"))
                for row in roster
                if row.enrolment.status == Enrolment.Status.ENROLLED
            ]
        return self._rows

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            rows=self.rows(),
            threshold=services.attendance_threshold(),
            recorded=[
                row
                for row in selectors.roster_rows(self.course)
                if row.enrolment.status != Enrolment.Status.ENROLLED
            ],
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rows = self.rows()
        if not all(form.is_valid() for _row, form in rows):
            return self.render_to_response(self.get_context_data(), status=200)
        entries = [
            ResultEntry(enrolment_id=row.enrolment.pk, **form.cleaned_data)
            for row, form in rows
            if form.cleaned_data["result"]
        ]
        try:
            count = _results_complete(actor=request.user, course=self.course, entries=entries)
        except ValidationError as error:
            by_enrolment = {str(row.enrolment.pk): form for row, form in rows}
            for key, problems in error.message_dict.items():
                target = by_enrolment.get(key)
                if target is not None:
                    target.add_error(None, problems)
            return self.render_to_response(self.get_context_data(), status=200)
        messages.success(request, gettext("%(n)s results recorded.") % {"n": count})
        return HttpResponseRedirect(self.course_url())


class RosterExportView(CourseMixin, generic.View):
    """The roster and results as an Excel file (document numbers and phones masked)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        content = exports.roster_workbook(self.course)
        with transaction.atomic():
            audit_record(
                actor=request.user,
                action="course.export",
                obj=self.course,
                household_id=None,
                changes={"rows": (None, self.course.enrolments.count())},
            )
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="course-{self.course.pk}.xlsx"'
        return response


class CourseViewset(AppMenuMixin, Viewset):
    """Courses: list, detail, open one, trainers, attendance, results, export."""

    title = _("Courses")
    icon = "school"
    app_name = "course"

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return user.is_authenticated and user.has_perm("training.view_course")

    def get_object_url(self, request: HttpRequest, obj: Course) -> str:
        return self.reverse("detail", args=[obj.pk])

    def get_list_page_actions(self, request: HttpRequest) -> tuple:
        if not request.user.has_perm("training.add_course"):
            return ()
        if not permissions.grids_worked_by(request.user).exists():
            return ()
        return (
            Action(
                name=_("Open a course"),
                url=self.reverse("add"),
                icon=Icon("add", class_="material-icons mdc-list-item__graphic"),
            ),
        )

    @property
    def index_path(self) -> Any:
        return path("", CourseListView.as_view(viewset=self, model=Course), name="index")

    @property
    def detail_path(self) -> Any:
        return path("<int:pk>/", CourseDetailView.as_view(viewset=self), name="detail")

    @property
    def create_path(self) -> Any:
        return path("add/", CourseCreateView.as_view(viewset=self), name="add")

    @property
    def trainer_path(self) -> Any:
        return path("<int:pk>/trainers/", TrainerGrantView.as_view(viewset=self), name="trainer")

    @property
    def attendance_path(self) -> Any:
        return path("<int:pk>/attendance/", AttendanceView.as_view(viewset=self), name="attendance")

    @property
    def results_path(self) -> Any:
        return path("<int:pk>/results/", ResultsView.as_view(viewset=self), name="results")

    @property
    def export_path(self) -> Any:
        return path("<int:pk>/export/", RosterExportView.as_view(viewset=self), name="export")
