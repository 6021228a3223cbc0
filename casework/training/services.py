"""Writes to enrolments: a member enrolled, a training result recorded."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import permissions
from casework.audit.services import audit_record
from casework.cases.models import EmploymentCase
from casework.cases.services import case_transition, require
from casework.registry.models import Site
from casework.registry.validators import clean_text

from .models import Course, Enrolment

State = EmploymentCase.State
RESULTS = (Enrolment.Status.PASSED, Enrolment.Status.FAILED, Enrolment.Status.DROPPED)


def course_create(
    *,
    actor: AbstractBaseUser,
    name: str,
    trade: str,
    site: Site,
    start_date: datetime.date,
    end_date: datetime.date,
) -> Course:
    """Open a course at a site the actor works in."""
    if not permissions.grids_worked_by(actor).filter(site=site).exists():
        raise PermissionDenied(_("You may not open courses at this site."))
    course = Course(
        name=clean_text(name), trade=trade, site=site, start_date=start_date, end_date=end_date
    )
    errors = {}
    if not course.name:
        errors["name"] = _("Name the course.")
    if end_date < start_date:
        errors["end_date"] = _("The course cannot end before it starts.")
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
            changes={"name": (None, course.name), "trade": (None, trade)},
        )
    return course


def enrolment_create(*, actor: AbstractBaseUser, case: EmploymentCase, course: Course) -> Enrolment:
    """Enrol a member who needs training in a course that has not ended."""
    household = case.member.household
    require(actor, "work_case", household)
    if case.state != State.IN_TRAINING:
        raise ValidationError(_("The member is not waiting for training."))
    if course.end_date < timezone.localdate():
        raise ValidationError({"course": _("That course has already ended.")})
    if course.site_id != household.grid.site_id:
        raise ValidationError({"course": _("That course is held at another site.")})
    if case.enrolments.filter(status=Enrolment.Status.ENROLLED).exists():
        raise ValidationError(_("The member is already enrolled in a course."))
    if Enrolment.objects.filter(member=case.member, course=course).exists():
        raise ValidationError({"course": _("The member has already taken this course.")})
    with transaction.atomic():
        enrolment = Enrolment.objects.create(
            member=case.member, course=course, case=case, enrolled_by=actor
        )
        audit_record(
            actor=actor,
            action="enrolment.create",
            obj=enrolment,
            household_id=household.pk,
            changes={"course": (None, course.pk)},
        )
    return enrolment


def training_result_record(
    *, actor: AbstractBaseUser, enrolment: Enrolment, result: str
) -> Enrolment:
    """Record pass, fail or drop-out; passing sends the member to placement, otherwise to
    reassessment."""
    case = enrolment.case
    require(actor, "work_case", case.member.household)
    if result not in RESULTS:
        raise ValidationError({"result": _("Choose passed, failed or dropped out.")})
    if enrolment.status != Enrolment.Status.ENROLLED:
        raise ValidationError(_("The result of this enrolment is already recorded."))
    with transaction.atomic():
        enrolment.status, enrolment.result_by, enrolment.result_at = result, actor, timezone.now()
        enrolment.save(update_fields=["status", "result_by", "result_at"])
        audit_record(
            actor=actor,
            action="enrolment.result",
            obj=enrolment,
            household_id=case.member.household_id,
            changes={"status": (Enrolment.Status.ENROLLED.value, result)},
        )
        passed = result == Enrolment.Status.PASSED
        case_transition(
            actor=actor,
            case=case,
            state=State.SEEKING if passed else State.REASSESSING,
            action="employment_case.trained",
            reason="" if passed else str(Enrolment.Status(result).label),
        )
    return enrolment
