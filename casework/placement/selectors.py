"""Reads of placement: the job menu and the vacancies that suit a member (三单制 matching)."""

import datetime

from django.db.models import (
    Case,
    Expression,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from casework.cases.models import EmploymentCase
from casework.policy.codes import DesiredArea, LocationClass
from casework.policy.models import Code
from casework.policy.params import param
from casework.policy.selectors import with_code_label
from casework.training.models import Enrolment

from .models import Channel, Employer, Vacancy


def open_vacancies(site_id: int, day: datetime.date) -> QuerySet[Vacancy]:
    """Vacancies of the site's employers that are valid on ``day`` and not yet full."""
    return Vacancy.objects.filter(
        employer__site_id=site_id,
        valid_from__lte=day,
        valid_to__gte=day,
        filled__lt=F("headcount"),
    )


def vacancy_suggestions(
    case: EmploymentCase, *, on: datetime.date | None = None, limit: int = 10
) -> list[Vacancy]:
    """The open vacancies that fit the member, best first, in three queries.

    Fit: the member's age is within the vacancy's range, and a vacancy that needs a certificate
    in its trade is offered only to members who passed a course in that trade. Rank: a trade
    they hold a certificate in, the trade they want, the area they want (points for each by
    ``vacancy.ranking_weights`` on ``day``), then the better pay.
    """
    day = on or timezone.localdate()
    weights = {key: int(points) for key, points in param("vacancy.ranking_weights", on=day).items()}
    member = case.member
    age = member.age_on(day)
    wish = member.assessments.order_by("-version").first()
    certified = list(
        Enrolment.objects.filter(member=member, status=Enrolment.Status.PASSED)
        .exclude(certificate_type="")
        .values_list("course__trade", flat=True)
    )
    vacancies = open_vacancies(member.household.grid.site_id, day).filter(
        age_min__lte=age, age_max__gte=age
    )
    vacancies = vacancies.filter(Q(required_certificate_trade=False) | Q(trade__in=certified))
    desired_trade = wish.desired_trade if wish else ""
    desired_area = wish.desired_area if wish else ""
    area_match = (
        Q(pk__isnull=False)
        if desired_area in ("", DesiredArea.ANY)
        else Q(location_class=desired_area)
    )
    score: Expression = Case(
        When(trade__in=certified, then=Value(weights.get("certified_trade", 0))), default=Value(0)
    )
    if desired_trade:
        score = score + Case(
            When(trade=desired_trade, then=Value(weights.get("desired_trade", 0))), default=Value(0)
        )
    score = score + Case(
        When(area_match, then=Value(weights.get("desired_area", 0))), default=Value(0)
    )
    return list(
        with_code_label(vacancies, "trade", Code.List.TRADE)
        .annotate(
            score=ExpressionWrapper(score, output_field=IntegerField()),
            places_left=F("headcount") - F("filled"),
        )
        .select_related("employer")
        .order_by("-score", "-wage_max", "valid_to", "pk")[:limit]
    )


# The channel a job from the menu comes through, by its employer's type.
CHANNEL_BY_EMPLOYER_KIND: dict[str, str] = {
    Employer.Kind.WORKSHOP: Channel.WORKSHOP,
    Employer.Kind.PARK_FACTORY: Channel.WORKSHOP,
    Employer.Kind.LABOUR_AGENCY: Channel.ORGANISED,
}


def vacancy_placement_defaults(vacancy: Vacancy) -> dict[str, str]:
    """What a placement in ``vacancy`` records unless the caseworker says otherwise: the
    channel (by the employer's type), employer, industry and where the work is."""
    employer = vacancy.employer
    return {
        "channel": str(CHANNEL_BY_EMPLOYER_KIND.get(employer.kind, Channel.ENTERPRISE)),
        "employer_name": employer.name,
        "industry": employer.industry,
        "location_class": vacancy.location_class,
        "place": employer.place,
    }


def placement_applies(location_class: str) -> dict[str, bool]:
    """Which placement fields apply to work at ``location_class``: organised door-to-door
    transport (点对点) only to work away from the county."""
    return {"organised_transport": bool(location_class) and location_class != LocationClass.COUNTY}
