"""Reads of training: rosters and attendance rates."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet

from casework.registry.validators import mask_document_number, mask_phone

from .models import Course, Enrolment, Session


def attendance_rates(course: Course) -> dict[int, Decimal | None]:
    """Each enrolment's attendance so far, in percent of the course's recorded sessions (two
    decimals); None when no session has been recorded yet. Two queries."""
    held = Session.objects.filter(course=course).count()
    rows = course.enrolments.annotate(
        present=Count("attendance", filter=Q(attendance__present=True))
    ).values_list("pk", "present")
    if not held:
        return {pk: None for pk, _present in rows}
    return {
        pk: (Decimal(present) * 100 / held).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        for pk, present in rows
    }


def course_roster(course: Course) -> QuerySet[Enrolment]:
    """The class, with each trainee's member and attendance count, in name order."""
    return (
        course.enrolments.select_related("member")
        .annotate(present=Count("attendance", filter=Q(attendance__present=True)))
        .order_by("member__name", "pk")
    )


@dataclass(frozen=True)
class RosterRow:
    """A trainee as the trainer sees them: no household, masked identifiers."""

    enrolment: Enrolment
    name: str
    document: str
    phone: str
    present: int
    held: int
    rate: Decimal | None


def roster_rows(course: Course, held: int | None = None) -> list[RosterRow]:
    """The class roster with attendance so far; three queries whatever the class size."""
    if held is None:
        held = Session.objects.filter(course=course).count()
    rows = []
    for enrolment in course_roster(course):
        member = enrolment.member
        rate = (
            (Decimal(enrolment.present) * 100 / held).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
            if held
            else None
        )
        rows.append(
            RosterRow(
                enrolment=enrolment,
                name=member.name,
                document=mask_document_number(member.document_number),
                phone=mask_phone(member.phone),
                present=enrolment.present,
                held=held,
                rate=rate,
            )
        )
    return rows
