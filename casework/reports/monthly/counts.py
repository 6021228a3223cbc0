"""The month-end figures of grids, counted from dated records only (selectors).

A month's figures must not move when today's state does: a household moved to another grid, a
job ended, a member assessed again, or a record written for a later month leaves last month's
figures as they were. So every figure of a grid's month is counted over **the month's roster**:
the labour members whose monthly work record (务工月监测, ``MonthlyWorkRecord``) was entered for
that grid and that month. Its grid and month are the record's own, not the household's now;
once the site's manager closes the month its records are locked, and so are its figures.

Definitions, for a grid ``G`` and a month ``M``:

- ``recorded``: records of ``G`` for ``M`` (labour members on the month's roster).
- ``working``: of those, the records that say the member worked in ``M`` (在岗).
- ``households_recorded``: households whose records for ``M`` were entered in ``G`` (the
  household each member belonged to when the month was entered: a split later leaves it).
  A household counts in one grid a month, whatever happens: its members' records may have
  been entered in two grids (it moved while the month was being entered), and then it counts
  in the first of them by id, so that a site's households are its grids' households added up.
- ``households_working``: of those, the households with a member who worked in ``M`` (a
  working record in any grid); ``zero_employment`` (零就业) is their difference.
- ``by_location`` / ``by_channel``: working records by their work location (县内 / 县外省内 /
  省外) and channel, as recorded for the month.
- ``placed``: roster members with a placement starting in ``M``; ``exited``: roster members
  with a placement ending in ``M``.
- ``by_category``: roster members by the category of their latest assessment made by the end of
  ``M`` (``UNASSESSED`` when none was).

Every figure adds up across grids, so a site's, a township's or a county's figures are sums.
``month_counts`` counts any number of grids and months in the same seven queries.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, DateField, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth

from casework.cases.models import Assessment
from casework.monitoring.models import MonthlyWorkRecord
from casework.placement.models import Placement
from casework.registry.models import Household

if TYPE_CHECKING:  # django-stubs-ext is a development dependency
    from django_stubs_ext import WithAnnotations

UNASSESSED = "unassessed"
Key = tuple[int, datetime.date]  # (grid id, month's first day)


@dataclass
class MonthCounts:
    """One grid's (or a sum of grids') figures for one month; see the module's definitions."""

    recorded: int = 0
    working: int = 0
    households_recorded: int = 0
    households_working: int = 0
    placed: int = 0
    exited: int = 0
    by_location: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    # How the work went (``quality``): tallies by assignee, by days or months, by label.
    tasks_open: dict[str, int] = field(default_factory=dict)
    tasks_overdue: dict[str, int] = field(default_factory=dict)
    placement_wait: dict[str, int] = field(default_factory=dict)
    trained: int = 0
    trained_placed: int = 0
    zero_cleared: dict[str, int] = field(default_factory=dict)
    zero_cleared_late: int = 0
    zero_over_limit: int = 0
    followed: dict[str, int] = field(default_factory=dict)
    visits_overdue: dict[str, int] = field(default_factory=dict)

    @property
    def zero_employment(self) -> int:
        return self.households_recorded - self.households_working

    @property
    def overdue_tasks(self) -> int:
        return sum(self.tasks_overdue.values())

    @property
    def households_followed(self) -> int:
        return sum(self.followed.values())

    @property
    def visits_on_time(self) -> int:
        """Households followed whose visit was not overdue at the month's end."""
        return self.households_followed - sum(self.visits_overdue.values())

    @property
    def median_wait(self) -> float | None:
        """The median of ``placement_wait`` in days (None when nobody was placed)."""
        return histogram_median(self.placement_wait)

    def add(self, other: "MonthCounts") -> "MonthCounts":
        """The sum of two sets of figures (a new object)."""
        total = MonthCounts()
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if isinstance(mine, dict):
                merged = dict(mine)
                for code, count in theirs.items():
                    merged[code] = merged.get(code, 0) + count
                setattr(total, f.name, merged)
            else:
                setattr(total, f.name, mine + theirs)
        return total

    def as_json(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> "MonthCounts":
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})  # type: ignore[arg-type]  # JSON of as_json


