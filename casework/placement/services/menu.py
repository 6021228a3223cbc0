"""Writes to the job menu (三单制 岗位清单): employers and their vacancies."""

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import uscc

from casework import permissions
from casework.audit.services import audit_record
from casework.policy.models import Code
from casework.policy.params import param
from casework.policy.selectors import code_is_active
from casework.registry.models import Site
from casework.registry.validators import clean_line, clean_text, normalize_phone

from ..models import Employer, Vacancy


def _require_site(actor: User, site: Site, perm: str) -> None:
    """The actor holds ``perm`` and does casework at ``site`` (superusers: any site)."""
    if not actor.has_perm(perm) or not (
        actor.is_superuser or permissions.sites_worked_by(actor).filter(pk=site.pk).exists()
    ):
        raise PermissionDenied(_("You may not change the job menu of this site."))


def employer_create(
    *,
    actor: User,
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
    actor: User, site: Site, name: str, kind: str, location_class: str, code: str,
    details: dict[str, Any],
) -> Employer:  # fmt: skip
    """Create the employer and its audit event (inside the caller's transaction)."""
    employer = Employer.objects.create(
        site=site,
        name=name,
        kind=kind,
        location_class=location_class,
        credit_code=code or None,
        **{k: clean_line(v) if isinstance(v, str) else v for k, v in details.items()},
    )
    audit_record(
        actor=actor,
        action="employer.create",
        obj=employer,
        household_id=None,
        changes={"name": (None, name), "kind": (None, kind), "credit_code": (None, code)},
    )
    return employer


def _vacancy_age_problems(vacancy: Vacancy) -> dict[str, str]:
    """A vacancy's ages lie within ``vacancy.age_lowest``..``vacancy.age_highest`` as in force
    on the day it is added."""
    today = timezone.localdate()
    lowest = int(param("vacancy.age_lowest", on=today))
    highest = int(param("vacancy.age_highest", on=today))
    errors = {}
    if vacancy.age_min < lowest:
        errors["age_min"] = _("The minimum age is at least %(age)s.") % {"age": lowest}
    if vacancy.age_max > highest:
        errors["age_max"] = _("The maximum age is at most %(age)s.") % {"age": highest}
    return errors


def vacancy_create(*, actor: User, employer: Employer, **fields: Any) -> Vacancy:
    """Add a line to the job menu."""
    _require_site(actor, employer.site, "placement.add_vacancy")
    vacancy = Vacancy(employer=employer, **fields)
    vacancy.title = clean_line(vacancy.title)
    try:
        vacancy.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    errors = _vacancy_age_problems(vacancy)
    if not code_is_active(Code.List.TRADE, vacancy.trade, timezone.localdate()):
        errors["trade"] = _("Choose a trade of the list in force.")
    if errors:
        raise ValidationError(errors)
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
