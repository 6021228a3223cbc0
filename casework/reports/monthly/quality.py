"""How well the work went in a month, counted from dated records only (selectors).

The figures of ``counts`` say where people stand; these say how the work on them went. Each is
counted for a grid and a month over the same roster (the month's monthly work records): a
household belongs to its home grid of the month (``counts.with_household``), a member to the
grid their record was entered in. What happened after the month's end is never read, except
the old value of a later change (a label changed after the month says what it was before).

Definitions, for a grid ``G`` and a month ``M`` ending at the moment ``E``:

- ``tasks_open`` / ``tasks_overdue``: human workflow tasks about the households of ``G`` in
  ``M`` that were open at ``E`` (created before, not finished or cancelled before), and of
  those the ones past their time limit (限时办结, set when the task is made and never moved) at
  ``E``; by the username of the user the task was assigned to at ``E``, as its last recorded
  assignment before ``E`` says (``""``: nobody held it).
- ``placement_wait``: placements of ``G``'s roster members starting in ``M``, by the days from
  the member's latest assessment made on or before the start to the start (a histogram, so
  that the median of any sum of grids can be read from it).
- ``trained`` / ``trained_placed``: members on ``G``'s roster of the month ``N`` months before
  ``M`` (``N`` = ``figures.training_to_work_months`` in force at ``E``) who passed a course
  that month, and of those the ones whose first placement after passing started within ``N``
  months of the day they passed. ``M`` is the month their ``N`` months end.
- ``zero_cleared``: households of ``G`` in ``M`` with a member in work whose household had no
  one in work in the month before, by how many months it had been without work (from the
  first month recorded without work after the last month with work), and of those
  ``zero_cleared_late`` the ones cleared after more than ``figures.zero_clear_months`` (in force
  at ``E``); ``zero_over_limit``: households of ``G`` without work in ``M`` for more than that
  many months.
- ``followed`` / ``visits_overdue``: households of ``G`` in ``M`` with an open assistance case at
  ``E``, by their three-colour label at ``E``; and of those the ones whose visit was overdue on
  ``M``'s last day (the label's interval after the last visit made by then, or after
  registration when nobody had visited).

Every figure is additive across grids. ``month_quality`` counts any number of grids in five
queries per month.
"""

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, TypedDict

from dateutil.relativedelta import relativedelta
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, NullIf, TruncDate, TruncMonth
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework.audit.models import AuditEvent
from casework.cases.models import Assessment, HouseholdCase
from casework.monitoring.models import MonthlyWorkRecord
from casework.monitoring.selectors import month_before, month_last_day
from casework.pairing.models import Visit
from casework.placement.models import Placement
from casework.policy.params import param
from casework.registry.models import Household
from casework.training.models import Enrolment
from workflows.services import OPEN_STATUSES

from .counts import Key, MonthCounts, month_counts, roster, with_household

if TYPE_CHECKING:  # django-stubs-ext is a development dependency
    from django_stubs_ext import WithAnnotations

Tallies = dict[Key, dict[str, dict[str, int]]]


def month_end(month: datetime.date) -> datetime.datetime:
    """The moment ``month`` (its first day) ends: the local midnight that starts the next."""
    following = month_last_day(month) + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(following, datetime.time.min))


def months_between(first: datetime.date, last: datetime.date) -> int:
    """Whole months from ``first`` to ``last`` (both first days)."""
    return (last.year - first.year) * 12 + last.month - first.month


def _home_grid(household: str, month: datetime.date) -> Subquery:
    """The household's home grid in ``month``: the first grid by id its records were in."""
    records = MonthlyWorkRecord.objects.filter(household_id=OuterRef(household), month=month)
    return Subquery(records.order_by("grid_id").values("grid_id")[:1])


def _tally(found: Tallies, key: Key, name: str, code: str, n: int = 1) -> None:
    figure = found.setdefault(key, {}).setdefault(name, {})
    figure[code] = figure.get(code, 0) + n


OWNERSHIP = ("task.assign", "task.reassign", "task.return", "task.unassign")


