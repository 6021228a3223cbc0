"""Writes to attendance: one session's marks for the whole class."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit.services import audit_record
from casework.policy.params import param

from ..models import Attendance, Course, Enrolment, Session
from .courses import require_course


def attendance_record(
    *,
    actor: User,
    course: Course,
    date: datetime.date,
    present: set[int],
    hours: Decimal | None = None,
) -> Session:
    """Record one session's attendance for the whole class: every enrolled trainee is marked
    present (their enrolment id is in ``present``) or absent. Recording a date again replaces
    that day's marks. Without ``hours`` the session counts ``training.session_hours`` of its
    day."""
    if hours is None:
        hours = Decimal(str(param("training.session_hours", on=date)))
    require_course(actor, course, "teach")
    if not course.start_date <= date <= course.end_date:
        raise ValidationError({"date": _("The date is outside the course's dates.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("Attendance cannot be recorded for a future day.")})
    # Only trainees on the roll that day: nobody attends a class before enrolling.
    enrolled = list(session_roll(course, date))
    if not enrolled:
        raise ValidationError(_("Nobody in the class is waiting for a result."))
    unknown = present - {e.pk for e in enrolled}
    if unknown:
        raise ValidationError(_("Some ticked trainees are not in this class."))
    with transaction.atomic():
        session, created = Session.objects.update_or_create(
            course=course, date=date, defaults={"hours": hours, "recorded_by": actor}
        )
        before = None
        if not created:
            before = session.attendance.filter(enrolment__in=enrolled, present=True).count()
        Attendance.objects.filter(session=session, enrolment__in=enrolled).delete()
        Attendance.objects.bulk_create(
            Attendance(session=session, enrolment=e, present=e.pk in present) for e in enrolled
        )
        audit_record(
            actor=actor,
            action="session.attendance" if created else "session.attendance_again",
            obj=session,
            household_id=None,
            changes={
                "present": (before, len(present)),
                "on_roll": (None, len(enrolled)),
            },
        )
    return session


def session_roll(course: Course, date: datetime.date) -> QuerySet[Enrolment]:
    """The trainees whose attendance is taken on ``date``: enrolled, waiting for a result, and
    enrolled by that day."""
    return (
        course.enrolments.filter(status=Enrolment.Status.ENROLLED, joined_on__lte=date)
        .select_related("member")
        .order_by("member__name", "pk")
    )
