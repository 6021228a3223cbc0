"""Counting working days (工作日) on the working-day calendar (``calendar_models``): weekdays
work and weekends rest, except the days the calendar lists. A count that reaches into a year
the calendar does not know is refused (``CalendarMissing``): the administrator enters that
year's schedule first.

The calendar is read once per year per process and kept ten minutes, so a deadline costs no
query on the hot path; an administrator's change is seen within that time."""

import datetime
import time

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .calendar_models import WorkCalendarDay, WorkCalendarYear

KEEP_SECONDS = 600
_years: dict[int, tuple[float, frozenset[datetime.date], frozenset[datetime.date]] | None] = {}


class CalendarMissing(ValidationError):
    """A count of working days reaches into a year with no holiday schedule."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            _(
                "The holidays of %(year)d are not in the working-day calendar yet, so a "
                "deadline in working days cannot be counted. An administrator enters them "
                "(System administration → Working-day calendar)."
            )
            % {"year": year},
            code="calendar_missing",
        )


def calendar_forget() -> None:
    """Read the calendar again on next use (after an administrator's change, and in tests)."""
    _years.clear()


def _year(year: int) -> tuple[frozenset[datetime.date], frozenset[datetime.date]]:
    """The year's (rest days on weekdays, working days on weekends)."""
    held = _years.get(year)
    if held is None or time.monotonic() - held[0] > KEEP_SECONDS:
        if not WorkCalendarYear.objects.filter(year=year).exists():
            raise CalendarMissing(year)
        days = WorkCalendarDay.objects.filter(day__year=year).values_list("day", "working")
        rest = frozenset(day for day, working in days if not working)
        work = frozenset(day for day, working in days if working)
        held = _years[year] = (time.monotonic(), rest, work)
    return held[1], held[2]


def is_working_day(day: datetime.date) -> bool:
    rest, work = _year(day.year)
    return day in work or (day.weekday() < 5 and day not in rest)


def working_days_after(start: datetime.date, days: int) -> datetime.date:
    """The ``days``-th working day after ``start`` (``start`` itself not counted)."""
    day, counted = start, 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def years_missing(today: datetime.date) -> list[int]:
    """This year and next, when the calendar lacks them (the administrator's warning)."""
    wanted = {today.year, today.year + 1}
    known = set(WorkCalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    return sorted(wanted - known)
