"""Writes to courses: a course opened, its trainers granted and revoked, its roster exported."""

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import assign_perm, remove_perm

from casework import permissions
from casework.audit.services import audit_record
from casework.permissions import roles
from casework.policy.models import Code
from casework.policy.selectors import code_is_active
from casework.registry.models import Site
from casework.registry.validators import clean_line, clean_text

from ..exports import roster_workbook
from ..models import Course
from ..selectors import roster_households

# Refused trainers: out of the actor's reach (giving a course, or a departing trainer's courses).
TRAINER_OUT_OF_REACH = gettext_lazy("Choose a trainer of the course's site, or one you administer.")

COURSE_FIELDS = (
    "name", "trade", "level", "provider", "site", "location",
    "start_date", "end_date", "hours", "capacity", "subsidised",
)  # fmt: skip


def require_course(actor: User, course: Course, action: str) -> None:
    """Raise PermissionDenied unless the actor may ``action`` the course (``permissions``)."""
    if action not in permissions.course_rights(actor, course):
        raise PermissionDenied(_("You may not do this to the course."))


def course_create(
    *,
    actor: User,
    name: str,
    trade: str,
    site: Site,
    start_date: datetime.date,
    end_date: datetime.date,
    **details: Any,
) -> Course:
    """Open a course at a site where the actor does casework."""
    if not actor.has_perm("training.add_course") or not (
        actor.is_superuser or permissions.sites_worked_by(actor).filter(pk=site.pk).exists()
    ):
        raise PermissionDenied(_("You may not open courses at this site."))
    unknown = set(details) - set(COURSE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown course fields: {sorted(unknown)}")
    course = Course(
        name=clean_text(name),
        trade=trade,
        site=site,
        start_date=start_date,
        end_date=end_date,
        **{
            key: clean_line(value) if isinstance(value, str) else value
            for key, value in details.items()
        },
    )
    errors = {}
    if not course.name:
        errors["name"] = _("Name the course.")
    if end_date < start_date:
        errors["end_date"] = _("The course cannot end before it starts.")
    if course.capacity < 1:
        errors["capacity"] = _("A course takes at least one trainee.")
    if not code_is_active(Code.List.TRADE, trade, start_date):
        errors["trade"] = _("Choose a trade of the list in force.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        course.full_clean()
        course.save()
        audit_record(
            actor=actor,
            action="course.create",
            obj=course,
            household_id=None,
            changes={name: (None, getattr(course, name)) for name in COURSE_FIELDS},
        )
    return course


def course_trainer_revoke(*, actor: User, course: Course, trainer: User) -> None:
    """Take a course away from a trainer; they no longer see it."""
    require_course(actor, course, "manage")
    with transaction.atomic():
        remove_perm(permissions.TEACH_COURSE, trainer, course)
        audit_record(
            actor=actor,
            action="course.trainer_revoke",
            obj=course,
            household_id=None,
            changes={"trainer": (trainer.get_username(), None)},
        )


def course_trainer_grant(*, actor: User, course: Course, trainer: User) -> None:
    """Let a trainer teach the course: they see it and record its attendance and results.
    A trainer who already teaches it changes nothing (and nothing is recorded)."""
    require_course(actor, course, "manage")
    if roles.TRAINER not in roles.user_roles(trainer):
        raise ValidationError({"trainer": _("Only a trainer can be given a course.")})
    if not trainer.is_active:
        raise ValidationError({"trainer": _("This account is deactivated.")})
    if not permissions.trainers_assignable(actor, course).filter(pk=trainer.pk).exists():
        raise ValidationError({"trainer": TRAINER_OUT_OF_REACH})
    taught = permissions.objects_held(trainer, permissions.TEACH_COURSE, Course)
    if taught.filter(pk=course.pk).exists():
        return
    with transaction.atomic():
        assign_perm(permissions.TEACH_COURSE, trainer, course)
        audit_record(
            actor=actor,
            action="course.trainer_grant",
            obj=course,
            household_id=None,
            changes={"trainer": (None, trainer.get_username())},
        )


def course_roster_export(*, actor: User, course: Course) -> bytes:
    """The roster and results as an Excel workbook (identifiers masked), recorded as
    ``course.export``: a trainer gets the whole class, anyone else the trainees of the
    households they may see."""
    require_course(actor, course, "view")
    content = roster_workbook(course, households=roster_households(actor, course))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="course.export",
            obj=course,
            household_id=None,
            changes={"rows": (None, course.enrolments.count())},
        )
    return content
