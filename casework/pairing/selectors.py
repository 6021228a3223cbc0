"""Reads of pairing: a helper's households and households overdue for a visit."""

import datetime
from typing import TYPE_CHECKING, TypedDict, cast

from django.contrib.auth.models import User as AuthUser
from django.db.models import (
    Case,
    DateField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from casework import permissions
from casework.permissions import User
from casework.policy.params import param
from casework.registry.models import Household, Member

from .models import Pairing, Visit


class VisitDue(TypedDict):
    """What ``with_visit_due`` annotates on a household (in the database)."""

    last_visit: datetime.date | None
    visit_interval: int
    visit_since: datetime.date


class NextVisit(VisitDue):
    """Also the day the next visit is due (``helper_households`` sets it)."""

    visit_due: datetime.date


class HelperHousehold(NextVisit):
    """Also the head's name and phone, masked (``helper_households``)."""

    head_name: str | None
    head_number: str | None  # whole: for deciding whether to offer a call, never shown
    head_phone: str


class OverdueVisit(NextVisit):
    """Also who answers for the visit and how late it is (``households_overdue_for_visit``)."""

    responsible: str
    days_overdue: int


if TYPE_CHECKING:
    # django-stubs' helper (a development dependency) for a model with extra attributes.
    from django_stubs_ext import WithAnnotations

    HouseholdVisitDue = WithAnnotations[Household, VisitDue]
    HouseholdNextVisit = WithAnnotations[Household, NextVisit]
    HouseholdOfHelper = WithAnnotations[Household, HelperHousehold]
    HouseholdOverdue = WithAnnotations[Household, OverdueVisit]


def cadence_days() -> dict[str, int]:
    """Days between visits per 三色 label (``household.followup_days``)."""
    return {key: int(value) for key, value in param("household.followup_days").items()}


def with_visit_due(
    households: QuerySet[Household], days: dict[str, int] | None = None
) -> "QuerySet[HouseholdVisitDue]":
    """Annotate the last visit and the day the next one is due: the label's interval after the
    last visit, or after registration when nobody has visited yet. ``days``: the cadence, if the
    caller has read it already."""
    days = cadence_days() if days is None else days
    interval = Case(
        *[When(colour=colour, then=Value(n)) for colour, n in days.items()],
        default=Value(max(days.values(), default=30)),
        output_field=IntegerField(),
    )
    since = Coalesce(Max("visits__date"), TruncDate("created_at"), output_field=DateField())
    return households.annotate(
        last_visit=Max("visits__date"),
        visit_interval=interval,
        visit_since=since,
    )


def _due(household: "HouseholdVisitDue") -> datetime.date:
    return household.visit_since + datetime.timedelta(days=household.visit_interval)


def overdue_for_visit(households: QuerySet[Household], on: datetime.date) -> QuerySet[Household]:
    """The households of ``households`` with an open assistance case whose label's visit is
    overdue on ``on`` (its due day is before ``on``), filtered in the database: the rule of
    ``households_overdue_for_visit`` for counting any number of households in one query."""
    days = cadence_days()
    due = with_visit_due(households.filter(cases__closed_at__isnull=True), days)
    late = Q()
    for interval in {*days.values(), max(days.values(), default=30)}:
        cutoff = on - datetime.timedelta(days=interval)
        late |= Q(visit_interval=interval, visit_since__lt=cutoff)
    return due.filter(late)


def households_overdue_for_visit(
    user: User, on: datetime.date | None = None
) -> "list[HouseholdOverdue]":
    """Households in the user's jurisdiction whose label's visit is overdue on ``on``, longest
    overdue first (two queries)."""
    day = on or timezone.localdate()
    households = with_visit_due(
        permissions.households_visible_to(user).filter(cases__closed_at__isnull=True)
    ).select_related("grid")
    # The loop below gives each of them the attributes ``OverdueVisit`` adds.
    overdue = cast("list[HouseholdOverdue]", [h for h in households if _due(h) < day])
    responsible = param("household.responsible_level")
    for household in overdue:
        household.responsible = responsible.get(household.colour, "")
        household.visit_due = _due(household)
        household.days_overdue = (day - household.visit_due).days
    return sorted(overdue, key=lambda h: (h.visit_due, h.number))


def helper_households(helper: AuthUser) -> "list[HouseholdOfHelper]":
    """The households a helper looks after now, with their head (name, phone masked: the helper
    calls through tap-to-call) and their next visit due."""
    paired = Pairing.objects.filter(helper=helper, end_date__isnull=True).values("household_id")
    heads = Member.objects.filter(household=OuterRef("pk"), relationship=Member.Relationship.HEAD)
    due = with_visit_due(Household.objects.filter(pk__in=paired)).annotate(
        head_name=Subquery(heads.values("name")[:1]),
        head_number=Subquery(heads.values("phone")[:1]),
    )
    # The loop below gives each of them the attributes ``HelperHousehold`` adds.
    households = cast("list[HouseholdOfHelper]", list(due.select_related("grid")))
    shown = permissions.PersonalData()
    for household in households:
        household.visit_due = _due(household)
        household.head_phone = shown.phone(household.head_number or household.phone)
    return sorted(households, key=lambda h: (h.visit_due, h.number))


def visits_recent(household: Household, limit: int = 5) -> QuerySet[Visit]:
    """The household's latest visits, newest first, with who made them (one query)."""
    return household.visits.select_related("visitor").order_by("-date", "-pk")[:limit]