def histogram_median(tallies: dict[str, int]) -> float | None:
    """The median of the numbers a histogram ``{str(number): how many}`` holds."""
    values = sorted((int(v), n) for v, n in tallies.items() if n)
    size = sum(n for _v, n in values)
    if not size:
        return None

    def nth(index: int) -> int:  # the index-th value (from 0) in order
        for value, n in values:
            if index < n:
                return value
            index -= n
        raise IndexError(index)

    return (nth((size - 1) // 2) + nth(size // 2)) / 2


def total(parts: Iterable[MonthCounts]) -> MonthCounts:
    result = MonthCounts()
    for part in parts:
        result = result.add(part)
    return result


def roster(grid_ids: Iterable[int], months: Iterable[datetime.date]) -> QuerySet[MonthlyWorkRecord]:
    """The records of ``grid_ids`` for ``months`` (first days): the months' rosters."""
    return MonthlyWorkRecord.objects.filter(grid_id__in=list(grid_ids), month__in=list(months))


def _local_month(name: str) -> TruncMonth:
    """The month a date or moment falls in, as its first day (a moment's in local time)."""
    return TruncMonth(name, output_field=DateField())


def _placements(edge: str) -> Exists:
    """Whether the record's member has a placement whose ``edge`` date is in the record's
    month."""
    dated = Placement.objects.annotate(edge_month=_local_month(edge))
    return Exists(dated.filter(member=OuterRef("member_id"), edge_month=OuterRef("month")))


class _CategoryThen(TypedDict):
    """What ``with_category`` adds to each record."""

    category_then: str | None


def with_category(
    records: QuerySet[MonthlyWorkRecord],
) -> "QuerySet[WithAnnotations[MonthlyWorkRecord, _CategoryThen]]":
    """Annotate each record with ``category_then``: the category of its member's latest
    assessment made in or before the record's month (None when none was)."""
    made = Assessment.objects.annotate(made_month=_local_month("assessed_at"))
    latest = made.filter(member=OuterRef("member_id"), made_month__lte=OuterRef("month"))
    return records.annotate(
        category_then=Subquery(latest.order_by("-version").values("category")[:1])
    )


class _Household(TypedDict):
    """What ``with_household`` adds to each record."""

    home_grid: int
    household_working: bool


def with_household(
    records: QuerySet[MonthlyWorkRecord],
) -> "QuerySet[WithAnnotations[MonthlyWorkRecord, _Household]]":
    """Annotate each record with its household's ``home_grid`` that month (the first grid by
    id its members' records were entered in) and ``household_working`` (a member of it worked
    that month)."""
    same = MonthlyWorkRecord.objects.filter(
        household_id=OuterRef("household_id"), month=OuterRef("month")
    )
    return records.annotate(
        home_grid=Subquery(same.order_by("grid_id").values("grid_id")[:1]),
        household_working=Exists(same.filter(working=True)),
    )


def _grouped(records: QuerySet[MonthlyWorkRecord], by: str) -> dict[Key, dict[str, int]]:
    found: dict[Key, dict[str, int]] = {}
    for row in records.values("grid_id", "month", by).annotate(n=Count("pk")).order_by():
        code = row[by] if row[by] is not None else UNASSESSED
        found.setdefault((row["grid_id"], row["month"]), {})[code] = row["n"]
    return found


def month_counts(
    grid_ids: Iterable[int], months: Iterable[datetime.date]
) -> dict[Key, MonthCounts]:
    """The figures of each of ``grid_ids`` for each of ``months`` (first days) that has a
    roster; grid-months without one are absent (their figures are all zero)."""
    records = roster(grid_ids, months)
    working = records.filter(working=True)
    counts: dict[Key, MonthCounts] = {}
    totals = (
        records.values("grid_id", "month")
        .annotate(n_recorded=Count("pk"), n_working=Count("pk", filter=Q(working=True)))
        .order_by()
    )
    for row in totals:  # (annotations named apart from the field ``working``)
        counts[(row["grid_id"], row["month"])] = MonthCounts(
            recorded=row["n_recorded"], working=row["n_working"]
        )
    households = (
        with_household(records)
        .filter(home_grid=F("grid_id"))
        .values("grid_id", "month")
        .annotate(
            n_households=Count("household_id", distinct=True),
            n_households_working=Count(
                "household_id", filter=Q(household_working=True), distinct=True
            ),
        )
        .order_by()
    )
    for row in households:
        key = (row["grid_id"], row["month"])
        counts[key].households_recorded = row["n_households"]
        counts[key].households_working = row["n_households_working"]
    for name, edge in (("placed", "start_date"), ("exited", "end_date")):
        moved = records.filter(_placements(edge)).values("grid_id", "month")
        for row in moved.annotate(n=Count("pk")).order_by():
            setattr(counts[(row["grid_id"], row["month"])], name, row["n"])
    breakdowns = (
        ("by_location", _grouped(working, "location_class")),
        ("by_channel", _grouped(working, "channel")),
        ("by_category", _grouped(with_category(records), "category_then")),
    )
    for name, grouped in breakdowns:
        for key, tallies in grouped.items():
            setattr(counts[key], name, tallies)
    return counts


# The figures whose list (drill-down) is of households rather than of members' records.
HOUSEHOLD_FIGURES = ("households_recorded", "households_working", "zero_employment")


def records_behind(
    grid_ids: Iterable[int], month: datetime.date, figure: str, code: str = ""
) -> QuerySet[MonthlyWorkRecord]:
    """The records a member figure of ``month`` counts (one per member), for ``grid_ids``."""
    records = roster(grid_ids, [month])
    if figure == "recorded":
        return records
    if figure == "working":
        return records.filter(working=True)
    if figure in ("placed", "exited"):
        return records.filter(_placements("start_date" if figure == "placed" else "end_date"))
    if figure == "location":
        return records.filter(working=True, location_class=code)
    if figure == "channel":
        return records.filter(working=True, channel=code)
    if figure == "category":
        with_then = with_category(records)
        if code == UNASSESSED:
            return with_then.filter(category_then=None)  # IS NULL
        return with_then.filter(category_then=code)
    raise ValueError(figure)


def households_behind(
    grid_ids: Iterable[int], month: datetime.date, figure: str
) -> QuerySet[Household]:
    """The households a household figure of ``month`` counts, for ``grid_ids``."""
    homes = with_household(roster(grid_ids, [month])).filter(home_grid=F("grid_id"))
    recorded = Household.objects.filter(pk__in=homes.values("household_id"))
    working = Q(pk__in=homes.filter(household_working=True).values("household_id"))
    if figure == "households_recorded":
        return recorded
    if figure == "households_working":
        return recorded.filter(working)
    if figure == "zero_employment":
        return recorded.exclude(working)
    raise ValueError(figure)
