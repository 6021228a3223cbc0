"""The dashboard's figures for a set of sites, counted in the database (its selectors).

``dashboard_figures`` runs the same number of queries whatever the number of households: every
figure is an aggregate (conditional counts over correlated subqueries), and the list of
zero-employment households is one query with a limit.

Definitions (the same as the employment ledger, ``casework.ledgers.employment``; the labour rule
is ``casework.cases.selectors.is_labour_member``):

- A member's *latest assessment* is the one with the highest version; their *latest employment
  case* the one opened last.
- A *labour member* (劳动力): the latest assessment's category is not 非劳动力; or, with no
  assessment yet, a labour capacity of ordinary, skilled or weak and not at school.
- *Employed* (已就业): a labour member whose latest employment case is employed, on a
  public-welfare post, or stably employed.
- *Current work* of a member: the channel of their placement without an end date; else, when they
  hold a public-welfare post (on post), the public-welfare channel. Channels, their labels and
  their 七个一批 groups are the ``channel`` code list (every code it ever had: a job keeps its
  channel after the channel ends).
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task

from casework.cases.models import Assessment, Category, EmploymentCase
from casework.pairing.selectors import overdue_for_visit
from casework.placement.models import Channel, Placement
from casework.policy.models import Code
from casework.policy.params import param
from casework.policy.selectors import code_list
from casework.posts.models import PostAssignment, WelfarePost
from casework.registry.models import Household, Member, Site
from casework.training.models import Enrolment
from workflows import subjects
from workflows.services import OPEN_STATUSES

IN_WORK = (*EmploymentCase.WORKING_STATES, EmploymentCase.State.STABLE)
REVIEWED = (Assessment.Review.APPROVED, Assessment.Review.NOT_REQUIRED)
LABOUR_CATEGORIES = [c for c in Category if c != Category.NOT_LABOUR]
UNASSESSED = "unassessed"
FLAGS = ("category", "review", "is_labour", "is_employed", "work_channel")


@dataclass(frozen=True)
class Share:
    """``part`` of ``whole``; ``percent`` is None when the whole is empty."""

    part: int
    whole: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.part / self.whole, 1) if self.whole else None

    def __str__(self) -> str:
        """``12/19 (63.2%)``, or ``0/0 (—)`` when there is nothing to divide by."""
        percent = "—" if self.percent is None else f"{self.percent:.1f}%"
        return f"{self.part}/{self.whole} ({percent})"


@dataclass(frozen=True)
class Tally:
    code: str
    label: str | Promise
    count: int


@dataclass(frozen=True)
class ZeroEmploymentHousehold:
    number: str
    site: str
    grid: str
    head: str
    labour: int


@dataclass(frozen=True)
class Dashboard:
    """The figures of the sites in scope at ``generated_at`` (see the module's definitions)."""

    generated_at: datetime.datetime
    households: int
    labour: int
    assessed: Share  # labour members whose latest assessment is approved or needs no review
    employed: Share  # employed labour members / labour members
    households_with_labour: int
    households_employed: Share  # 1户1人: households with ≥1 employed / households with labour
    zero_employment: int  # households with ≥1 labour member and none employed
    zero_employment_rows: list[ZeroEmploymentHousehold]
    by_category: list[Tally]  # labour members by latest category, then the unassessed
    by_channel: list[Tally]  # labour members in current work, by its channel
    by_group: list[Tally]  # the same, by the channel's 七个一批 group (then those in none)
    training: Share  # passed / (passed + failed) enrolments of members of the households
    posts: Share  # on-post assignments of the sites' posts / the sum of their quotas
    overdue_tasks: int
    overdue_visits: int
    cap: int  # zero-employment households listed at most (``dashboard.zero_employment_listed``)

    @property
    def zero_employment_unlisted(self) -> int:
        return max(self.zero_employment - len(self.zero_employment_rows), 0)


def scoped_households(sites: QuerySet[Site]) -> QuerySet[Household]:
    """Every household resident in one of ``sites``."""
    return Household.objects.filter(grid__site__in=sites.values("pk"))


def _latest(
    model: type[Assessment] | type[EmploymentCase] | type[Placement],
    value: str,
    order: tuple[str, ...],
    **where: object,
) -> Subquery:
    rows = model.objects.filter(member=OuterRef("pk"), **where).order_by(*order)
    return Subquery(rows.values(value)[:1])


def with_member_flags(members: QuerySet[Member]) -> QuerySet[Member]:
    """Annotate each member's latest ``category`` and ``review``, ``is_labour``, ``is_employed``
    and ``work_channel`` ("" when not in current work), as the module defines them."""
    on_post = PostAssignment.objects.filter(
        member=OuterRef("pk"), status=PostAssignment.Status.ON_POST
    )
    members = members.annotate(
        category=_latest(Assessment, "category", ("-version",)),
        review=_latest(Assessment, "review", ("-version",)),
        case_state=_latest(EmploymentCase, "state", ("-opened_at", "-pk")),
        job_channel=_latest(Placement, "channel", ("-start_date", "-pk"), end_date__isnull=True),
    )
    return members.annotate(
        is_labour=Case(
            When(category=Category.NOT_LABOUR, then=Value(False)),
            When(category__isnull=False, then=Value(True)),
            When(labour_capacity__in=Member.LABOUR_CAPACITIES, in_school=False, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        is_employed=Case(
            When(case_state__in=IN_WORK, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        work_channel=Coalesce(
            "job_channel",
            Case(When(Exists(on_post), then=Value(Channel.PUBLIC_WELFARE)), default=Value("")),
            output_field=CharField(),
        ),
    )


def _member_totals(sites: QuerySet[Site], channels: list[Code]) -> dict[str, int]:
    labour = Q(is_labour=True)
    employed = labour & Q(is_employed=True)
    counts = {
        "labour": Count("pk", filter=labour),
        "assessed": Count("pk", filter=labour & Q(review__in=REVIEWED)),
        "employed": Count("pk", filter=employed),
        "households_with_labour": Count("household_id", filter=labour, distinct=True),
        "households_employed": Count("household_id", filter=employed, distinct=True),
        f"category_{UNASSESSED}": Count("pk", filter=labour & Q(category__isnull=True)),
    }
    for category in LABOUR_CATEGORIES:
        counts[f"category_{category}"] = Count("pk", filter=labour & Q(category=category))
    for channel in channels:
        counts[f"channel_{channel.code}"] = Count(
            "pk", filter=labour & Q(work_channel=channel.code)
        )
    members = with_member_flags(Member.objects.filter(household__in=scoped_households(sites)))
    # One row per member already; DISTINCT keeps the database from merging this subquery into
    # the counts, which would work out every member's flags again for each count.
    flags = members.values("pk", "household_id", *FLAGS).distinct()
    return flags.aggregate(**counts)


def zero_employment_households(sites: QuerySet[Site]) -> QuerySet:
    """零就业家庭 of ``sites``: households with at least one labour member and none employed, as
    rows of number, site, grid, head and labour count, by site, grid and number."""
    head = Member.objects.filter(
        household=OuterRef("household_id"), relationship=Member.Relationship.HEAD
    )
    members = Member.objects.filter(household__in=scoped_households(sites))
    return (
        with_member_flags(members)
        .values(
            "household_id",
            "household__number",
            "household__grid__site__code",
            "household__grid__site__name",
            "household__grid__code",
            "household__grid__name",
        )
        .annotate(
            labour=Count("pk", filter=Q(is_labour=True)),
            employed=Count("pk", filter=Q(is_labour=True, is_employed=True)),
        )
        .filter(labour__gt=0, employed=0)
        .annotate(head=Subquery(head.values("name")[:1]))
        .order_by("household__grid__site__code", "household__grid__code", "household__number")
    )


def zero_employment_rows(rows: QuerySet) -> list[ZeroEmploymentHousehold]:
    return [
        ZeroEmploymentHousehold(
            number=row["household__number"],
            site=row["household__grid__site__name"],
            grid=row["household__grid__name"],
            head=row["head"] or "",
            labour=row["labour"],
        )
        for row in rows
    ]


def _training(sites: QuerySet[Site]) -> Share:
    """Enrolments of members of the households: passed / (passed + failed); still enrolled and
    dropped out are not in the denominator."""
    totals = Enrolment.objects.filter(member__household__in=scoped_households(sites)).aggregate(
        passed=Count("pk", filter=Q(status=Enrolment.Status.PASSED)),
        failed=Count("pk", filter=Q(status=Enrolment.Status.FAILED)),
    )
    return Share(totals["passed"], totals["passed"] + totals["failed"])


def _posts(sites: QuerySet[Site]) -> Share:
    """People on the public-welfare posts of ``sites`` against the sum of those posts' quotas."""
    on_post = (
        PostAssignment.objects.filter(post=OuterRef("pk"), status=PostAssignment.Status.ON_POST)
        .values("post")
        .annotate(n=Count("pk"))
        .values("n")
    )
    totals = (
        WelfarePost.objects.filter(site__in=sites.values("pk"))
        .annotate(holders=Coalesce(Subquery(on_post, output_field=IntegerField()), 0))
        .aggregate(quota=Coalesce(Sum("quota"), 0), on_post=Coalesce(Sum("holders"), 0))
    )
    return Share(totals["on_post"], totals["quota"])


def _overdue_tasks(sites: QuerySet[Site], now: datetime.datetime) -> int:
    """Open workflow tasks (new, assigned or started) past their deadline, in processes about a
    household of ``sites``."""
    about = subjects.about_households(scoped_households(sites), prefix="process__")
    return Task.objects.filter(about, status__in=OPEN_STATUSES, deadline__due_at__lt=now).count()


def category_tallies(totals: dict[str, int]) -> list[Tally]:
    tallies = [Tally(c.value, c.label, totals[f"category_{c}"]) for c in LABOUR_CATEGORIES]
    label = _("Not yet assessed (未评估)")
    return [*tallies, Tally(UNASSESSED, label, totals[f"category_{UNASSESSED}"])]


def group_tallies(channels: list[Tally], codes: list[Code]) -> list[Tally]:
    """The channel tallies added up by 七个一批 group, in the list's order; the channels in no
    group last (only when someone works through one)."""
    group_of = {code.code: code.group for code in codes}
    groups: dict[str, int] = {}
    for tally in channels:
        group = group_of.get(tally.code, "")
        groups[group] = groups.get(group, 0) + tally.count
    ungrouped = groups.pop("", 0)
    tallies = [Tally(group, group, count) for group, count in groups.items()]
    if ungrouped:
        tallies.append(Tally("", _("In none of the 七个一批 groups"), ungrouped))
    return tallies


def dashboard_figures(
    *, sites: QuerySet[Site], now: datetime.datetime | None = None, cap: int | None = None
) -> Dashboard:
    """Every figure of the dashboard for the households of ``sites`` at ``now``; at most
    ``cap`` (by default ``dashboard.zero_employment_listed``) zero-employment households are
    listed (all are counted)."""
    now = now or timezone.now()
    if cap is None:
        cap = int(param("dashboard.zero_employment_listed", on=timezone.localdate(now)))
    channels = code_list(Code.List.CHANNEL)
    totals = _member_totals(sites, channels)
    by_channel = [Tally(c.code, c.label, totals[f"channel_{c.code}"]) for c in channels]
    households_employed = Share(totals["households_employed"], totals["households_with_labour"])
    return Dashboard(
        generated_at=now,
        households=scoped_households(sites).count(),
        labour=totals["labour"],
        assessed=Share(totals["assessed"], totals["labour"]),
        employed=Share(totals["employed"], totals["labour"]),
        households_with_labour=totals["households_with_labour"],
        households_employed=households_employed,
        zero_employment=households_employed.whole - households_employed.part,
        zero_employment_rows=zero_employment_rows(zero_employment_households(sites)[:cap]),
        by_category=category_tallies(totals),
        by_channel=by_channel,
        by_group=group_tallies(by_channel, channels),
        training=_training(sites),
        posts=_posts(sites),
        overdue_tasks=_overdue_tasks(sites, now),
        overdue_visits=overdue_for_visit(scoped_households(sites), timezone.localdate(now)).count(),
        cap=cap,
    )
