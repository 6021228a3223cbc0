"""Writes to public-welfare posts: the posts, applications and decisions, monthly attendance,
exits, term expiry and vacated places."""

import datetime
import logging
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import permissions
from casework.audit.services import audit_record
from casework.cases.models import Category, EmploymentCase
from casework.cases.services import case_transition, require
from casework.policy.params import param
from casework.registry.models import Household, Member, Site
from casework.registry.validators import clean_text

from .models import ExitReason, PostAssignment, PostAttendance, PostType, PostVacancy, WelfarePost
from .signals import post_vacated

State = EmploymentCase.State
logger = logging.getLogger(__name__)
# Data-quality rule 8 (reference/domain.md §5.11): nobody aged 70 or more holds a post.
AGE_NEVER_ON_POST = 70


def post_create(
    *,
    actor: AbstractBaseUser,
    site: Site,
    name: str,
    kind: str,
    quota: int,
    monthly_subsidy: Any,
    term_months: int = 12,
    extended_age: bool = False,
) -> WelfarePost:
    """Set up a public-welfare post at a site the actor manages."""
    if not actor.has_perm("posts.add_welfarepost") or not (
        actor.is_superuser or site.pk in permissions.jurisdiction_of(actor).managed_site_ids
    ):
        raise PermissionDenied(_("You may not set up posts at this site."))
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


def post_apply(
    *, actor: AbstractBaseUser, case: EmploymentCase, post: WelfarePost, note: str = ""
) -> PostAssignment:
    """Apply for a place on a public-welfare post for a 三无 member; the manager decides."""
    household = case.member.household
    require(actor, "work_case", household)
    if case.state != State.AWAITING_POST:
        raise ValidationError(_("The member is not waiting for a public-welfare post."))
    if post.site_id != household.grid.site_id:
        raise ValidationError({"post": _("That post belongs to another site.")})
    if case.posts.filter(status=PostAssignment.Status.APPLIED).exists():
        raise ValidationError(_("An application for this member is already awaiting a decision."))
    with transaction.atomic():
        assignment = PostAssignment.objects.create(
            member=case.member, case=case, post=post, post_type=post.kind,
            note=note.strip(), applied_by=actor,
        )  # fmt: skip
        audit_record(
            actor=actor,
            action="post.apply",
            obj=assignment,
            household_id=household.pk,
            changes={"post": (None, post.pk), "post_type": (None, post.kind)},
        )
    return assignment


def _labour_capacity(member: Member) -> str:
    last = member.assessments.order_by("-version").values_list("labour_capacity", flat=True)
    return last.first() or member.labour_capacity


def post_eligibility(
    case: EmploymentCase, post: WelfarePost, on: datetime.date | None = None
) -> list[str]:
    """Every rule the member fails for a place on ``post`` (empty when eligible)."""
    day = on or timezone.localdate()
    member = case.member
    failed = []
    weak = _labour_capacity(member) == Member.LabourCapacity.WEAK
    if case.category != Category.THREE_NO and not weak:
        failed.append(_("Posts are for three-nos members or those with weak or half labour."))
    age = member.age_on(max(day, timezone.localdate()))
    limit = int(param("posts.age_limit"))
    extended = int(param("posts.age_limit_extended"))
    healthy = member.health == Member.Health.HEALTHY
    if age > limit and not (post.extended_age and healthy and age <= extended):
        if post.extended_age and age <= extended:
            failed.append(
                _("Aged %(age)s: over %(limit)s only healthy people may hold this post.")
                % {"age": age, "limit": limit}
            )
        else:
            failed.append(
                _("Aged %(age)s, over the post's age limit of %(limit)s.")
                % {"age": age, "limit": extended if post.extended_age else limit}
            )
    if age >= AGE_NEVER_ON_POST:
        failed.append(_("Nobody aged 70 or more may hold a public-welfare post."))
    if param("posts.one_per_household"):
        others = PostAssignment.objects.filter(
            member__household_id=member.household_id, status=PostAssignment.Status.ON_POST
        ).exclude(member=member)
        holder = others.select_related("member").first()
        if holder is not None:
            failed.append(
                _("%(name)s of the same household already holds a post (one per household).")
                % {"name": holder.member.name}
            )
    taken = post.assignments.filter(status=PostAssignment.Status.ON_POST).count()
    if taken >= post.quota:
        failed.append(_("The post's quota of %(quota)s is used up.") % {"quota": post.quota})
    return failed


