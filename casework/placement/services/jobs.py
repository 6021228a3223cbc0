"""Writes to jobs: a job a member has taken recorded (就业落实), with the data-quality rules."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit.services import audit_record
from casework.cases import services as case_services
from casework.cases.models import EmploymentCase
from casework.policy.codes import LocationClass
from casework.policy.models import Code
from casework.policy.params import param
from casework.policy.selectors import code_is_active, code_label
from casework.registry.validators import clean_line, clean_text

from ..models import LOCAL_CHANNELS, Channel, Placement, Vacancy

State = EmploymentCase.State


class DataQualityWarning(ValidationError):
    """Values that are possible but unusual (reference/domain.md §5.11): the caseworker sees
    them and must confirm before they are saved, and the confirmation is recorded."""


OWN_BUSINESS = (Channel.SELF_EMPLOYED, Channel.INDUSTRY)


def _amount(value: Decimal) -> str:
    """100 → "100", 2500.00 → "2500", 99.50 → "99.5" (no exponent, no trailing zeros)."""
    return format(value.normalize(), "f")


def placement_problems(
    *,
    channel: str,
    location_class: str,
    monthly_income: Decimal | None,
    employer_name: str,
    industry: str,
    organised_transport: bool | None,
    on: datetime.date | None = None,
) -> tuple[dict[str, str], list[str]]:
    """Errors (by field) and warnings of a work record, by the §5.11 rules 9–11 with the
    income bounds in force on ``on`` (the job's start date; today by default)."""
    errors: dict[str, str] = {}
    warnings: list[str] = []
    # Rule 11: a current work record needs income, employer, industry, channel and transport;
    # the channel is one of the code list in force on the start date (公益性岗位 has its route).
    if channel == Channel.PUBLIC_WELFARE or not code_is_active(Code.List.CHANNEL, channel, on):
        errors["channel"] = _("Choose the channel through which the job was found.")
    if not employer_name and channel not in OWN_BUSINESS:
        errors["employer_name"] = _("Name the employer (not needed for one's own business).")
    if not industry:
        errors["industry"] = _("Give the industry of the work.")
    if organised_transport is None:
        errors["organised_transport"] = _("Say whether the work came with organised transport.")
    # Rule 9: workshops and public-welfare posts are near home by nature.
    if channel in LOCAL_CHANNELS and location_class and location_class != LocationClass.COUNTY:
        errors["location_class"] = _(
            "Work through %(channel)s is within the county; check the channel or the location."
        ) % {"channel": code_label(Code.List.CHANNEL, channel)}
    # Rule 10: income out of range is an error; very low income is a warning.
    low = Decimal(str(param("placement.income_min", on=on)))
    high = Decimal(str(param("placement.income_max", on=on)))
    unusual = Decimal(str(param("placement.income_unusual_below", on=on)))
    if monthly_income is None:
        errors["monthly_income"] = _("Record the monthly income.")
    elif not low <= monthly_income <= high:
        errors["monthly_income"] = _(
            "A monthly income of %(income)s yuan is outside %(low)s–%(high)s; check the figure."
        ) % {"income": monthly_income, "low": _amount(low), "high": _amount(high)}
    elif monthly_income < unusual:
        warnings.append(
            _("A monthly income of %(income)s yuan is below %(unusual)s for wage work.")
            % {"income": monthly_income, "unusual": _amount(unusual)}
        )
    return errors, warnings


def _vacancy_fit_problems(vacancy: Vacancy, case: EmploymentCase, site_id: int) -> dict[str, str]:
    """A vacancy from the menu must be this site's and fit the member's age and certificates."""
    if vacancy.employer.site_id != site_id:
        return {"vacancy": _("That vacancy is on another site's job menu.")}
    age = case.member.age_on(timezone.localdate())
    if not vacancy.age_min <= age <= vacancy.age_max:
        return {
            "vacancy": _("The vacancy takes people aged %(low)s–%(high)s; the member is %(age)s.")
            % {"low": vacancy.age_min, "high": vacancy.age_max, "age": age}
        }
    if (
        vacancy.required_certificate_trade
        and not case.member.enrolments.filter(status="passed", course__trade=vacancy.trade)
        .exclude(certificate_type="")
        .exists()
    ):
        return {
            "vacancy": _("The vacancy needs a certificate in its trade, which the member lacks.")
        }
    return {}


def placement_record(
    *,
    actor: User,
    case: EmploymentCase,
    channel: str,
    start_date: datetime.date,
    location_class: str,
    monthly_income: Decimal | None,
    employer_name: str = "",
    self_found: bool = False,
    place: str = "",
    contract_months: int | None = None,
    vacancy: Vacancy | None = None,
    industry: str = "",
    organised_transport: bool | None = None,
    accept_warnings: bool = False,
) -> Placement:
    """Record the job a member waiting for placement has taken; the case becomes 已就业.

    A job from the menu (``vacancy``) takes one of its places. Errors block; warnings raise
    ``DataQualityWarning`` until the caseworker accepts them, and are kept on the placement.
    """
    household = case.member.household
    case_services.require(actor, "work_case", household)
    case_services.transition_check(case, State.EMPLOYED)
    employer = vacancy.employer if vacancy else None
    employer_name = clean_text(employer_name) or (employer.name if employer else "")
    industry = clean_text(industry) or (employer.industry if employer else "")
    if vacancy is not None:
        location_class = vacancy.location_class  # where the vacancy is, whatever was typed
    errors, warnings = placement_problems(
        channel=channel,
        location_class=location_class,
        monthly_income=monthly_income,
        employer_name=employer_name,
        industry=industry,
        organised_transport=organised_transport,
        on=start_date,
    )
    today = timezone.localdate()
    ahead = int(param("placement.start_days_ahead", on=today))
    if start_date > today + datetime.timedelta(days=ahead):
        errors["start_date"] = _("The start date is more than %(days)s days ahead.") % {
            "days": ahead
        }
    longest = int(param("placement.contract_months_max", on=start_date))
    if contract_months is not None and contract_months > longest:
        errors["contract_months"] = _(
            "A contract longer than %(months)s months is not plausible."
        ) % {"months": longest}
    if vacancy is not None:
        errors.update(_vacancy_fit_problems(vacancy, case, household.grid.site_id))
    if errors or monthly_income is None:  # a missing income is among the errors
        raise ValidationError(errors)
    if warnings and not accept_warnings:
        raise DataQualityWarning(warnings)
    with transaction.atomic():
        if vacancy is not None:
            # Lock the vacancy row: two caseworkers must not both take its last place.
            locked = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
            today = timezone.localdate()
            if locked.filled >= locked.headcount or not (
                locked.valid_from <= today <= locked.valid_to
            ):
                raise ValidationError({"vacancy": _("That vacancy is full or no longer open.")})
            locked.filled = F("filled") + 1
            locked.save(update_fields=["filled"])
        placement = Placement.objects.create(
            member=case.member,
            case=case,
            channel=channel,
            employer=employer,
            vacancy=vacancy,
            employer_name=employer_name,
            industry=industry,
            self_found=self_found,
            start_date=start_date,
            location_class=location_class,
            place=clean_line(place),
            monthly_income=monthly_income,
            contract_months=contract_months,
            organised_transport=organised_transport,
            warnings=[str(w) for w in warnings],
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="placement.create",
            obj=placement,
            household_id=household.pk,
            changes={
                "channel": (None, channel),
                "employer_name": (None, employer_name),
                "vacancy": (None, vacancy.pk if vacancy else None),
                "start_date": (None, start_date),
                "monthly_income": (None, monthly_income),
                "warnings_accepted": (None, [str(w) for w in warnings]),
            },
        )
        case_services.case_transition(
            actor=actor,
            case=case,
            to=State.EMPLOYED,
            action="employment_case.placed",
            extra={"working_since": start_date},
        )
    return placement
