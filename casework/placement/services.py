"""Writes to employment episodes: a job recorded, a job or post ended."""

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import uscc

from casework import permissions
from casework.audit.services import audit_record
from casework.cases.models import EmploymentCase
from casework.cases.services import case_transition, require
from casework.policy.codes import LocationClass
from casework.posts.models import ExitReason, PostAssignment
from casework.posts.services import assignment_end
from casework.registry.models import Site
from casework.registry.validators import clean_text, normalize_phone

from .models import LOCAL_CHANNELS, Channel, Employer, Placement, Vacancy

State = EmploymentCase.State


class DataQualityWarning(ValidationError):
    """Values that are possible but unusual (reference/domain.md §5.11): the caseworker sees
    them and must confirm before they are saved, and the confirmation is recorded."""


# Monthly income bounds of data-quality rule 10 (yuan).
INCOME_IMPOSSIBLE_BELOW = Decimal("100")
INCOME_IMPOSSIBLE_ABOVE = Decimal("30000")
INCOME_UNUSUAL_BELOW = Decimal("400")
OWN_BUSINESS = (Channel.SELF_EMPLOYED, Channel.INDUSTRY)


def placement_problems(
    *,
    channel: str,
    location_class: str,
    monthly_income: Decimal | None,
    employer_name: str,
    industry: str,
    organised_transport: bool | None,
) -> tuple[dict[str, str], list[str]]:
    """Errors (by field) and warnings of a work record, by the §5.11 rules 9–11."""
    errors: dict[str, str] = {}
    warnings: list[str] = []
    # Rule 11: a current work record needs income, employer, industry, channel and transport.
    if channel not in Channel.values or channel == Channel.PUBLIC_WELFARE:
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
        ) % {"channel": Channel(channel).label}
    # Rule 10: income out of range is an error; very low income is a warning.
    if monthly_income is None:
        errors["monthly_income"] = _("Record the monthly income.")
    elif not INCOME_IMPOSSIBLE_BELOW <= monthly_income <= INCOME_IMPOSSIBLE_ABOVE:
        errors["monthly_income"] = _(
            "A monthly income of %(income)s yuan is outside 100–30,000; check the figure."
        ) % {"income": monthly_income}
    elif monthly_income < INCOME_UNUSUAL_BELOW:
        warnings.append(
            _("A monthly income of %(income)s yuan is below 400 for wage work.")
            % {"income": monthly_income}
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
    actor: AbstractBaseUser,
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
    require(actor, "work_case", household)
    if case.state != State.SEEKING:
        raise ValidationError(_("The member is not waiting for placement."))
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
    )
    if start_date > timezone.localdate() + datetime.timedelta(days=31):
        errors["start_date"] = _("The start date is more than a month ahead.")
    if contract_months is not None and contract_months > 120:
        errors["contract_months"] = _("A contract longer than 120 months is not plausible.")
    if vacancy is not None:
        errors.update(_vacancy_fit_problems(vacancy, case, household.grid.site_id))
    if errors:
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
            place=clean_text(place),
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
        case_transition(
            actor=actor,
            case=case,
            state=State.EMPLOYED,
            action="employment_case.placed",
            extra={"working_since": start_date},
        )
    return placement


