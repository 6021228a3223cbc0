"""Writes to training: courses and their trainers, enrolments, attendance, results."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from casework import permissions, roles
from casework.audit.services import audit_record
from casework.cases.models import EmploymentCase
from casework.cases.services import case_transition, require
from casework.policy.params import param
from casework.registry.models import Site
from casework.registry.validators import clean_text

from .models import Attendance, Course, Enrolment, Session
from .selectors import attendance_rates

State = EmploymentCase.State
RESULTS = (Enrolment.Status.PASSED, Enrolment.Status.FAILED, Enrolment.Status.DROPPED)
COURSE_FIELDS = (
    "name", "trade", "level", "provider", "site", "location",
    "start_date", "end_date", "hours", "capacity", "subsidised",
)  # fmt: skip


def _require_course(actor: AbstractBaseUser, course: Course, action: str) -> None:
    if action not in permissions.course_rights(actor, course):
        raise PermissionDenied(_("You may not do this to the course."))


def course_create(
    *,
    actor: AbstractBaseUser,
    name: str,
    trade: str,
    site: Site,
    start_date: datetime.date,
    end_date: datetime.date,
    **details: Any,
) -> Course:
    """Open a course at a site where the actor does casework."""
    if not actor.has_perm("training.add_course") or not (
        actor.is_superuser or permissions.grids_worked_by(actor).filter(site=site).exists()
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
            key: clean_text(value) if isinstance(value, str) else value
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


def course_trainer_revoke(
    *, actor: AbstractBaseUser, course: Course, trainer: AbstractBaseUser
) -> None:
    """Take a course away from a trainer; they no longer see it."""
    _require_course(actor, course, "manage")
    with transaction.atomic():
        remove_perm(permissions.TEACH_COURSE, trainer, course)
        audit_record(
            actor=actor,
            action="course.trainer_revoke",
            obj=course,
            household_id=None,
            changes={"trainer": (trainer.get_username(), None)},
        )


def course_trainer_grant(
    *, actor: AbstractBaseUser, course: Course, trainer: AbstractBaseUser
) -> None:
    """Let a trainer teach the course: they see it and record its attendance and results."""
    _require_course(actor, course, "manage")
    if roles.TRAINER not in roles.user_roles(trainer):
        raise ValidationError({"trainer": _("Only a trainer can be given a course.")})
    with transaction.atomic():
        assign_perm(permissions.TEACH_COURSE, trainer, course)
        audit_record(
            actor=actor,
            action="course.trainer_grant",
            obj=course,
            household_id=None,
            changes={"trainer": (None, trainer.get_username())},
        )


def enrolment_create(
    *,
    actor: AbstractBaseUser,
    case: EmploymentCase,
    course: Course,
    joined_on: datetime.date | None = None,
) -> Enrolment:
    """Enrol a member who needs training in a course at their site that has room.

    A second subsidised course of the same trade and level (one already passed or under way) is
    refused: the subsidy is paid once per trade and level.
    """
    household = case.member.household
    require(actor, "work_case", household)
    if case.state != State.IN_TRAINING:
        raise ValidationError(_("The member is not waiting for training."))
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
        earlier = Enrolment.objects.filter(
            member=case.member,
            course__subsidised=True,
            course__trade=course.trade,
            course__level=course.level,
        ).exclude(status__in=[Enrolment.Status.DROPPED, Enrolment.Status.FAILED])
        earlier = earlier.select_related("course").first()
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
    return enrolment


def attendance_record(
    *,
    actor: AbstractBaseUser,
    course: Course,
    date: datetime.date,
    present: set[int],
    hours: Decimal = Decimal("4"),
) -> Session:
    """Record one session's attendance for the whole class: every enrolled trainee is marked
    present (their enrolment id is in ``present``) or absent. Recording a date again replaces
    that day's marks."""
    _require_course(actor, course, "teach")
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


def session_roll(course: Course, date: datetime.date) -> Any:
    """The trainees whose attendance is taken on ``date``: enrolled, waiting for a result, and
    enrolled by that day."""
    return (
        course.enrolments.filter(status=Enrolment.Status.ENROLLED, joined_on__lte=date)
        .select_related("member")
        .order_by("member__name", "pk")
    )


@dataclass(frozen=True)
class ResultEntry:
    """One trainee's row of the class results."""

    enrolment_id: int
    result: str
    certificate_type: str = ""
    certificate_number: str = ""


def attendance_threshold() -> Decimal:
    """The attendance (percent) a trainee needs to pass."""
    return Decimal(str(param("training.attendance_threshold")))