def _task_events(actions: tuple[str, ...]) -> QuerySet[AuditEvent]:
    """The recorded ``actions`` of the task of the outer query."""
    return AuditEvent.objects.filter(
        object_type=Task._meta.label_lower,
        object_id=Cast(OuterRef("pk"), CharField()),
        action__in=actions,
    )


def owner_then(end: datetime.datetime) -> Case:
    """The username a task was assigned to at ``end``: the owner its last recorded assignment
    before ``end`` gave it (None when released, or when its first was recorded later); a task
    whose owner never changed after it was made (a step assigned as it is created) has the
    owner it has now."""
    latest = (
        _task_events(OWNERSHIP)
        .filter(occurred_at__lt=end)
        .order_by("-seq")
        .annotate(owner=_text("changes__owner__1"))
    )
    return Case(
        When(~Exists(_task_events(OWNERSHIP)), then=F("owner__username")),
        default=Subquery(latest.values("owner")[:1]),
        output_field=CharField(),
    )


def _tasks(found: Tallies, grid_ids: list[int], month: datetime.date) -> None:
    end = month_end(month)
    # An undone step is cancelled as it is undone: it was open at ``end`` only if it had not
    # been done (or cancelled) before.
    done = _task_events(("task.execute", "task.cancel")).filter(occurred_at__lt=end)
    open_then = Q(finished__isnull=True, status__in=OPEN_STATUSES) | Q(
        Q(finished__gte=end), ~Q(status=STATUS.CANCELED) | ~Exists(done)
    )
    tasks = (
        Task.objects.filter(open_then, flow_task_type="HUMAN", created__lt=end)
        .annotate(home=_home_grid("process__scope__household_id", month))
        .filter(home__in=grid_ids)
        .annotate(owner_then=owner_then(end))
        .values("home", "owner_then")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(deadline__due_at__lt=end)))
        .order_by()
    )
    for row in tasks:
        owner = row["owner_then"] or ""
        _tally(found, (row["home"], month), "tasks_open", owner, row["n"])
        if row["late"]:
            _tally(found, (row["home"], month), "tasks_overdue", owner, row["late"])


def _placement_waits(found: Tallies, grid_ids: list[int], month: datetime.date) -> None:
    record = roster(grid_ids, [month]).filter(member_id=OuterRef("member_id"))
    made = Assessment.objects.annotate(made_on=TruncDate("assessed_at")).filter(
        member=OuterRef("member_id"), made_on__lte=OuterRef("start_date")
    )
    placements = (
        Placement.objects.annotate(start_month=TruncMonth("start_date", output_field=DateField()))
        .filter(start_month=month)
        .annotate(
            grid=Subquery(record.values("grid_id")[:1]),
            assessed_on=Subquery(made.order_by("-assessed_at").values("made_on")[:1]),
        )
        .filter(grid__isnull=False, assessed_on__isnull=False)
        .values_list("grid", "start_date", "assessed_on")
    )
    for grid_id, start, assessed in placements:
        _tally(found, (grid_id, month), "placement_wait", str((start - assessed).days))


def trained_rows(grid_ids: list[int], month: datetime.date) -> list[tuple[int, int, bool]]:
    """The cohort ``month``'s training figures count: (record id, grid id, placed within the
    window) of each member on the roster of the month the window starts who passed then."""
    window = int(param("figures.training_to_work_months", month_last_day(month)))
    cohort_month = month - relativedelta(months=window)
    passed = (
        Enrolment.objects.filter(member=OuterRef("member_id"), status=Enrolment.Status.PASSED)
        .annotate(on=TruncDate("result_at"))
        .annotate(on_month=TruncMonth("on", output_field=DateField()))
        .filter(on_month=cohort_month)
    )
    cohort = roster(grid_ids, [cohort_month]).annotate(
        passed_on=Subquery(passed.order_by("result_at").values("on")[:1])
    )
    after = Placement.objects.filter(
        member=OuterRef("member_id"), start_date__gte=OuterRef("passed_on")
    )
    rows = (
        cohort.filter(passed_on__isnull=False)
        .annotate(placed_on=Subquery(after.order_by("start_date").values("start_date")[:1]))
        .values_list("pk", "grid_id", "passed_on", "placed_on")
    )
    return [
        (pk, grid_id, placed_on is not None
         and placed_on <= passed_on + relativedelta(months=window))
        for pk, grid_id, passed_on, placed_on in rows
    ]  # fmt: skip


