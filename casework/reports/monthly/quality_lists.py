"""The lists behind the quality figures of a month (selectors): the households a household
figure counts, or the training cohort's records (of the month the window started)."""

import datetime

from django.db.models import QuerySet

from casework.monitoring.models import MonthlyWorkRecord
from casework.registry.models import Household

from .quality import followed_households, trained_rows, zero_rows

# The lists behind the quality figures: households, or (training) the cohort's records.
HOUSEHOLD_LISTS = ("zero_cleared", "zero_over_limit", "followed", "visits_overdue")
RECORD_LISTS = ("trained", "trained_placed")


def households_behind_quality(
    grid_ids: list[int], month: datetime.date, figure: str, code: str = ""
) -> QuerySet[Household]:
    """The households a household quality figure of ``month`` counts (``code``: a label)."""
    if figure in ("zero_cleared", "zero_over_limit"):
        kinds = ("cleared", "cleared_late") if figure == "zero_cleared" else ("over_limit",)
        ids = [h for _g, h, kind, _m in zero_rows(grid_ids, month) if kind in kinds]
        return Household.objects.filter(pk__in=ids)
    followed = followed_households(grid_ids, month)
    if code:
        followed = followed.filter(colour_then=code)
    if figure == "visits_overdue":
        followed = followed.filter(late=True)
    elif figure != "followed":
        raise ValueError(figure)
    return Household.objects.filter(pk__in=followed.values("pk"))


def records_behind_quality(
    grid_ids: list[int], month: datetime.date, figure: str
) -> QuerySet[MonthlyWorkRecord]:
    """The cohort's records (of the month its window started) a training figure counts."""
    rows = trained_rows(grid_ids, month)
    if figure == "trained_placed":
        rows = [row for row in rows if row[2]]
    elif figure != "trained":
        raise ValueError(figure)
    return MonthlyWorkRecord.objects.filter(pk__in=[pk for pk, _g, _p in rows])