def _percent(value: Decimal) -> str:
    """80 → "80", 77.78 → "77.78" (no exponent, no trailing zeros)."""
    return format(value.normalize(), "f")


def result_problems(entry: ResultEntry, rate: Decimal | None) -> list[str]:
    """Why a result cannot be recorded as given (empty when it can)."""
    problems = []
    if entry.result not in RESULTS:
        problems.append(_("Choose passed, failed or dropped out."))
    if entry.result == Enrolment.Status.PASSED:
        threshold = attendance_threshold()
        if rate is None:
            problems.append(_("No session has been recorded, so attendance cannot be judged."))
        elif rate < threshold:
            problems.append(
                _("Attendance %(rate)s%% is below the %(threshold)s%% needed to pass.")
                % {"rate": _percent(rate), "threshold": _percent(threshold)}
            )
        if not entry.certificate_type or not clean_text(entry.certificate_number):
            problems.append(_("Give the certificate type and number of a trainee who passed."))
    return problems


def training_result_apply(
    *, actor: AbstractBaseUser, enrolment: Enrolment, entry: ResultEntry, rate: Decimal | None
) -> Enrolment:
    """Record an enrolment's result and move the case on, inside the caller's transaction.

    Callers check the actor's right and ``result_problems`` first.
    """
    passed = entry.result == Enrolment.Status.PASSED
    enrolment.status, enrolment.result_by, enrolment.result_at = (
        entry.result,
        actor,
        timezone.now(),
    )
    enrolment.attendance_rate = rate
    enrolment.certificate_type = entry.certificate_type if passed else ""
    enrolment.certificate_number = clean_text(entry.certificate_number) if passed else ""
    enrolment.save(
        update_fields=[
            "status",
            "result_by",
            "result_at",
            "attendance_rate",
            "certificate_type",
            "certificate_number",
        ]  # fmt: skip
    )
    audit_record(
        actor=actor,
        action="enrolment.result",
        obj=enrolment,
        household_id=enrolment.member.household_id,
        changes={
            "status": (Enrolment.Status.ENROLLED.value, entry.result),
            "attendance_rate": (None, rate),
            "certificate_type": (None, enrolment.certificate_type),
        },
    )
    case_transition(
        actor=actor,
        case=enrolment.case,
        state=State.SEEKING if passed else State.REASSESSING,
        action="employment_case.trained",
        reason="" if passed else str(Enrolment.Status(entry.result).label),
    )
    return enrolment


def training_result_record(
    *,
    actor: AbstractBaseUser,
    enrolment: Enrolment,
    result: str,
    certificate_type: str = "",
    certificate_number: str = "",
) -> Enrolment:
    """A caseworker records one trainee's result (when the trainer does not)."""
    require(actor, "work_case", enrolment.case.member.household)
    if enrolment.status != Enrolment.Status.ENROLLED:
        raise ValidationError(_("The result of this enrolment is already recorded."))
    entry = ResultEntry(enrolment.pk, result, certificate_type, certificate_number)
    rate = attendance_rates(enrolment.course).get(enrolment.pk)
    problems = result_problems(entry, rate)
    if problems:
        raise ValidationError({"result": problems})
    with transaction.atomic():
        return training_result_apply(actor=actor, enrolment=enrolment, entry=entry, rate=rate)


def course_results_check(
    *, actor: AbstractBaseUser, course: Course, entries: list[ResultEntry]
) -> list[tuple[Enrolment, ResultEntry, Decimal | None]]:
    """The class results still to record, each checked; raises one ValidationError naming every
    bad row (keyed by enrolment id). Rows already recorded, or left blank, are skipped, so
    submitting the same results twice records nothing the second time."""
    _require_course(actor, course, "teach")
    enrolments = {
        e.pk: e
        for e in course.enrolments.select_related("member", "case").filter(
            pk__in=[entry.enrolment_id for entry in entries]
        )
    }
    rates = attendance_rates(course)
    todo, errors = [], {}
    for entry in entries:
        enrolment = enrolments.get(entry.enrolment_id)
        if enrolment is None:
            errors[str(entry.enrolment_id)] = [_("Not a trainee of this class.")]
            continue
        if not entry.result or enrolment.status != Enrolment.Status.ENROLLED:
            continue
        problems = result_problems(entry, rates.get(enrolment.pk))
        if problems:
            errors[str(entry.enrolment_id)] = problems
        else:
            todo.append((enrolment, entry, rates.get(enrolment.pk)))
    if errors:
        raise ValidationError(errors)
    return todo
