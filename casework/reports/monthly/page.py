"""What the month-end dashboard shows of a unit and a month (selectors): the headline figures,
the twelve months' trend, the units one tier down and the breakdowns, each number with the
address of the list behind it. The page and the printed 通报 read the same object."""

import datetime
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from casework.audit.people import people_by
from casework.cases.models import Category
from casework.monitoring.selectors import month_last_day
from casework.policy.codes import LocationClass
from casework.policy.models import Code
from casework.policy.params import param
from casework.policy.selectors import code_list
from casework.registry.models import Household

from ..dashboard.figures import Share
from .counts import UNASSESSED, MonthCounts
from .dates import months_ending
from .selectors import Month, children_of, unit_months
from .units import Unit


@dataclass(frozen=True)
class Figure:
    key: str  # the figure's name in ``counts`` (and in the list's address)
    label: str | Promise
    value: int
    of: int | None = None  # the whole a share is taken of
    code: str = ""
    query: str = ""  # the query string of the list behind it (set by ``month_page``)

    @property
    def percent(self) -> float | None:
        return Share(self.value, self.of).percent if self.of is not None else None


@dataclass(frozen=True)
class ChildRow:
    unit: Unit
    counts: MonthCounts


@dataclass(frozen=True)
class Holder:
    """One person's tasks at the month's end (``name`` empty: tasks nobody held)."""

    name: str
    open: int
    overdue: int


@dataclass(frozen=True)
class LabelVisits:
    label: str | Promise
    followed: int
    overdue: int
    followed_query: str = ""
    overdue_query: str = ""

    @property
    def on_time(self) -> Share:
        return Share(self.followed - self.overdue, self.followed)


@dataclass(frozen=True)
class Quality:
    """How the work went in the month (``quality``), with the limits in force at its end."""

    holders: list[Holder]
    median_wait: float | None
    placements_measured: int
    trained: Share  # of those who passed a course ``window`` months before, placed within it
    window: int
    zero_cleared: int
    zero_cleared_late: int
    zero_over_limit: int
    limit: int
    visits: list[LabelVisits]
    queries: dict[str, str]  # the query strings of the lists behind the figures, by name


def quality(counts: MonthCounts, unit: Unit, month: datetime.date) -> Quality:
    """The quality block of ``counts`` (the names of the people holding tasks: two queries)."""
    names = people_by(usernames=set(counts.tasks_open) - {""})
    holders = [
        Holder(names.get(u, u), n, counts.tasks_overdue.get(u, 0))
        for u, n in counts.tasks_open.items()
    ]
    holders.sort(key=lambda h: (-h.overdue, -h.open, h.name == "", h.name))
    last_day = month_last_day(month)
    # Every label counted, a code no longer a label too, so that the rows add up.
    labels: dict[str, str | Promise] = dict(Household.Colour.choices)
    labels.update({code: code for code in counts.followed if code not in labels})
    return Quality(
        holders=holders,
        median_wait=counts.median_wait,
        placements_measured=sum(counts.placement_wait.values()),
        trained=Share(counts.trained_placed, counts.trained),
        window=int(param("figures.training_to_work_months", last_day)),
        zero_cleared=sum(counts.zero_cleared.values()),
        zero_cleared_late=counts.zero_cleared_late,
        zero_over_limit=counts.zero_over_limit,
        limit=int(param("figures.zero_clear_months", last_day)),
        visits=[
            _label_visits(counts, unit, month, colour, label)
            for colour, label in labels.items()
            if counts.followed.get(colour)
        ],
        queries={
            name: list_query(unit, month, name)
            for name in ("trained", "trained_placed", "zero_cleared", "zero_over_limit")
        },
    )


def _label_visits(
    counts: MonthCounts, unit: Unit, month: datetime.date, colour: str, label: str | Promise
) -> LabelVisits:
    return LabelVisits(
        label,
        counts.followed.get(colour, 0),
        counts.visits_overdue.get(colour, 0),
        followed_query=list_query(unit, month, "followed", colour),
        overdue_query=list_query(unit, month, "visits_overdue", colour),
    )


@dataclass(frozen=True)
class MonthPage:
    unit: Unit
    month: datetime.date
    current: Month
    trend: list[Month]
    children: list[ChildRow]
    headline: list[Figure]
    by_category: list[Figure]
    by_channel: list[Figure]
    by_location: list[Figure]
    quality: Quality


def headline(counts: MonthCounts) -> list[Figure]:
    return [
        Figure("recorded", _("Labour members recorded"), counts.recorded),
        Figure("working", _("In work"), counts.working, of=counts.recorded),
        Figure(
            "households_working",
            _("Households with someone in work (1户1人)"),
            counts.households_working,
            of=counts.households_recorded,
        ),
        Figure("zero_employment", _("Zero-employment households"), counts.zero_employment),
        Figure("placed", _("Placed this month"), counts.placed),
        Figure("exited", _("Left a job this month"), counts.exited),
    ]


def breakdowns(counts: MonthCounts) -> tuple[list[Figure], list[Figure], list[Figure]]:
    """By category (then the unassessed), by channel (every code the list ever had, then codes
    it does not know) and by work location; a breakdown lists only the codes counted."""
    Labels = list[tuple[str, str | Promise]]
    # Every category (非劳动力 too: a member assessed so by the month's end after that
    # month's record was entered), so that the breakdown adds up to the members recorded.
    categories: Labels = [(str(c), c.label) for c in Category]
    categories.append((UNASSESSED, _("Not yet assessed (未评估)")))
    known: Labels = [(c.code, c.label) for c in code_list(Code.List.CHANNEL)]
    known += [(code, code or _("Not recorded")) for code in counts.by_channel
              if code not in {c for c, _l in known}]  # fmt: skip
    locations: Labels = [(str(c), c.label) for c in LocationClass]
    locations += [("", _("Not recorded"))]

    def figures(name: str, tallies: dict[str, int], labels: Labels) -> list[Figure]:
        return [Figure(name, label, tallies[code], code=code)
                for code, label in labels if tallies.get(code)]  # fmt: skip

    return (
        figures("category", counts.by_category, categories),
        figures("channel", counts.by_channel, known),
        figures("location", counts.by_location, locations),
    )


def month_page(unit: Unit, month: datetime.date) -> MonthPage:
    """Everything the page shows of ``unit`` for ``month`` (first day): two reads of the stored
    figures (the unit's year, its children's month), and the code lists."""
    months = months_ending(month)
    year = unit_months([unit.key], months)
    children = children_of(unit)
    theirs = unit_months([c.key for c in children], [month]) if children else {}
    current = year[(unit.key, month)]

    def linked(figures: list[Figure]) -> list[Figure]:
        return [replace(f, query=list_query(unit, month, f.key, f.code)) for f in figures]

    category, channel, location = (linked(f) for f in breakdowns(current.counts))
    return MonthPage(
        unit=unit,
        month=month,
        current=current,
        trend=[year[(unit.key, m)] for m in months],
        children=[ChildRow(c, theirs[(c.key, month)].counts) for c in children],
        headline=linked(headline(current.counts)),
        by_category=category,
        by_channel=channel,
        by_location=location,
        quality=quality(current.counts, unit, month),
    )


def list_query(unit: Unit, month: datetime.date, figure: str, code: str = "") -> str:
    """The query string of the list behind a figure."""
    query = {"unit": unit.key, "month": month.strftime("%Y-%m"), "figure": figure}
    if code:
        query["code"] = code
    return urlencode(query)