def episode_end(*, actor: AbstractBaseUser, case: EmploymentCase, reason: str) -> None:
    """The member lost their job or left their post, inside the caller's transaction.

    After a job the case goes back to placement; after a public-welfare post, to reassessment.
    """
    today = timezone.localdate()
    if case.state == State.EMPLOYED:
        placement = Placement.objects.get(case=case, end_date__isnull=True)
        placement.end_date, placement.end_reason = today, reason
        placement.save(update_fields=["end_date", "end_reason"])
        if placement.vacancy_id:  # the place on the job menu is free again
            Vacancy.objects.filter(pk=placement.vacancy_id, filled__gt=0).update(
                filled=F("filled") - 1
            )
        obj, next_state = placement, State.SEEKING
    elif case.state == State.ON_POST:
        post = PostAssignment.objects.get(case=case, status=PostAssignment.Status.ON_POST)
        if post.post_id is None:  # an assignment from before posts had quotas
            post.status, post.end_date, post.exit_note = PostAssignment.Status.ENDED, today, reason
            post.save(update_fields=["status", "end_date", "exit_note"])
        else:
            assignment_end(actor=actor, assignment=post, reason=ExitReason.OTHER, note=reason)
        obj, next_state = post, State.REASSESSING
    else:
        raise ValidationError(_("The member is not in work."))
    audit_record(
        actor=actor,
        action=f"{obj._meta.model_name}.end",
        obj=obj,
        household_id=case.member.household_id,
        changes={"end_date": (None, today)},
        reason=reason,
    )
    case_transition(
        actor=actor,
        case=case,
        state=next_state,
        action="employment_case.lost_work",
        reason=reason,
        extra={"working_since": None},
    )


def _require_site(actor: AbstractBaseUser, site: Site, perm: str) -> None:
    if not actor.has_perm(perm) or not (
        actor.is_superuser or permissions.grids_worked_by(actor).filter(site=site).exists()
    ):
        raise PermissionDenied(_("You may not change the job menu of this site."))


def employer_create(
    *,
    actor: AbstractBaseUser,
    site: Site,
    name: str,
    kind: str,
    location_class: str,
    credit_code: str = "",
    **details: Any,
) -> Employer:
    """Put an employer on the site's job menu. A 统一社会信用代码, when given, must carry a
    correct check character."""
    _require_site(actor, site, "placement.add_employer")
    errors: dict[str, str] = {}
    name = clean_text(name)
    if not name:
        errors["name"] = _("Name the employer.")
    code = clean_text(credit_code).upper()
    if code:
        if not uscc.is_valid(code):
            errors["credit_code"] = _(
                "%(code)s is not a valid unified social credit code (18 characters, the last "
                "one a check character)."
            ) % {"code": code}
        elif Employer.objects.filter(credit_code=code).exists():
            errors["credit_code"] = _("An employer with this credit code is already listed.")
    if details.get("contact_phone"):
        try:
            details["contact_phone"] = normalize_phone(
                details["contact_phone"], field_label=_("contact phone")
            )
        except ValidationError as exc:
            errors["contact_phone"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            employer = _employer_save(actor, site, name, kind, location_class, code, details)
    except IntegrityError as exc:  # the same code added at the same moment by someone else
        raise ValidationError(
            {"credit_code": _("An employer with this credit code is already listed.")}
        ) from exc
    return employer


def _employer_save(
    actor: AbstractBaseUser, site: Site, name: str, kind: str, location_class: str, code: str,
    details: dict[str, Any],
) -> Employer:  # fmt: skip
    """Create the employer and its audit event (inside the caller's transaction)."""
    employer = Employer.objects.create(
        site=site,
        name=name,
        kind=kind,
        location_class=location_class,
        credit_code=code or None,
        **{k: clean_text(v) if isinstance(v, str) else v for k, v in details.items()},
    )
    audit_record(
        actor=actor,
        action="employer.create",
        obj=employer,
        household_id=None,
        changes={"name": (None, name), "kind": (None, kind), "credit_code": (None, code)},
    )
    return employer


def vacancy_create(*, actor: AbstractBaseUser, employer: Employer, **fields: Any) -> Vacancy:
    """Add a line to the job menu."""
    _require_site(actor, employer.site, "placement.add_vacancy")
    vacancy = Vacancy(employer=employer, **fields)
    vacancy.title = clean_text(vacancy.title)
    try:
        vacancy.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    with transaction.atomic():
        vacancy.save()
        audit_record(
            actor=actor,
            action="vacancy.create",
            obj=vacancy,
            household_id=None,
            changes={"title": (None, vacancy.title), "headcount": (None, vacancy.headcount)},
        )
    return vacancy
