"""Writes to post applications: a 三无 member applies, the manager decides by the eligibility
rules; an approval goes on public notice (公示), and once the notice passes the member takes
up the post."""

import datetime

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import permissions
from casework.audit.services import audit_record
from casework.cases import services as case_services
from casework.cases.models import Category, EmploymentCase
from casework.policy.params import param
from casework.registry.models import Household, Member

from ..models import PostAssignment, WelfarePost
from .overlap import term_check, terms_kept_apart

State = EmploymentCase.State


def post_apply(
    *, actor: User, case: EmploymentCase, post: WelfarePost, note: str = ""
) -> PostAssignment:
    """Apply for a place on a public-welfare post for a 三无 member; the manager decides."""
    household = case.member.household
    case_services.require(actor, "work_case", household)
    if case.state != State.TO_APPLY:
        raise ValidationError(_("The member is not waiting for a public-welfare post."))
    case_services.transition_check(case, State.AWAITING_POST)
    if post.site_id != household.grid.site_id:
        raise ValidationError({"post": _("That post belongs to another site.")})
    if case.posts.filter(status__in=PostAssignment.PENDING).exists():
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
        case_services.case_transition(
            actor=actor, case=case, to=State.AWAITING_POST, action="employment_case.post_applied"
        )
    return assignment


def _labour_capacity(member: Member) -> str:
    last = member.assessments.order_by("-version").values_list("labour_capacity", flat=True)
    return last.first() or member.labour_capacity


def application_day(case: EmploymentCase) -> datetime.date:
    """The day of the member's pending application (today when none is pending): the post
    rules are those in force on that day."""
    applied = (
        case.posts.filter(status__in=PostAssignment.PENDING)
        .order_by("-applied_at")
        .values_list("applied_at", flat=True)
        .first()
    )
    return timezone.localdate(applied) if applied else timezone.localdate()


def _labels(codes: list[str], choices: type[models.TextChoices]) -> str:
    return "、".join(str(choices(code).label) for code in codes if code in choices.values)


def post_eligibility(
    case: EmploymentCase,
    post: WelfarePost,
    on: datetime.date | None = None,
    applied_on: datetime.date | None = None,
    assignment: PostAssignment | None = None,
) -> list[str]:
    """Every rule the member fails for a place on ``post`` (empty when eligible): the age on
    ``on`` (the start date; today by default) against the limits in force on ``applied_on``
    (the application's day, ``application_day``). The places held count those on notice,
    but not ``assignment`` (the one being decided)."""
    day = on or timezone.localdate()
    rules_day = applied_on or application_day(case)
    member = case.member
    failed = []
    categories = list(param("posts.eligible_categories", on=rules_day))
    capacities = list(param("posts.eligible_capacities", on=rules_day))
    if case.category not in categories and _labour_capacity(member) not in capacities:
        failed.append(
            _("Posts are for members assessed as %(categories)s, or with %(capacities)s.")
            % {
                "categories": _labels(categories, Category) or "—",
                "capacities": _labels(capacities, Member.LabourCapacity) or "—",
            }
        )
    age = member.age_on(max(day, timezone.localdate()))
    limit = int(param("posts.age_limit", on=rules_day))
    extended = int(param("posts.age_limit_extended", on=rules_day))
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
    never = int(param("posts.age_never", on=rules_day))
    if age >= never:
        failed.append(
            _("Nobody aged %(age)s or more may hold a public-welfare post.") % {"age": never}
        )
    if param("posts.one_per_household", on=rules_day):
        others = PostAssignment.objects.filter(
            member__household_id=member.household_id, status__in=PostAssignment.HOLDING
        ).exclude(member=member)
        holder = others.select_related("member").first()
        if holder is not None:
            failed.append(
                _("%(name)s of the same household already holds a post (one per household).")
                % {"name": holder.member.name}
            )
    holding = post.assignments.filter(status__in=PostAssignment.HOLDING)
    if assignment is not None:
        holding = holding.exclude(pk=assignment.pk)
    taken = holding.count()
    if taken >= post.quota:
        failed.append(_("The post's quota of %(quota)s is used up.") % {"quota": post.quota})
    return failed