def _training(found: Tallies, grid_ids: list[int], month: datetime.date) -> None:
    for _pk, grid_id, placed in trained_rows(grid_ids, month):
        _tally(found, (grid_id, month), "trained", "")
        if placed:
            _tally(found, (grid_id, month), "trained_placed", "")


def zero_rows(grid_ids: list[int], month: datetime.date) -> list[tuple[int, int, str, int]]:
    """(grid id, household id, kind, months without work before ``month``) of each household
    of ``grid_ids`` without work in ``month`` (kind ``"over_limit"`` or ``"within"``) or in work
    after a month without (``"cleared"``, or ``"cleared_late"`` after more than the limit)."""
    limit = int(param("figures.zero_clear_months", month_last_day(month)))
    before = month_before(month)
    same = MonthlyWorkRecord.objects.filter(household_id=OuterRef("household_id"))
    last_worked = same.filter(month__lt=month, working=True).order_by("-month").values("month")
    first = same.order_by("month").values("month")
    same = same.order_by("month")
    homes = (
        with_household(roster(grid_ids, [month]))
        .filter(home_grid=F("grid_id"))
        .annotate(
            was_zero=Exists(same.filter(month=before))
            & ~Exists(same.filter(month=before, working=True)),
            last_worked=Subquery(last_worked[:1]),
        )
        .annotate(
            # Every record after the last month with work is one without: the first of them
            # (or the first record of all, when no month had work) starts the months without.
            since=Coalesce(
                Subquery(same.filter(month__gt=OuterRef("last_worked")).values("month")[:1]),
                Subquery(first[:1]),
            )
        )
        .filter(Q(household_working=False) | Q(household_working=True, was_zero=True))
        .values_list("grid_id", "household_id", "household_working", "since")
        .distinct()
    )
    rows = []
    for grid_id, household, working, start in homes:
        without = months_between(start, month)
        if working:  # cleared this month, after this many months without work
            kind = "cleared_late" if without > limit else "cleared"
        else:
            kind = "over_limit" if without + 1 > limit else "within"
        rows.append((grid_id, household, kind, without))
    return rows


# The figure that counts each kind of ``zero_rows`` (besides ``zero_cleared``'s months).
PAST_LIMIT = {"cleared_late": "zero_cleared_late", "over_limit": "zero_over_limit"}


def _zero_employment(found: Tallies, grid_ids: list[int], month: datetime.date) -> None:
    for grid_id, _household, kind, months in zero_rows(grid_ids, month):
        if kind in ("cleared", "cleared_late"):
            _tally(found, (grid_id, month), "zero_cleared", str(months))
        if kind in PAST_LIMIT:
            _tally(found, (grid_id, month), PAST_LIMIT[kind], "")


def _text(path: str) -> NullIf:
    """The text at ``path`` in a JSON field, None for a JSON null (SQLite gives "null")."""
    return NullIf(KT(path), Value("null"), output_field=CharField())


def colour_then(end: datetime.datetime) -> Coalesce:
    """A household's three-colour label at ``end``: the new value of its last change before,
    else the old value of its first change after (the new one when it had none: registered
    after), else the label it has now."""
    # Whatever recorded the change (the assessment's label step, the household's form, a
    # ledger), the event names the old and the new label under "colour".
    changes = AuditEvent.objects.filter(household_id=OuterRef("pk"), changes__has_key="colour")
    set_before = changes.filter(occurred_at__lt=end).order_by("-seq")
    changed_after = changes.filter(occurred_at__gte=end).order_by("seq")
    return Coalesce(
        Subquery(set_before.annotate(value=_text("changes__colour__1")).values("value")[:1]),
        Subquery(changed_after.annotate(value=_text("changes__colour__0")).values("value")[:1]),
        # A household registered after ``end`` (its month entered late): the label it was
        # registered with.
        Subquery(changed_after.annotate(value=_text("changes__colour__1")).values("value")[:1]),
        F("colour"),
        output_field=CharField(),
    )


