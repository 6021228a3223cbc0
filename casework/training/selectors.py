"""Reads of training: rosters and attendance rates."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, TypedDict

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from casework import permissions
from casework.registry.models import Household
from casework.registry.validators import mask_document_number, mask_phone

from .models import Course, Enrolment, Session

if TYPE_CHECKING:  # django-stubs-ext is a development dependency
    from django_stubs_ext import WithAnnotations


def _rate(present: int, held: int) -> Decimal | None:
    if not held:
        return None
    return (Decimal(present) * 100 / held).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def attendance_rates(course: Course) -> dict[int, Decimal | None]:
    """Each enrolment's attendance so far, in percent (two decimals) of the course's sessions
    held on or after the day the trainee joined (``Enrolment.joined_on``): classes before a
    late joining do not count. None before any such session. One query."""
    return {row.pk: _rate(row.present, row.held) for row in course_roster(course)}


class _Attended(TypedDict):
    """What ``course_roster`` adds to each enrolment."""

    present: int
    held: int


def course_roster(course: Course) -> "QuerySet[WithAnnotations[Enrolment, _Attended]]":
    """The class, in name order, with each trainee's member and attendance: ``held`` counts the
    course's sessions on or after the day they joined, ``present`` those they attended."""
    held_since_joining = (
        Session.objects.filter(course=OuterRef("course_id"), date__gte=OuterRef("joined_on"))
        .order_by()
        .values("course")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        course.enrolments.select_related("member")
        .annotate(
            present=Count(
                "attendance",
                filter=Q(attendance__present=True, attendance__session__date__gte=F("joined_on")),
            ),
            held=Coalesce(Subquery(held_since_joining, output_field=IntegerField()), 0),
        )
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
    held: int  # the course's sessions on or after the day the trainee joined
    rate: Decimal | None


def roster_households(user: User | AnonymousUser, course: Course) -> QuerySet[Household] | None:
    """Whose trainees the user may see on the roster: the whole class (None) for its trainers,
    otherwise only the households in the user's jurisdiction (a caseworker's own grids)."""
    if "teach" in permissions.course_rights(user, course):
        return None
    return permissions.households_visible_to(user)


def roster_rows(course: Course, households: QuerySet[Household] | None = None) -> list[RosterRow]:
    """The class roster with each trainee's attendance since joining, limited to ``households``
    when given (a caseworker sees the trainees of their own grids); one query whatever the class
    size."""
    enrolments = course_roster(course)
    if households is not None:
        enrolments = enrolments.filter(member__household__in=households)
    return [
        RosterRow(
            enrolment=enrolment,
            name=enrolment.member.name,
            document=mask_document_number(enrolment.member.document_number),
            phone=mask_phone(enrolment.member.phone),
            present=enrolment.present,
            held=enrolment.held,
            rate=_rate(enrolment.present, enrolment.held),
        )
        for enrolment in enrolments
    ]
