"""Horizontal bar charts as geometry for ``templates/reports/_bar_chart.html`` (inline SVG).

The page and the PDF draw the same charts from the same numbers: no script, nothing fetched.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from casework.registry.models import Site

from .figures import Dashboard, Share, Tally
from .snapshots import TrendPoint

WIDTH = 560
LABEL_WIDTH = 210  # room for the longest channel name (16 characters at 12 px)
VALUE_WIDTH = 110
GAP = 8
ROW = 26
BAR = 16
BAR_X = LABEL_WIDTH + GAP
TRACK = WIDTH - BAR_X - GAP - VALUE_WIDTH


@dataclass(frozen=True)
class Bar:
    label: str | Promise
    value: str
    y: int  # top of the bar
    width: float
    track: float  # the whole (100 %) drawn behind a share; 0 for a count
    over: bool = False  # a share above 100 % (more people on posts than the quota)

    @property
    def baseline(self) -> int:
        return self.y + BAR - 4

    @property
    def text_x(self) -> float:
        return BAR_X + max(self.width, self.track) + GAP


@dataclass(frozen=True)
class BarChart:
    title: str | Promise
    bars: list[Bar]
    width: int = WIDTH
    bar_x: int = BAR_X
    label_x: int = LABEL_WIDTH
    bar_height: int = BAR

    @property
    def height(self) -> int:
        return len(self.bars) * ROW + 4


def _y(index: int) -> int:
    return 4 + index * ROW + (ROW - BAR) // 2


def count_chart(title: str | Promise, tallies: Sequence[Tally]) -> BarChart:
    """One bar per tally, the longest for the largest count."""
    largest = max((t.count for t in tallies), default=0)
    bars = [
        Bar(
            label=t.label,
            value=str(t.count),
            y=_y(i),
            width=round(TRACK * t.count / largest, 1) if largest else 0,
            track=0,
        )
        for i, t in enumerate(tallies)
    ]
    return BarChart(title=title, bars=bars)


def share_chart(title: str | Promise, rows: Sequence[tuple[str | Promise, Share]]) -> BarChart:
    """One bar per share on a 100 % track; a share above 100 % fills the track and is marked."""
    bars = []
    for i, (label, share) in enumerate(rows):
        ratio = share.part / share.whole if share.whole else 0
        bars.append(
            Bar(
                label=label,
                value=str(share),
                y=_y(i),
                width=round(TRACK * min(ratio, 1), 1),
                track=TRACK,
                over=ratio > 1,
            )
        )
    return BarChart(title=title, bars=bars)


@dataclass(frozen=True)
class DashboardCharts:
    shares: BarChart
    posts: BarChart
    categories: BarChart
    channels: BarChart
    groups: BarChart


def dashboard_charts(figures: Dashboard) -> DashboardCharts:
    """The dashboard's five charts."""
    shares = [
        (_("Labour members assessed"), figures.assessed),
        (_("Labour members employed"), figures.employed),
        (_("Households with someone in work (1户1人)"), figures.households_employed),
        (_("Training pass rate"), figures.training),
    ]
    return DashboardCharts(
        shares=share_chart(_("Shares"), shares),
        posts=share_chart(
            _("Public-welfare posts"), [(_("People on post / quota"), figures.posts)]
        ),
        categories=count_chart(_("Labour members by assessment category"), figures.by_category),
        channels=count_chart(_("Labour members in work by channel"), figures.by_channel),
        groups=count_chart(_("Labour members in work by 七个一批 group"), figures.by_group),
    )


def trend_chart(trend: Sequence[TrendPoint]) -> BarChart | None:
    """Labour members employed at the end of each month with a snapshot (None: no month yet)."""
    if not trend:
        return None
    rows = [(point.label, point.employed) for point in trend]
    return share_chart(_("Labour members employed, month by month"), rows)


def dashboard_context(
    figures: Dashboard, scope: Sequence[Site], trend: Sequence[TrendPoint] = ()
) -> dict[str, Any]:
    """What the page and the PDF templates show."""
    return {
        "figures": figures,
        "charts": dashboard_charts(figures),
        "trend": trend_chart(trend),
        "scope": scope,
        "scope_names": "、".join(site.name for site in scope),
    }