class _Followed(TypedDict):
    """What ``followed_households`` adds to each household."""

    home: int
    colour_then: str
    since: datetime.date
    interval: int
    late: bool


def followed_households(
    grid_ids: list[int], month: datetime.date
) -> "QuerySet[WithAnnotations[Household, _Followed]]":
    """The households of ``grid_ids`` in ``month`` with an open assistance case at its end,
    each annotated with its ``home`` grid, its label then (``colour_then``) and whether its
    visit was overdue on the month's last day (``late``)."""
    end, last_day = month_end(month), month_last_day(month)
    days = {colour: int(n) for colour, n in param("household.followup_days", last_day).items()}
    case_open = HouseholdCase.objects.filter(household=OuterRef("pk"), opened_at__lt=end).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=end)
    )
    visits = Visit.objects.filter(household=OuterRef("pk"), date__lte=last_day).order_by("-date")
    households = (
        Household.objects.filter(pk__in=roster(grid_ids, [month]).values("household_id"))
        .filter(Exists(case_open))
        .annotate(home=_home_grid("pk", month), colour_then=colour_then(end))
        .filter(home__in=grid_ids)
        .annotate(
            since=Coalesce(
                Subquery(visits.values("date")[:1]),
                TruncDate("created_at"),
                output_field=DateField(),
            ),
            interval=Case(
                *[When(colour_then=colour, then=Value(n)) for colour, n in days.items()],
                default=Value(max(days.values(), default=30)),
                output_field=IntegerField(),
            ),
        )
    )
    late = Q()
    for interval in {*days.values(), max(days.values(), default=30)}:
        late |= Q(interval=interval, since__lt=last_day - datetime.timedelta(days=interval))
    return households.annotate(late=ExpressionWrapper(late, output_field=BooleanField()))


def _visits(found: Tallies, grid_ids: list[int], month: datetime.date) -> None:
    rows = (
        followed_households(grid_ids, month)
        .values("home", "colour_then")
        .annotate(n=Count("pk"), late_n=Count("pk", filter=Q(late=True)))
        .order_by()
    )
    for row in rows:
        _tally(found, (row["home"], month), "followed", row["colour_then"], row["n"])
        if row["late_n"]:
            _tally(found, (row["home"], month), "visits_overdue", row["colour_then"],
                   row["late_n"])  # fmt: skip


COUNTERS = (_tasks, _placement_waits, _training, _zero_employment, _visits)
# The figures that are numbers, not tallies by a code.
PLAIN = ("trained", "trained_placed", "zero_cleared_late", "zero_over_limit")
# Every figure this module counts (the names of their fields in ``MonthCounts``).
QUALITY_FIGURES = frozenset({
    *PLAIN, "tasks_open", "tasks_overdue", "placement_wait", "zero_cleared", "followed",
    "visits_overdue",
})  # fmt: skip


def month_quality(
    grid_ids: Iterable[int], months: Iterable[datetime.date], counts: dict[Key, MonthCounts]
) -> None:
    """Add the quality figures of ``grid_ids`` for ``months`` to ``counts`` (by grid-month; a
    grid-month with none of the ``counts`` figures is added when it has some of these)."""
    grid_ids = list(grid_ids)
    found: Tallies = {}
    for month in months:
        for counter in COUNTERS:
            counter(found, grid_ids, month)
    for key, figures in found.items():
        target = counts.setdefault(key, MonthCounts())
        for name, tallies in figures.items():
            setattr(target, name, tallies[""] if name in PLAIN else tallies)


def month_figures_count(
    grid_ids: Iterable[int], months: Iterable[datetime.date]
) -> dict[Key, MonthCounts]:
    """Every figure of ``grid_ids`` for ``months``: ``month_counts`` and the quality figures."""
    grid_ids, months = list(grid_ids), list(months)
    counts = month_counts(grid_ids, months)
    month_quality(grid_ids, months, counts)
    return counts
