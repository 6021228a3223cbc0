"""The dates and amounts the monitoring rules compare against: a year's 监测范围, and a day some
months on. Read by the services, the selectors and the nightly rules alike."""

import datetime
from decimal import Decimal

from django.utils import timezone

from casework.policy.params import param


def threshold_for_year(year: int) -> Decimal:
    """The year's 监测范围: the value in force on its last day (today, for this year)."""
    day = min(datetime.date(year, 12, 31), timezone.localdate())
    return Decimal(param("monitoring.threshold", on=day))


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the month's last day where it is shorter)."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month + 1, last)
        except ValueError:
            continue
    raise AssertionError("unreachable")
