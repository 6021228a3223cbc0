"""Training pages: courses, the class roster, attendance for a whole class at once, and the
roster export. Every course is looked up through ``permissions``. The class-results page moves
the trainees' flows on, so it lives in ``workflows.course_results`` (wired in casework/urls.py)."""

from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib import messages
from django.contrib.admin import display
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views import generic
from django.views.generic.base import ContextMixin
from guardian.shortcuts import get_users_with_perms
from viewflow.urls import AppMenuMixin, Viewset
from viewflow.utils import Icon, viewprop
from viewflow.views import Action, ListModelView

from casework import permissions
from casework.common.downloads import as_attachment, download_name
from casework.common.requests import AuthenticatedRequest
from casework.policy.models import Code
from casework.policy.selectors import with_code_label
from casework.registry.models import Site

from . import selectors, services
from .forms import AttendanceForm, CourseForm, TrainerGrantForm
from .models import Attendance, Course, Enrolment

if TYPE_CHECKING:  # django-stubs-ext is a development dependency
    from django_stubs_ext import WithAnnotations


class _Taken(TypedDict):
    """What the course list adds to each course: its places taken (drop-outs aside)."""

    taken: int


class CourseListView(ListModelView):
    columns = ("name", "trade_label", "level", "site", "dates", "places")
    object_link_columns = ("name",)
    paginate_by = 25

    @viewprop
    def queryset(self) -> Any:
        return (
            with_code_label(
                permissions.courses_visible_to(self.request.user), "trade", Code.List.TRADE
            )
            .select_related("site")
            .annotate(taken=Count("enrolments", filter=~Q(enrolments__status="dropped")))
            .order_by("-start_date", "name")
        )

    # display() sets the ``short_description`` the list reads for the column header.
    @display(description=_("trade"))
    def trade_label(self, course: Course) -> str:
        return course.get_trade_display()

    @display(description=_("dates"))
    def dates(self, course: Course) -> str:
        return f"{course.start_date:%Y-%m-%d} – {course.end_date:%Y-%m-%d}"

    @display(description=_("enrolled / capacity"))
    def places(self, course: "WithAnnotations[Course, _Taken]") -> str:
        return f"{course.taken} / {course.capacity}"


class CourseMixin(ContextMixin, generic.View):
    """Loads the course for the URL's ``pk`` with the right the page needs (404/403)."""

    action: permissions.CourseAction = "view"
    viewset: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
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
                self.course, selectors.roster_households(self.request.user, self.course)
            ),
            enrolled=self.course.enrolments.exclude(status=Enrolment.Status.DROPPED).count(),
            sessions=sessions,
            trainers=trainers,
            **kwargs,
        )


class CourseCreateView(generic.FormView):
    request: AuthenticatedRequest
    template_name = "registry/form.html"
    form_class = CourseForm
    viewset: Any = None

    def sites(self) -> QuerySet[Site]:
        return permissions.sites_worked_by(self.request.user).order_by("name")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
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
    request: AuthenticatedRequest
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

    request: AuthenticatedRequest
    action = "teach"
    template_name = "training/attendance.html"
    form_class = AttendanceForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "course": self.course}

    def day(self) -> date:
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
        ticked: set[str] | None
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
        # Each trainee's attendance so far, counted from the day they joined (as results are).
        so_far = {row.enrolment.pk: row for row in selectors.roster_rows(self.course)}
        return super().get_context_data(
            trainees=[(e, so_far.get(e.pk)) for e in services.session_roll(self.course, day)],
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


class TrainerRevokeView(CourseMixin, generic.View):
    action = "manage"

    def post(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        trainer = get_object_or_404(get_user_model(), pk=kwargs["user_pk"])
        services.course_trainer_revoke(actor=request.user, course=self.course, trainer=trainer)
        messages.success(request, gettext("Saved."))
        return HttpResponseRedirect(self.course_url())


class RosterExportView(CourseMixin, generic.View):
    """The roster and results as an Excel file (document numbers and phones masked)."""

    def get(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        content = services.course_roster_export(actor=request.user, course=self.course)
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        name = download_name(
            self.course.name, pgettext("file name", "course-roster"), extension="xlsx"
        )
        return as_attachment(response, name)


class CourseViewset(AppMenuMixin, Viewset):
    """Courses: list, detail, open one, trainers, attendance, export. The class-results page
    (``results``) is added where the site is composed (casework/urls.py)."""

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
        if not permissions.sites_worked_by(request.user).exists():
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
    def export_path(self) -> Any:
        return path("<int:pk>/export/", RosterExportView.as_view(viewset=self), name="export")
