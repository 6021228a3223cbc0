"""Training pages: courses, the class roster, attendance and results for a whole class at once,
and the roster export. Every course is looked up through ``permissions``."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import generic
from guardian.shortcuts import get_users_with_perms
from viewflow.fsm import TransitionNotAllowed
from viewflow.urls import AppMenuMixin, Viewset
from viewflow.utils import Icon, viewprop
from viewflow.views import Action, ListModelView
from viewflow.workflow.exceptions import FlowLockFailed

from casework import permissions
from casework.audit.services import audit_record
from casework.registry.models import Site

from . import exports, selectors, services
from .forms import AttendanceForm, CourseForm, ResultRowForm, TrainerGrantForm
from .models import Attendance, Course, Enrolment
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


def _roster_scope(user: Any, rights: frozenset[str]) -> Any:
    """Whose trainees the user may see: the whole class for its trainers, otherwise only the
    households in the user's jurisdiction (a caseworker's own grids)."""
    return None if "teach" in rights else permissions.households_visible_to(user)


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
            roster=selectors.roster_rows(
                self.course, _roster_scope(self.request.user, self.rights)
            ),
            enrolled=self.course.enrolments.exclude(status=Enrolment.Status.DROPPED).count(),
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

    def day(self) -> Any:
        """The day shown: the one posted, or ``?date=`` (to correct a day), or today."""
        form = AttendanceForm(
            self.request.POST or {"date": self.request.GET.get("date")}, course=self.course
        )
        form.is_valid()
        return form.cleaned_data.get("date") or form.fields["date"].initial

    def get_initial(self) -> dict[str, Any]:
        return {"date": self.day()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        day = self.day()
        if self.request.method == "POST":
            ticked = set(self.request.POST.getlist("present"))
        else:
            # A day already taken shows its marks, so saving it again changes only what is
            # changed; a new day starts with everyone ticked.
            marks = dict(
                Attendance.objects.filter(
                    session__course=self.course, session__date=day
                ).values_list("enrolment_id", "present")
            )
            ticked = {str(pk) for pk, present in marks.items() if present} if marks else None
        return super().get_context_data(
            trainees=list(services.session_roll(self.course, day)),
            ticked=ticked,
            day=day,
            **kwargs,
        )

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
            return self.render_to_response(self.get_context_data(errors=self.place(error, rows)))
        except (TransitionNotAllowed, FlowLockFailed):
            # Someone else recorded a trainee's result meanwhile; nothing was saved.
            message = gettext("The class changed while you were entering results: reload it.")
            return self.render_to_response(self.get_context_data(errors=[message]))
        messages.success(request, gettext("%(n)s results recorded.") % {"n": count})
        return HttpResponseRedirect(self.course_url())

    @staticmethod
    def place(error: ValidationError, rows: list[tuple[Any, ResultRowForm]]) -> list[str]:
        """Put each row's problems on its row; return the rest for the top of the page."""
        if not hasattr(error, "error_dict"):
            return error.messages
        by_enrolment = {str(row.enrolment.pk): form for row, form in rows}
        general = []
        for key, problems in error.message_dict.items():
            target = by_enrolment.get(key)
            if target is None:
                general.extend(problems)
            else:
                target.add_error(None, problems)
        return general


class TrainerRevokeView(CourseMixin, generic.View):
    action = "manage"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        trainer = get_object_or_404(get_user_model(), pk=kwargs["user_pk"])
        services.course_trainer_revoke(actor=request.user, course=self.course, trainer=trainer)
        messages.success(request, gettext("Saved."))
        return HttpResponseRedirect(self.course_url())


class RosterExportView(CourseMixin, generic.View):
    """The roster and results as an Excel file (document numbers and phones masked)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        content = exports.roster_workbook(
            self.course, households=_roster_scope(request.user, self.rights)
        )
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
    def trainer_revoke_path(self) -> Any:
        return path(
            "<int:pk>/trainers/<int:user_pk>/revoke/",
            TrainerRevokeView.as_view(viewset=self),
            name="trainer_revoke",
        )

    @property
    def attendance_path(self) -> Any:
        return path("<int:pk>/attendance/", AttendanceView.as_view(viewset=self), name="attendance")

    @property
    def results_path(self) -> Any:
        return path("<int:pk>/results/", ResultsView.as_view(viewset=self), name="results")

    @property
    def export_path(self) -> Any:
        return path("<int:pk>/export/", RosterExportView.as_view(viewset=self), name="export")
