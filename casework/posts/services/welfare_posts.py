"""Writes to public-welfare posts themselves: a post set up and the report of a vacated place
(空岗报告). The monthly attendance is entered per post and month (``rolls``)."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import permissions
from casework.audit.services import audit_record
from casework.cases import services as case_services
from casework.policy.params import param
from casework.registry.models import Site
from casework.registry.validators import clean_note, clean_text

from ..models import PostVacancy, WelfarePost


def post_create(
    *,
    actor: User,
    site: Site,
    name: str,
    kind: str,
    quota: int,
    monthly_subsidy: Any,
    term_months: int | None = None,
    extended_age: bool = False,
) -> WelfarePost:
    """Set up a public-welfare post at a site the actor manages; its term is at most
    ``posts.term_months_max`` months (``posts.term_months_default`` unless given)."""
    if not actor.has_perm("posts.add_welfarepost") or not (
        permissions.sites_managed_by(actor).filter(pk=site.pk).exists()
    ):
        raise PermissionDenied(_("You may not set up posts at this site."))
    today = timezone.localdate()
    if term_months is None:
        term_months = int(param("posts.term_months_default", on=today))
    longest = int(param("posts.term_months_max", on=today))
    errors = {}
    if term_months > longest:
        errors["term_months"] = _("The term of a post is at most %(months)s months.") % {
            "months": longest
        }
    floor = param("posts.subsidy_floor", on=today)
    try:
        too_low = Decimal(str(monthly_subsidy)) < Decimal(str(floor))
    except InvalidOperation:
        too_low = False  # not a number: the model's own check names it
    if too_low:
        errors["monthly_subsidy"] = _(
            "The monthly subsidy of a post is at least %(floor)s yuan (the local floor)."
        ) % {"floor": floor}
    if errors:
        raise ValidationError(errors)
    post = WelfarePost(
        site=site, name=clean_text(name), kind=kind, quota=quota,
        monthly_subsidy=monthly_subsidy, term_months=term_months, extended_age=extended_age,
    )  # fmt: skip
    try:
        post.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    with transaction.atomic():
        post.save()
        audit_record(
            actor=actor,
            action="welfare_post.create",
            obj=post,
            household_id=None,
            changes={"name": (None, post.name), "quota": (None, quota)},
        )
    return post


def post_vacancy_report(*, actor: User, vacancy: PostVacancy, recommendation: str) -> PostVacancy:
    """Report the vacated place and recommend who should fill it (空岗报告, 补充推荐)."""
    case_services.require(actor, "work_case", vacancy.vacated_by.member.household)
    recommendation = clean_note(recommendation)
    if not recommendation:
        raise ValidationError({"recommendation": _("Say whom you recommend, or why nobody.")})
    with transaction.atomic():
        vacancy.reported_at, vacancy.reported_by = timezone.now(), actor
        vacancy.recommendation = recommendation
        vacancy.save(update_fields=["reported_at", "reported_by", "recommendation"])
        audit_record(
            actor=actor,
            action="post_vacancy.report",
            obj=vacancy,
            household_id=vacancy.vacated_by.member.household_id,
            changes={"reported_at": (None, vacancy.reported_at)},
        )
    return vacancy
