"""The printed 通报's charts as static SVG geometry (``templates/reports/_month_trend.html`` and
the dashboard's ``_bar_chart.html``): the same numbers as the page's interactive charts, drawn
without a script so that WeasyPrint prints them."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ..dashboard.charts import BarChart, count_chart, share_chart
from ..dashboard.figures import Share, Tally
from .page import Figure, MonthPage

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 44, 34, 28
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
LINE_COLOURS = ("#1f6fb2", "#2e9d5b")
BAR_COLOUR = "#d9822b"


@dataclass(frozen=True)
class Line:
    label: str | Promise
    colour: str
    points: str  # "x,y x,y …" (months without a share are left out)
    legend_x: int


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    height: float
    value: int


@dataclass(frozen=True)
class Tick:
    y: float
    left: str
    right: str


@dataclass(frozen=True)
class MonthLabel:
    x: float
    text: str


@dataclass(frozen=True)
class TrendSvg:
    width: int
    height: int
    plot_left: int
    plot_right: int
    lines: list[Line]
    columns: list[Column]
    column_width: float
    bar_label: str | Promise
    bar_legend_x: int
    ticks: list[Tick]
    months: list[MonthLabel]


def trend_svg(page: MonthPage) -> TrendSvg:
    """The twelve months: the shares in work (lines, 0–100 % on the left) and the
    zero-employment households (columns, counted on the right)."""
    counts = [m.counts for m in page.trend]
    step = PLOT_W / len(counts)
    centre = [LEFT + step * (i + 0.5) for i in range(len(counts))]
    largest = max([c.zero_employment for c in counts] + [1])
    top = _round_up(largest)
    columns = []
    width = step * 0.5
    for x, c in zip(centre, counts, strict=True):
        height = PLOT_H * c.zero_employment / top
        columns.append(Column(x - width / 2, TOP + PLOT_H - height, height, c.zero_employment))
    shares = (
        (_("Share in work (%)"), [Share(c.working, c.recorded) for c in counts]),
        (
            _("1户1人 share (%)"),
            [Share(c.households_working, c.households_recorded) for c in counts],
        ),  # fmt: skip
    )
    lines = []
    for index, (label, values) in enumerate(shares):
        points = " ".join(
            f"{x:.1f},{TOP + PLOT_H * (1 - s.percent / 100):.1f}"
            for x, s in zip(centre, values, strict=True)
            if s.percent is not None
        )
        lines.append(Line(label, LINE_COLOURS[index], points, LEFT + index * 170))
    ticks = [Tick(TOP + PLOT_H * (1 - q / 4), f"{25 * q}", f"{top * q // 4}") for q in range(5)]
    months = [MonthLabel(x, m.month.strftime("%y-%m")) for x, m in zip(centre, page.trend,
                                                                      strict=True)]  # fmt: skip
    return TrendSvg(
        width=WIDTH, height=HEIGHT, plot_left=LEFT, plot_right=WIDTH - RIGHT, lines=lines,
        columns=columns, column_width=width, bar_label=_("Zero-employment households"),
        bar_legend_x=LEFT + 340, ticks=ticks, months=months,
    )  # fmt: skip


def _round_up(value: int) -> int:
    """The smallest multiple of 4 (the right axis's four steps) at least ``value``."""
    return max(4, -(-value // 4) * 4)


def breakdown_svg(title: str | Promise, figures: list[Figure]) -> BarChart:
    return count_chart(title, [Tally(f.code, f.label, f.value) for f in figures])


def children_svg(page: MonthPage) -> BarChart:
    rows = [(row.unit.label, Share(row.counts.working, row.counts.recorded))
            for row in page.children]  # fmt: skip
    return share_chart(_("Share in work"), rows)
