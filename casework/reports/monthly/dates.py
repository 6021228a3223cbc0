"""Runs of months, each named by its first day."""

import datetime

from casework.monitoring.selectors import month_before, month_of

TREND_MONTHS = 12


def months_ending(month: datetime.date, count: int = TREND_MONTHS) -> list[datetime.date]:
    """``count`` months (first days) ending with ``month``, oldest first."""
    months = [month]
    while len(months) < count:
        months.append(month_before(months[-1]))
    return months[::-1]


def months_to_build(today: datetime.date) -> list[datetime.date]:
    """The nightly build's months: this month and the twelve before it (the trend's reach)."""
    return months_ending(month_of(today), TREND_MONTHS + 1)
