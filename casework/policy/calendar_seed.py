"""The working-day calendar's seed: every year the chinese-calendar library knows, with its
holidays on weekdays and its working weekends, added after each migrate (and after a flush)
for the years not yet recorded, never over a year an administrator entered."""

from typing import Any

import chinese_calendar
from django.db import connections, transaction

from .calendar_models import WorkCalendarDay, WorkCalendarYear

# The library names holidays in English.
NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节", "Anti-Fascist 70th Day": "抗战胜利纪念日",
}  # fmt: skip


def calendar_seed(*, using: str = "default") -> int:
    """Add the library's years the calendar lacks; the number of years added."""
    tables = connections[using].introspection.table_names()
    if WorkCalendarYear._meta.db_table not in tables:
        return 0
    holidays, workdays = chinese_calendar.constants.holidays, chinese_calendar.constants.workdays
    known = {day.year for day in holidays} | {day.year for day in workdays}
    recorded = set(WorkCalendarYear.objects.using(using).values_list("year", flat=True))
    missing = sorted(known - recorded)
    if not missing:
        return 0
    days = [
        WorkCalendarDay(day=day, working=False, name=NAMES.get(str(name), str(name)))
        for day, name in holidays.items()
        if day.year in missing and day.weekday() < 5
    ] + [
        WorkCalendarDay(day=day, working=True, name=NAMES.get(str(name), str(name)))
        for day, name in workdays.items()
        if day.year in missing and day.weekday() >= 5
    ]
    with transaction.atomic(using=using):
        WorkCalendarDay.objects.using(using).bulk_create(days, ignore_conflicts=True)
        library = WorkCalendarYear.Source.LIBRARY
        WorkCalendarYear.objects.using(using).bulk_create(
            [WorkCalendarYear(year=year, source=library) for year in missing]
        )
    return len(missing)


def calendar_seed_on_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    calendar_seed(using=using)
