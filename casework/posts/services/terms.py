"""A holder's term on a post renewed up to the limit (续聘), and a holder's exit with a reason
from the code list (退岗), both by the site's manager through the post's page."""

import datetime

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import permissions
from casework.audit.services import audit_record
from casework.cases import services as case_services
from casework.cases.models import EmploymentCase
from casework.policy.models import Code
from casework.policy.params import param
from casework.policy.selectors import code_is_active, code_label
from casework.registry.validators import clean_note

from ..models import ExitReason, PostAssignment, PostVacancy
from .applications import post_eligibility
from .exits import assignment_end
from .overlap import term_check, terms_kept_apart

State = EmploymentCase.State


def _may_manage(actor: User, assignment: PostAssignment) -> None:
    if assignment.post is None or not permissions.may_manage_post_holders(actor, assignment.post):
        raise PermissionDenied(_("You may not manage the holders of this post."))


def _locked(assignment: PostAssignment) -> PostAssignment:
    return (
        PostAssignment.objects.select_for_update(of=("self",))
        .select_related("post", "case", "member__household")
        .get(pk=assignment.pk)
    )


def renewal_end(end: datetime.date, on: datetime.date) -> datetime.date:
    """Where a term ending on ``end`` ends once renewed, by the rule in force ``on``."""
    months = int(param("posts.renewal_months", on=on))
    renewed: datetime.date = (
        end + datetime.timedelta(days=1) + relativedelta(months=months, days=-1)
    )
    return renewed


def post_renew(*, actor: User, assignment: PostAssignment) -> PostAssignment:
    """Renew a holder's term (续聘) by ``posts.renewal_months`` from the day after it ends, at
    most ``posts.renewals_max`` times, if the holder still meets the post's rules."""
    _may_manage(actor, assignment)
    today = timezone.localdate()
    with transaction.atomic():
        assignment = _locked(assignment)
        if assignment.status != PostAssignment.Status.ON_POST or assignment.end_date is None:
            raise ValidationError(_("Only the term of a holder on the post is renewed."))
        limit = int(param("posts.renewals_max", on=today))
        if assignment.renewals >= limit:
            raise ValidationError(
                _(
                    "%(name)s's term was renewed %(count)s times already, the most allowed "
                    "(posts.renewals_max): it cannot be renewed again."
                )
                % {"name": assignment.member.name, "count": assignment.renewals}
            )
        start = assignment.end_date + datetime.timedelta(days=1)
        end = renewal_end(assignment.end_date, today)
        post = assignment.post
        if post is None:  # checked by _may_manage
            raise ValueError("A renewal needs a post")
        failed = post_eligibility(assignment.case, post, start, today, assignment=assignment)
        if failed:
            raise ValidationError(failed)
        term_check(assignment, assignment.start_date or start, end)
        before, count = assignment.end_date, assignment.renewals
        assignment.end_date, assignment.renewals = end, count + 1
        with terms_kept_apart(assignment):
            assignment.save(update_fields=["end_date", "renewals"])
        audit_record(
            actor=actor, action="post.renew", obj=assignment,
            household_id=assignment.member.household_id,
            changes={"end_date": (before, end), "renewals": (count, count + 1)},
        )  # fmt: skip
    return assignment


def post_exit(
    *, actor: User, assignment: PostAssignment, reason: str, note: str = ""
) -> PostVacancy:
    """A holder leaves the post for a reason of the code list (退岗): the place is freed, the
    vacancy's task opens (``post_vacated``), and the member's case goes to reassessment."""
    _may_manage(actor, assignment)
    note = clean_note(note)
    if reason == ExitReason.TERM_END or not code_is_active(Code.List.EXIT_REASON, reason):
        raise ValidationError({"reason": _("Choose why the member leaves the post.")})
    if reason == ExitReason.OTHER and not note:
        raise ValidationError({"note": _("Say why the member leaves the post.")})
    with transaction.atomic():
        assignment = _locked(assignment)
        if assignment.status != PostAssignment.Status.ON_POST:
            raise ValidationError(_("The member is not on the post."))
        vacancy = assignment_end(actor=actor, assignment=assignment, reason=reason, note=note)
        case = assignment.case
        if case.state in (State.ON_POST, State.POST_APPROVED):  # on it, or before its start
            case_services.case_transition(
                actor=actor, case=case, to=State.REASSESSING, action="employment_case.post_exit",
                reason=code_label(Code.List.EXIT_REASON, reason), extra={"working_since": None},
            )  # fmt: skip
    return vacancy
