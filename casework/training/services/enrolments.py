"""Writes to enrolments: a member who needs training enrolled in a course with room."""

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit.services import audit_record
from casework.cases import services as case_services
from casework.cases.models import EmploymentCase

from ..models import Course, Enrolment

State = EmploymentCase.State


def enrolment_create(
    *,
    actor: User,
    case: EmploymentCase,
    course: Course,
    joined_on: datetime.date | None = None,
) -> Enrolment:
    """Enrol a member who needs training in a course at their site that has room.

    A second subsidised course of the same trade and level (one already passed or under way) is
    refused: the subsidy is paid once per trade and level.
    """
    household = case.member.household
    case_services.require(actor, "work_case", household)
    if case.state != State.TO_ENROL:
        raise ValidationError(_("The member is not waiting for training."))
    case_services.transition_check(case, State.IN_TRAINING)
    if course.end_date < timezone.localdate():
        raise ValidationError({"course": _("That course has already ended.")})
    if course.site_id != household.grid.site_id:
        raise ValidationError({"course": _("That course is held at another site.")})
    today = timezone.localdate()
    joined_on = joined_on or max(today, course.start_date)
    if not course.start_date <= joined_on <= course.end_date or joined_on > max(
        today, course.start_date
    ):
        raise ValidationError(
            {"joined_on": _("The day of joining must fall within the course and not ahead.")}
        )
    if case.enrolments.filter(status=Enrolment.Status.ENROLLED).exists():
        raise ValidationError(_("The member is already enrolled in a course."))
    if Enrolment.objects.filter(member=case.member, course=course).exists():
        raise ValidationError({"course": _("The member has already taken this course.")})
    if course.subsidised:
        earlier = (
            Enrolment.objects.filter(
                member=case.member,
                course__subsidised=True,
                course__trade=course.trade,
                course__level=course.level,
            )
            .exclude(status__in=[Enrolment.Status.DROPPED, Enrolment.Status.FAILED])
            .select_related("course")
            .first()
        )
        if earlier is not None:
            raise ValidationError(
                {
                    "course": _(
                        "%(name)s already had a subsidised course of this trade and level "
                        "(%(course)s); the subsidy is paid only once."
                    )
                    % {"name": case.member.name, "course": earlier.course.name}
                }
            )
    with transaction.atomic():
        # Lock the course row so that two caseworkers cannot both take its last place.
        locked = Course.objects.select_for_update().get(pk=course.pk)
        if locked.enrolments.exclude(status=Enrolment.Status.DROPPED).count() >= locked.capacity:
            raise ValidationError(
                {
                    "course": _("%(course)s is full (%(n)s places).")
                    % {"course": locked.name, "n": locked.capacity}
                }
            )
        enrolment = Enrolment.objects.create(
            member=case.member, course=course, case=case, enrolled_by=actor, joined_on=joined_on
        )
        audit_record(
            actor=actor,
            action="enrolment.create",
            obj=enrolment,
            household_id=household.pk,
            changes={"course": (None, course.pk)},
        )
        case_services.case_transition(
            actor=actor, case=case, to=State.IN_TRAINING, action="employment_case.enrolled"
        )
    return enrolment
