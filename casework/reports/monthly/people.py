"""The list behind each number of the month-end dashboard (selectors): the month's records of
the members a figure counts (with their channel's label), or the households it counts (with
their head), one row each, in a stable order."""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from casework.cases.models import Category
from casework.monitoring.models import MonthlyWorkRecord
from casework.policy.codes import LocationClass
from casework.policy.models import Code
from casework.policy.selectors import code_list
from casework.registry.models import Household, Member

from .counts import HOUSEHOLD_FIGURES, UNASSESSED, households_behind, records_behind
from .quality_lists import (
    HOUSEHOLD_LISTS,
    RECORD_LISTS,
    households_behind_quality,
    records_behind_quality,
)

TITLES: dict[str, str | Promise] = {
    "recorded": _("Labour members recorded"),
    "working": _("In work"),
    "placed": _("Placed this month"),
    "exited": _("Left a job this month"),
    "location": _("In work, by work location"),
    "channel": _("In work, by channel"),
    "category": _("By category"),
    "households_recorded": _("Households recorded"),
    "households_working": _("Households with someone in work"),
    "zero_employment": _("Zero-employment households"),
    "zero_cleared": _("Zero-employment households cleared this month"),
    "zero_over_limit": _("Zero-employment households past the limit"),
    "followed": _("Households followed"),
    "visits_overdue": _("Households whose visit was overdue at the month's end"),
    "trained": _("Passed a course (the month the window starts)"),
    "trained_placed": _("Passed a course and placed within the window"),
}
LISTS = frozenset(TITLES)


@dataclass(frozen=True)
class Rows:
    title: str
    households: bool  # rows are households (else members' records)
    queryset: QuerySet


def _code_label(figure: str, code: str) -> str:
    if figure == "location":
        return str(dict(LocationClass.choices).get(code, code or _("Not recorded")))
    if figure == "channel":
        labels = {c.code: c.label for c in code_list(Code.List.CHANNEL)}
        return str(labels.get(code, code or _("Not recorded")))
    if figure in ("followed", "visits_overdue"):
        return str(dict(Household.Colour.choices).get(code, code)) if code else ""
    if figure == "category":
        if code == UNASSESSED:
            return str(_("Not yet assessed (未评估)"))
        return str(dict(Category.choices).get(code, code))
    return ""


def figure_rows(grid_ids: list[int], month: datetime.date, figure: str, code: str = "") -> Rows:
    """The rows behind ``figure`` (one of ``LISTS``; ``code`` for a breakdown) of ``grid_ids``
    in ``month``."""
    label = _code_label(figure, code)
    title = f"{TITLES[figure]}：{label}" if label else str(TITLES[figure])
    if figure in HOUSEHOLD_FIGURES or figure in HOUSEHOLD_LISTS:
        head = Member.objects.filter(
            household=OuterRef("pk"), relationship=Member.Relationship.HEAD
        )
        # Where the household was that month (the grid it counts in), not where it is now.
        home = MonthlyWorkRecord.objects.filter(household=OuterRef("pk"), month=month).order_by(
            "grid_id"
        )
        behind = (
            households_behind(grid_ids, month, figure)
            if figure in HOUSEHOLD_FIGURES
            else households_behind_quality(grid_ids, month, figure, code)
        )
        households = behind.annotate(
            head=Subquery(head.values("name")[:1]),
            month_site=Subquery(home.values("grid__site__name")[:1]),
            month_grid=Subquery(home.values("grid__name")[:1]),
        ).order_by("month_site", "month_grid", "number")
        return Rows(title, households=True, queryset=households)
    channel = Code.objects.filter(list_name=Code.List.CHANNEL, code=OuterRef("channel"))
    entered = (
        records_behind_quality(grid_ids, month, figure)
        if figure in RECORD_LISTS
        else records_behind(grid_ids, month, figure, code)
    )
    records = (
        entered.select_related("member", "household", "grid__site")
        .annotate(channel_label=Subquery(channel.values("label")[:1]))
        .order_by("grid__site__code", "grid__code", "household__number", "member_id")
    )
    return Rows(title, households=False, queryset=records)
