"""The courses' trainers under 系统管理: the courses of the sites a user administers, who teaches
each, a trainer given or taken back (``course_trainer_grant`` / ``course_trainer_revoke``)."""

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from viewflow.urls import AppMenuMixin, Viewset

from casework import permissions
from casework.common.administration import (
    AdministrationActionView,
    AdministrationFormView,
    AdministrationListView,
    AdministrationMixin,
)
from casework.common.requests import AuthenticatedRequest

from . import services
from .forms import TrainerGrantForm
from .models import Course


def courses_administered(user: Any) -> QuerySet[Course]:
    """The courses of the sites the user administers."""
    sites = permissions.sites_administered(user).values("pk")
    return Course.objects.filter(site__in=sites).select_related("site")


def _people(users: QuerySet[User]) -> str:
    return "、".join(str(user.get_full_name() or user.get_username()) for user in users)


class CourseMixin(AdministrationMixin):
    def get_course(self) -> Course:
        return get_object_or_404(courses_administered(self.request.user), pk=self.kwargs["pk"])

    def course_url(self) -> str:
        return str(self.viewset.reverse("detail", args=[self.kwargs["pk"]]))


class CourseListView(AdministrationListView):
    title = _("Courses' trainers")
    columns = (_("course"), _("resettlement site"), _("dates"), _("trainers"))
    search_fields = ("name", "site__name")

    def scoped(self) -> QuerySet[Course]:
        return courses_administered(self.request.user).order_by("-start_date", "name")

    def cells(self, course: Course) -> list[Any]:
        dates = f"{course.start_date:%Y-%m-%d} – {course.end_date:%Y-%m-%d}"
        return [course.name, course.site.name, dates, _people(permissions.course_trainers(course))]


class CourseTrainersView(CourseMixin, AdministrationFormView):
    """A course's trainers, each with a button to take the course back; a trainer to add."""

    request: AuthenticatedRequest
    form_class = TrainerGrantForm
    template_name = "manage/course_trainers.html"
    success_text = _("The trainer is given the course.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        course = self.get_course()
        return super().get_context_data(
            course=course,
            title=course.name,
            trainers=permissions.course_trainers(course),
            **kwargs,
        )

    def perform(self, form: TrainerGrantForm) -> Course:
        course = self.get_course()
        trainer = form.cleaned_data["trainer"]
        services.course_trainer_grant(actor=self.request.user, course=course, trainer=trainer)
        return course

    def success_url_for(self, target: Course) -> str:
        return self.request.path


class CourseTrainerRevokeView(CourseMixin, AdministrationActionView):
    success_text = _("The course is taken from the trainer.")

    def perform(self) -> None:
        course = self.get_course()
        trainer = get_object_or_404(permissions.course_trainers(course), pk=self.kwargs["user_pk"])
        services.course_trainer_revoke(actor=self.request.user, course=course, trainer=trainer)

    def next_url(self) -> str:
        return self.course_url()


class CourseTrainersViewset(AppMenuMixin, Viewset):
    title = _("Courses' trainers")
    icon = "co_present"
    app_name = "courses"

    def has_view_permission(self, user: Any, obj: Any = None) -> bool:
        return permissions.may_administer(user)

    @property
    def index_path(self) -> Any:
        return path("", CourseListView.as_view(viewset=self), name="index")

    @property
    def detail_path(self) -> Any:
        return path("<int:pk>/", CourseTrainersView.as_view(viewset=self), name="detail")

    @property
    def revoke_path(self) -> Any:
        view = CourseTrainerRevokeView.as_view(viewset=self)
        return path("<int:pk>/trainers/<int:user_pk>/revoke/", view, name="trainer_revoke")