def post_decide(
    *,
    actor: User,
    case: EmploymentCase,
    approve: bool,
    reason: str = "",
    start_date: datetime.date | None = None,
) -> PostAssignment:
    """The manager approves the pending application — only if every eligibility rule holds —
    or refuses it with a reason (the member is then reassessed). An approval goes on public
    notice (the flow's next step) with its place held; the term runs from the start date for
    the post's months."""
    case_services.require(actor, "review", case.member.household)
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
        back = int(param("posts.start_days_back", on=today))
        ahead = int(param("posts.start_days_ahead", on=today))
        if (
            not today - datetime.timedelta(days=back)
            <= start_date
            <= today + datetime.timedelta(days=ahead)
        ):
            raise ValidationError(
                {
                    "start_date": _(
                        "The start date must be at most %(back)s days back or %(ahead)s ahead."
                    )
                    % {"back": back, "ahead": ahead}
                }
            )
        with transaction.atomic():
            # Lock the post (its last place) and the household (one post per household) so
            # that two approvals cannot both pass.
            Household.objects.select_for_update().filter(pk=case.member.household_id).first()
            if assignment.post_id is None:  # an application from before posts had quotas
                raise WelfarePost.DoesNotExist("The application names no post.")
            post = WelfarePost.objects.select_for_update().get(pk=assignment.post_id)
            applied_on = timezone.localdate(assignment.applied_at)
            failed = post_eligibility(case, post, start_date, applied_on)
            if failed:
                raise ValidationError({"decision": failed})
            term_check(assignment, start_date, _term_end(post, start_date))
            assignment.start_date = start_date
            assignment.end_date = _term_end(post, start_date)
            with terms_kept_apart(assignment):
                return _decide(actor, case, assignment, PostAssignment.Status.NOTICE, reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the application is refused.")})
    with transaction.atomic():
        return _decide(actor, case, assignment, PostAssignment.Status.REFUSED, reason)


def _term_end(post: WelfarePost, start_date: datetime.date) -> datetime.date:
    end: datetime.date = start_date + relativedelta(months=post.term_months, days=-1)
    return end


def _decide(
    actor: User, case: EmploymentCase, assignment: PostAssignment, status: str,
    reason: str,
) -> PostAssignment:  # fmt: skip
    """Record the manager's decision: approved, the place is held while the approval is on
    public notice (the case waits for the notice's end); refused, the member is reassessed."""
    assignment.status, assignment.decided_by = status, actor
    assignment.decided_at, assignment.decision_reason = timezone.now(), reason
    assignment.save()
    approved = status == PostAssignment.Status.NOTICE
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
    if not approved:
        case_services.case_transition(
            actor=actor, case=case, to=State.REASSESSING,
            action="employment_case.post_refused", reason=reason,
        )  # fmt: skip
    return assignment


def post_on_notice(case: EmploymentCase) -> PostAssignment | None:
    """The member's approved application on public notice (None when there is none)."""
    return (
        case.posts.filter(status=PostAssignment.Status.NOTICE)
        .select_related("post", "member__household__grid")
        .first()
    )


def post_notice_concluded(
    *, actor: User, case: EmploymentCase, passed: bool, reason: str = ""
) -> PostAssignment:
    """The approval's public notice is over, inside the caller's transaction. Passed, the
    member takes up the post from the approved start date (from today when that went by
    during the notice) for the post's term, if every rule still holds; withdrawn (an
    objection upheld, or another reason), the application is refused and the member
    reassessed."""
    assignment = post_on_notice(case)
    if assignment is None:
        raise ValidationError(_("There is no approved application on public notice."))
    household = assignment.member.household
    if not permissions.may_handle_notice(actor, household):
        raise PermissionDenied(_("You may not handle this household's public notices."))
    if not passed:
        return _decide_again(actor, case, assignment, PostAssignment.Status.REFUSED, reason)
    Household.objects.select_for_update().filter(pk=household.pk).first()
    if assignment.post_id is None:  # an application from before posts had quotas
        raise WelfarePost.DoesNotExist("The application names no post.")
    post = WelfarePost.objects.select_for_update().get(pk=assignment.post_id)
    today = timezone.localdate()
    start = max(assignment.start_date or today, today)
    applied_on = timezone.localdate(assignment.applied_at)
    failed = post_eligibility(case, post, start, applied_on, assignment=assignment)
    if failed:
        raise ValidationError(failed)
    term_check(assignment, start, _term_end(post, start))
    assignment.start_date, assignment.end_date = start, _term_end(post, start)
    with terms_kept_apart(assignment):
        return _decide_again(actor, case, assignment, PostAssignment.Status.ON_POST, reason)


def _decide_again(
    actor: User, case: EmploymentCase, assignment: PostAssignment, status: str, reason: str
) -> PostAssignment:
    """The end of the notice for the assignment: on the post (or from its start date), or
    refused."""
    assignment.status = status
    if status == PostAssignment.Status.REFUSED:  # withdrawn after the notice, by ``actor``
        assignment.decision_reason = reason
        assignment.decided_by, assignment.decided_at = actor, timezone.now()
    assignment.save()
    taken_up = status == PostAssignment.Status.ON_POST
    audit_record(
        actor=actor,
        action="post.take_up" if taken_up else "post.withdraw",
        obj=assignment,
        household_id=case.member.household_id,
        changes={
            "status": (PostAssignment.Status.NOTICE.value, status),
            "start_date": (None, assignment.start_date) if taken_up else (None, None),
            "end_date": (None, assignment.end_date) if taken_up else (None, None),
        },
        reason=reason,
    )
    if not taken_up:
        target = State.REASSESSING
    elif assignment.start_date and assignment.start_date > timezone.localdate():
        target = State.POST_APPROVED  # on the post from its start date (``post_start``)
    else:
        target = State.ON_POST
    case_services.case_transition(
        actor=actor,
        case=case,
        to=target,
        action="employment_case.post_refused" if not taken_up else f"employment_case.{target}",
        reason=reason,
        extra={"working_since": assignment.start_date} if taken_up else None,
    )
    return assignment


def post_start(*, actor: User | None, case: EmploymentCase) -> EmploymentCase:
    """An approved member's start date has come: they are on the post from today."""
    if case.state != State.POST_APPROVED:
        raise case_services.IllegalTransition(case, State.ON_POST)
    with transaction.atomic():
        return case_services.case_transition(
            actor=actor, case=case, to=State.ON_POST, action="employment_case.on_post"
        )


def post_start_due(case: EmploymentCase) -> datetime.date | None:
    """The start date of the member's approved post (None when there is none)."""
    return (
        case.posts.filter(status=PostAssignment.Status.ON_POST)
        .order_by("-start_date")
        .values_list("start_date", flat=True)
        .first()
    )
