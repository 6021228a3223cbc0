"""Writes to results: a trainee's result recorded (passed → placement, otherwise →
reassessment), one at a time or checked for a whole class."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import permissions
from casework.audit.services import audit_record
from casework.cases import services as case_services
from casework.cases.models import EmploymentCase
from casework.policy.params import param
from casework.registry.validators import clean_text

from ..models import Course, Enrolment
from ..selectors import attendance_rates
from .courses import require_course

State = EmploymentCase.State
RESULTS = (Enrolment.Status.PASSED, Enrolment.Status.FAILED, Enrolment.Status.DROPPED)


@dataclass(frozen=True)
class ResultEntry:
    """One trainee's row of the class results."""

    enrolment_id: int
    result: str
    certificate_type: str = ""
    certificate_number: str = ""


def attendance_threshold(course: Course) -> Decimal:
    """The attendance (percent) a trainee of ``course`` needs to pass: the value in force on the
    course's start date, so that a later change does not judge a class that began before it."""
    return Decimal(str(param("training.attendance_threshold", on=course.start_date)))


def _percent(value: Decimal) -> str:
    """80 → "80", 77.78 → "77.78" (no exponent, no trailing zeros)."""
    return format(value.normalize(), "f")


def result_problems(entry: ResultEntry, rate: Decimal | None, threshold: Decimal) -> list[str]:
    """Why a result cannot be recorded as given (empty when it can), ``threshold`` being the
    course's pass mark (``attendance_threshold``)."""
    problems = []
    if entry.result not in RESULTS:
        problems.append(_("Choose passed, failed or dropped out."))
    if entry.result == Enrolment.Status.PASSED:
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
    *, actor: User, enrolment: Enrolment, entry: ResultEntry, rate: Decimal | None
) -> Enrolment:
    """Record an enrolment's result and move the case on, inside the caller's transaction.

    Callers check the actor's right and ``result_problems`` first. The pass mark applied
    (``attendance_threshold``) is kept on the enrolment and in the event, for the case file.
    """
    passed = entry.result == Enrolment.Status.PASSED
    enrolment.status, enrolment.result_by, enrolment.result_at = (
        entry.result,
        actor,
        timezone.now(),
    )
    enrolment.attendance_rate = rate
    enrolment.attendance_threshold = attendance_threshold(enrolment.course)
    enrolment.certificate_type = entry.certificate_type if passed else ""
    enrolment.certificate_number = clean_text(entry.certificate_number) if passed else ""
    enrolment.save(
        update_fields=[
            "status",
            "result_by",
            "result_at",
            "attendance_rate",
            "attendance_threshold",
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
            "attendance_threshold": (None, enrolment.attendance_threshold),
            "certificate_type": (None, enrolment.certificate_type),
        },
    )
    case_services.case_transition(
        actor=actor,
        case=enrolment.case,
        to=State.SEEKING if passed else State.REASSESSING,
        action="employment_case.trained",
        reason="" if passed else str(Enrolment.Status(entry.result).label),
    )
    return enrolment


def result_recorded_by_trainer(course: Course) -> str | None:
    """Why a caseworker does not record a result of ``course``: its trainers record the class's
    results, which completes each trainee's step (a sentence naming the course and trainers).
    None when the course has no trainer: then the caseworker records it."""
    trainers = [
        user.get_full_name() or user.get_username() for user in permissions.course_trainers(course)
    ]
    if not trainers:
        return None
    return _(
        "The results of %(course)s are recorded by its trainer %(trainers)s for the whole class; "
        "this step completes itself when they do."
    ) % {"course": course.name, "trainers": "、".join(trainers)}


def training_result_record(
    *,
    actor: User,
    enrolment: Enrolment,
    result: str,
    certificate_type: str = "",
    certificate_number: str = "",
) -> Enrolment:
    """A caseworker records one trainee's result, for a course without a trainer; a course's
    trainers record its results themselves (``course_results_check``), so that is refused."""
    case_services.require(actor, "work_case", enrolment.case.member.household)
    if enrolment.status != Enrolment.Status.ENROLLED:
        raise ValidationError(_("The result of this enrolment is already recorded."))
    by_trainer = result_recorded_by_trainer(enrolment.course)
    if by_trainer:
        raise ValidationError({"result": by_trainer})
    entry = ResultEntry(enrolment.pk, result, certificate_type, certificate_number)
    rate = attendance_rates(enrolment.course).get(enrolment.pk)
    problems = result_problems(entry, rate, attendance_threshold(enrolment.course))
    if problems:
        raise ValidationError({"result": problems})
    with transaction.atomic():
        return training_result_apply(actor=actor, enrolment=enrolment, entry=entry, rate=rate)


def course_results_check(
    *, actor: User, course: Course, entries: list[ResultEntry]
) -> list[tuple[Enrolment, ResultEntry, Decimal | None]]:
    """The class results still to record, each checked; raises one ValidationError naming every
    bad row (keyed by enrolment id). Rows already recorded, or left blank, are skipped, so
    submitting the same results twice records nothing the second time."""
    require_course(actor, course, "teach")
    enrolments = {
        e.pk: e
        for e in course.enrolments.select_related("member", "case").filter(
            pk__in=[entry.enrolment_id for entry in entries]
        )
    }
    rates = attendance_rates(course)
    threshold = attendance_threshold(course)
    todo, errors = [], {}
    for entry in entries:
        enrolment = enrolments.get(entry.enrolment_id)
        if enrolment is None:
            errors[str(entry.enrolment_id)] = [_("Not a trainee of this class.")]
            continue
        if not entry.result or enrolment.status != Enrolment.Status.ENROLLED:
            continue
        problems = result_problems(entry, rates.get(enrolment.pk), threshold)
        if problems:
            errors[str(entry.enrolment_id)] = problems
        else:
            todo.append((enrolment, entry, rates.get(enrolment.pk)))
    if errors:
        raise ValidationError(errors)
    return todo
