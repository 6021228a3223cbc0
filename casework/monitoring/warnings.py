"""Early warnings (预警): households and members that need attention now, by three rules whose
numbers are parameters (``policy.defaults_warnings``), worked out when asked for the households
given (a user's own grids: a few hundred to a few thousand), in three queries:

- 失业未再就业: a labour member whose latest job ended ``warning.replacement_days`` ago or more,
  with no job since and no public-welfare post;
- 收入持续偏低: a member whose monthly work record was low (not working, or income under
  ``warning.monthly_income_line``) in each of the last ``warning.low_income_months`` months;
- 零就业未清零: a household with labour and nobody in work, for ``warning.zero_employment_days``
  or more since its last job ended (or since it was registered, when nobody ever worked).
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from casework.cases.models import EmploymentCase
from casework.placement.models import Placement
from casework.policy.params import param
from casework.posts.models import PostAssignment
from casework.registry.models import Household, Member
from casework.reports.dashboard.figures import with_member_flags

from .models import MonthlyWorkRecord

# Members whose case says they are not looking for work: not flagged as having lost it.
OUT_OF_WORK_SCOPE = (
    EmploymentCase.State.EXITED,
    EmploymentCase.State.NOT_IN_SCOPE,
    EmploymentCase.State.LEFT,
)
KINDS: dict[str, Promise] = {
    "lost_work": _("Lost work and not placed again"),
    "low_income": _("Low income month after month"),
    "zero_employment": _("Zero-employment household not cleared"),
}


@dataclass(frozen=True)
class EarlyWarning:
    kind: str
    household: Household
    member: Member | None
    since: datetime.date
    days: int
    who: str = ""  # the member, or the head of household for a household's warning

    @property
    def title(self) -> str:
        return str(KINDS[self.kind])


def _months_before(today: datetime.date, count: int) -> list[datetime.date]:
    """The first days of the ``count`` months before ``today``'s month, latest first."""
    months, month = [], today.replace(day=1)
    for _step in range(count):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        months.append(month)
    return months


def _last_work_end(member: Any) -> Any:
    """The latest day a job (placement) or a public-welfare post of ``member`` ended."""
    jobs = Placement.objects.filter(member=member, end_date__isnull=False)
    posts = PostAssignment.objects.filter(
        member=member, status=PostAssignment.Status.ENDED, end_date__isnull=False
    )
    job_end = Subquery(jobs.order_by("-end_date").values("end_date")[:1])
    post_end = Subquery(posts.order_by("-end_date").values("end_date")[:1])
    return Greatest(Coalesce(job_end, post_end), Coalesce(post_end, job_end))


def _in_work(member: Any) -> Any:
    """An open job or a post held now."""
    return Exists(Placement.objects.filter(member=member, end_date__isnull=True)) | Exists(
        PostAssignment.objects.filter(member=member, status=PostAssignment.Status.ON_POST)
    )


def _lost_work(households: QuerySet[Household], today: datetime.date) -> list[EarlyWarning]:
    cutoff = today - datetime.timedelta(days=param("warning.replacement_days", today))
    members = (
        with_member_flags(Member.objects.filter(household__in=households, left_on__isnull=True))
        .filter(Q(is_labour=True))  # annotations of with_member_flags
        .exclude(Q(case_state__in=OUT_OF_WORK_SCOPE))
        .annotate(ended=_last_work_end(OuterRef("pk")))
        .filter(ended__lte=cutoff)
        .exclude(_in_work(OuterRef("pk")))
        .select_related("household__grid")
    )
    warnings = []
    for member in members:
        ended: datetime.date = member.ended
        days = (today - ended).days
        warnings.append(
            EarlyWarning("lost_work", member.household, member, ended, days, member.name)
        )
    return warnings


def _low_income(households: QuerySet[Household], today: datetime.date) -> list[EarlyWarning]:
    months = _months_before(today, param("warning.low_income_months", today))
    line = param("warning.monthly_income_line", today)
    low = Q(working=False) | Q(monthly_income__lt=line)
    rows = (
        MonthlyWorkRecord.objects.filter(
            member__household__in=households, member__left_on__isnull=True, month__in=months
        )
        .values("member")
        .annotate(low=Count("pk", filter=low))
        .filter(low=len(months))
    )
    members = Member.objects.filter(pk__in=rows.values("member")).select_related("household__grid")
    since = months[-1]
    return [
        EarlyWarning("low_income", m.household, m, since, (today - since).days, m.name)
        for m in members
    ]


def _zero_employment(households: QuerySet[Household], today: datetime.date) -> list[EarlyWarning]:
    limit = param("warning.zero_employment_days", today)
    flags = with_member_flags(Member.objects.filter(household__in=households, left_on__isnull=True))
    zero = (
        flags.values("household_id")
        .annotate(
            labour=Count("pk", filter=Q(is_labour=True)),
            employed=Count("pk", filter=Q(is_labour=True, is_employed=True)),
        )
        .filter(labour__gt=0, employed=0)
    )
    head = Member.objects.filter(household=OuterRef("pk"), relationship=Member.Relationship.HEAD)
    # The latest day any current member's job or post ended.
    ends = (
        Member.objects.filter(household=OuterRef("pk"), left_on__isnull=True)
        .annotate(ended=_last_work_end(OuterRef("pk")))
        .filter(ended__isnull=False)
        .order_by("-ended")
        .values("ended")[:1]
    )
    found = (
        Household.objects.filter(pk__in=zero.values("household_id"))
        .annotate(last_end=Subquery(ends))
        .annotate(head=Subquery(head.values("name")[:1]))
        .select_related("grid")
    )
    warnings = []
    for household in found:
        since = household.last_end or timezone.localdate(household.created_at)
        days = (today - since).days
        if days >= limit:
            who = household.head or ""
            warnings.append(EarlyWarning("zero_employment", household, None, since, days, who))
    return warnings


def early_warnings(households: QuerySet[Household], today: datetime.date) -> list[EarlyWarning]:
    """Every warning about ``households`` on ``today``, the longest-standing first."""
    found = [
        *_lost_work(households, today),
        *_low_income(households, today),
        *_zero_employment(households, today),
    ]
    return sorted(found, key=lambda w: (-w.days, w.household.number, w.kind))
