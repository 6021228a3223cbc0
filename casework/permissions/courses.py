"""Which courses a user may see, and what they may do with each: trainers teach their own
courses; caseworkers and managers see and manage the courses of the sites where they work."""

from typing import Literal, cast

from django.contrib.auth.models import User as AuthUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from guardian.shortcuts import get_users_with_perms

from casework.training.models import Course

from .administration import sites_administered
from .grants import TEACH_COURSE, User, is_active_user, objects_granted
from .sites import sites_worked_by

CourseAction = Literal["view", "teach", "manage"]


def courses_visible_to(user: User) -> QuerySet[Course]:
    """Courses a trainer teaches, and courses at the sites where the user does casework."""
    if not is_active_user(user) or not user.has_perm("training.view_course"):
        return Course.objects.none()
    if user.is_superuser:
        return Course.objects.all()
    return Course.objects.filter(
        Q(pk__in=objects_granted(user, TEACH_COURSE, Course).values("pk"))
        | Q(site__in=sites_worked_by(user).values("pk"))
    )


def course_rights(user: User, course: Course) -> frozenset[str]:
    """What the user may do with a course: view it; teach it (attendance and results: its
    trainers); manage it (trainers, details: caseworkers and managers of its site)."""
    if not is_active_user(user):
        return frozenset()
    if user.is_superuser:
        return frozenset({"view", "teach", "manage"})
    rights = set()
    if user.has_perm(TEACH_COURSE, course):
        rights |= {"view", "teach"}
    if (
        user.has_perm("training.view_course")
        and sites_worked_by(user).filter(pk=course.site_id).exists()
    ):
        rights.add("view")
        if user.has_perm("training.change_course"):
            rights.add("manage")
    if sites_administered(user).filter(pk=course.site_id).exists():
        rights |= {"view", "manage"}
    return frozenset(rights)


def course_trainers(course: Course) -> QuerySet[AuthUser]:
    """Who teaches the course: the active users holding its teach permission on it (directly or
    through a group; a superuser's blanket right does not make them its trainer). They take its
    attendance and record its results."""
    # guardian returns a list only with ``attach_perms=True``; here it is a queryset of users.
    trainers = cast(
        "QuerySet[AuthUser]",
        get_users_with_perms(
            course,
            only_with_perms_in=[TEACH_COURSE.split(".")[1]],
            with_superusers=False,
            with_group_users=True,
        ),
    )
    return trainers.filter(is_active=True).order_by("username")


def get_course_for_user(user: User, pk: object, action: CourseAction = "view") -> Course:
    """The course with ``pk`` if the user may ``action`` it: 404 when it is not theirs to see,
    403 when they see it but may not do this."""
    course = courses_visible_to(user).filter(pk=int(str(pk))).first() if str(pk).isdigit() else None
    if course is None:
        raise Http404(_("No such course among yours."))
    if action not in course_rights(user, course):
        raise PermissionDenied(_("You may not do this to the course."))
    return course
