"""The month-end dashboard's charts as Apache ECharts options (plain data: the page hands them to
``static/casework/figures-charts.js`` through ``json_script``). A point that stands for people
carries the address of their list, and a unit's or a month's point the address of its page: a
click on it opens it."""

from collections.abc import Callable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from .page import Figure, MonthPage, list_query

Option = dict[str, Any]
PALETTE = ["#1f6fb2", "#2e9d5b", "#d9822b", "#c23b3b", "#7a5cc0", "#4b8f8c"]


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def trend_option(page: MonthPage, month_url: Callable[[str], str]) -> Option:
    """Twelve months: the two shares in work and the share of visits on time (lines, left
    axis, %) and the counts of zero-employment households, people placed, people who left a
    job and tasks overdue (bars, right axis)."""
    months = [m.month.strftime("%Y-%m") for m in page.trend]

    def points(values: Sequence[float | int | None]) -> list[dict[str, Any]]:
        return [{"value": v, "url": month_url(m)} for v, m in zip(values, months, strict=True)]

    counts = [m.counts for m in page.trend]
    lines = (
        (_("Share in work (%)"), [_percent(c.working, c.recorded) for c in counts]),
        (
            _("1户1人 share (%)"),
            [_percent(c.households_working, c.households_recorded) for c in counts],
        ),  # fmt: skip
        (
            _("Visits on time (%)"),
            [_percent(c.visits_on_time, c.households_followed) for c in counts],
        ),  # fmt: skip
    )
    bars = (
        (_("Zero-employment households"), [c.zero_employment for c in counts]),
        (_("Placed this month"), [c.placed for c in counts]),
        (_("Left a job this month"), [c.exited for c in counts]),
        (_("Overdue tasks"), [c.overdue_tasks for c in counts]),
    )
    series = [{"name": n, "type": "line", "yAxisIndex": 0, "data": points(v)} for n, v in lines]
    series += [{"name": n, "type": "bar", "yAxisIndex": 1, "data": points(v)} for n, v in bars]
    return {
        "color": PALETTE,
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "type": "scroll"},
        "grid": {"left": 48, "right": 48, "top": 56, "bottom": 32},
        "xAxis": {"type": "category", "data": months},
        "yAxis": [
            {"type": "value", "min": 0, "max": 100, "name": "%"},
            {"type": "value", "minInterval": 1, "name": _("Count")},
        ],
        "series": series,
    }


def bars_option(page: MonthPage, figures: Sequence[Figure], list_url: str) -> Option:
    """One horizontal bar per figure; a click opens the list of the people it counts."""
    rows = list(reversed(figures))  # ECharts draws the first category at the bottom
    data = [
        {"value": f.value, "url": f"{list_url}?{list_query(page.unit, page.month, f.key, f.code)}"}
        for f in rows
    ]
    return {
        "color": PALETTE,
        "tooltip": {"trigger": "item"},
        "grid": {"left": 8, "right": 48, "top": 8, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": [str(f.label) for f in rows]},
        "series": [{"type": "bar", "data": data, "label": {"show": True, "position": "right"}}],
    }


def children_option(page: MonthPage, unit_url: Callable[[str], str]) -> Option:
    """The share in work of each unit one tier down; a click opens that unit's page."""
    rows = list(reversed(page.children))
    return {
        "color": PALETTE[1:],
        "tooltip": {"trigger": "item"},
        "grid": {"left": 8, "right": 56, "top": 8, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "min": 0, "max": 100, "name": "%"},
        "yAxis": {"type": "category", "data": [row.unit.label for row in rows]},
        "series": [
            {
                "type": "bar",
                "data": [
                    {
                        "value": _percent(row.counts.working, row.counts.recorded),
                        "url": unit_url(row.unit.key),
                    }
                    for row in rows
                ],
                "label": {"show": True, "position": "right", "formatter": "{c}%"},
            }
        ],
    }