def post_decide(
    *,
    actor: AbstractBaseUser,
    case: EmploymentCase,
    approve: bool,
    reason: str = "",
    start_date: datetime.date | None = None,
) -> PostAssignment:
    """The manager approves the pending application — only if every eligibility rule holds —
    or refuses it with a reason (the member is then reassessed). The term runs from the start
    date for the post's months."""
    require(actor, "review", case.member.household)
    assignment = (
        case.posts.filter(status=PostAssignment.Status.APPLIED).select_related("post").first()
    )
    if assignment is None:
        raise ValidationError(_("There is no application awaiting a decision."))
    reason = reason.strip()
    if approve:
        if start_date is None:
            raise ValidationError({"start_date": _("Give the date the member starts on the post.")})
        today = timezone.localdate()
        if (
            not today - datetime.timedelta(days=31)
            <= start_date
            <= today + datetime.timedelta(days=92)
        ):
            raise ValidationError(
                {"start_date": _("The start date must be within a month back or three ahead.")}
            )
        with transaction.atomic():
            # Lock the post (its last place) and the household (one post per household) so
            # that two approvals cannot both pass.
            Household.objects.select_for_update().filter(pk=case.member.household_id).first()
            post = WelfarePost.objects.select_for_update().get(pk=assignment.post_id)
            failed = post_eligibility(case, post, start_date)
            if failed:
                raise ValidationError({"decision": failed})
            assignment.start_date = start_date
            assignment.end_date = start_date + relativedelta(months=post.term_months, days=-1)
            return _decide(actor, case, assignment, PostAssignment.Status.ON_POST, reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the application is refused.")})
    with transaction.atomic():
        return _decide(actor, case, assignment, PostAssignment.Status.REFUSED, reason)


def _decide(
    actor: AbstractBaseUser, case: EmploymentCase, assignment: PostAssignment, status: str,
    reason: str,
) -> PostAssignment:  # fmt: skip
    assignment.status, assignment.decided_by = status, actor
    assignment.decided_at, assignment.decision_reason = timezone.now(), reason
    assignment.save()
    approved = status == PostAssignment.Status.ON_POST
    audit_record(
        actor=actor,
        action="post.approve" if approved else "post.refuse",
        obj=assignment,
        household_id=case.member.household_id,
        changes={
            "status": (PostAssignment.Status.APPLIED.value, status),
            "start_date": (None, assignment.start_date),
            "end_date": (None, assignment.end_date),
        },
        reason=reason,
    )
    case_transition(
        actor=actor,
        case=case,
        state=State.ON_POST if approved else State.REASSESSING,
        action="employment_case.on_post" if approved else "employment_case.post_refused",
        reason=reason,
        extra={"working_since": assignment.start_date} if approved else None,
    )
    return assignment


def assignment_end(
    *, actor: AbstractBaseUser | None, assignment: PostAssignment, reason: str, note: str = ""
) -> PostVacancy:
    """The incumbent leaves the post, inside the caller's transaction: the place becomes a
    vacancy to report and fill (the ``post_vacated`` signal raises the caseworker's task)."""
    if reason not in ExitReason.values:
        raise ValidationError({"exit_reason": _("Choose why the member leaves the post.")})
    today = timezone.localdate()
    assignment.status, assignment.end_date = (
        PostAssignment.Status.ENDED,
        min(assignment.end_date or today, today),
    )
    assignment.exit_reason, assignment.exit_note = reason, clean_text(note)
    assignment.save(update_fields=["status", "end_date", "exit_reason", "exit_note"])
    audit_record(
        actor=actor,
        action="post.end",
        obj=assignment,
        household_id=assignment.member.household_id,
        changes={"end_date": (None, assignment.end_date), "exit_reason": (None, reason)},
    )
    vacancy = PostVacancy.objects.create(
        post=assignment.post, vacated_by=assignment, vacated_on=assignment.end_date
    )
    post_vacated.send(sender=PostVacancy, vacancy=vacancy, actor=actor)
    return vacancy


def post_terms_expire(on: datetime.date | None = None) -> list[EmploymentCase]:
    """End every assignment whose term is over; each member goes to reassessment (renewal or
    another route). Returns the cases moved, so the flows can be woken."""
    day = on or timezone.localdate()
    moved = []
    expired = PostAssignment.objects.filter(
        status=PostAssignment.Status.ON_POST, end_date__lt=day, post__isnull=False
    ).values_list("pk", flat=True)
    for pk in list(expired):
        try:
            case = _term_end(pk, day)
        except Exception:  # noqa: BLE001 - one broken row must not stop the sweep
            logger.exception("Ending the term of post assignment %s failed", pk)
            continue
        if case is not None:
            moved.append(case)
    return moved


def _term_end(pk: int, day: datetime.date) -> EmploymentCase | None:
    """End one expired assignment; returns its case when the case was moved on."""
    with transaction.atomic():
        # Re-read under a lock: an exit recorded meanwhile must not be ended twice.
        assignment = (
            PostAssignment.objects.select_for_update(of=("self",))
            .select_related("case", "member", "post")
            .filter(pk=pk, status=PostAssignment.Status.ON_POST, end_date__lt=day)
            .first()
        )
        if assignment is None:
            return None
        assignment_end(actor=None, assignment=assignment, reason=ExitReason.TERM_END)
        case = assignment.case
        if case.state != State.ON_POST:  # e.g. already closed as stably employed
            return None
        case_transition(
            actor=None,
            case=case,
            state=State.REASSESSING,
            action="employment_case.post_term_ended",
            reason=str(ExitReason.TERM_END.label),
            extra={"working_since": None},
        )
        return case


def post_attendance_record(
    *, actor: AbstractBaseUser, assignment: PostAssignment, month: datetime.date, days: int
) -> PostAttendance:
    """Days worked in a month by the holder of a post (月考勤); reporting a month again
    corrects it."""
    require(actor, "work_case", assignment.member.household)
    month = month.replace(day=1)
    if assignment.status != PostAssignment.Status.ON_POST:
        raise ValidationError(_("The member is not on the post."))
    if not 0 <= days <= 31:
        raise ValidationError({"days": _("Days worked must be between 0 and 31.")})
    with transaction.atomic():
        before = (
            PostAttendance.objects.filter(assignment=assignment, month=month)
            .values_list("days_worked", flat=True)
            .first()
        )
        record, created = PostAttendance.objects.update_or_create(
            assignment=assignment, month=month, defaults={"days_worked": days, "recorded_by": actor}
        )
        audit_record(
            actor=actor,
            action="post.attendance",
            obj=record,
            household_id=assignment.member.household_id,
            changes={"days_worked": (before, days)},
        )
    return record


def post_vacancy_report(
    *, actor: AbstractBaseUser, vacancy: PostVacancy, recommendation: str
) -> PostVacancy:
    """Report the vacated place and recommend who should fill it (空岗报告, 补充推荐)."""
    require(actor, "work_case", vacancy.vacated_by.member.household)
    recommendation = clean_text(recommendation)
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


__all__ = ["PostType"]
