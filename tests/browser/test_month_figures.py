"""The county's bureau reads its month-end figures in a real browser (issue 23, acceptance 3):
it opens the county's dashboard on the demo's year, switches to another month, drills into a
township, a site and a grid by clicking the tables, and opens the list behind a number; the
charts are drawn from the project's own copy of Apache ECharts and no request leaves the
machine. Screenshots at 1366 px and at 390 px go to test-artifacts/month-figures-*.png."""

import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from casework.monitoring.selectors import month_before, month_of
from casework.registry.models import Grid, Region
from casework.reports.monthly.counts import month_counts, total
from casework.reports.monthly.quality import month_figures_count
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _follow(page, link, heading: str) -> None:
    """Click a link (Turbo fetches the page, and may change the address before it renders) and
    wait until the new page's heading names ``heading`` and its trend is drawn."""
    link.click()
    expect(page.locator("h1")).to_contain_text(heading)
    page.wait_for_selector("wf-chart[data-option=chart-trend] svg")


def _tile(page, figure: str) -> str:
    return page.locator(f"[data-figure={figure}] .mf-tile__of").inner_text().strip()


def test_the_county_bureau_reads_switches_months_and_drills_into_a_grid(
    live_server, browser, artifacts
):
    call_command("seed_demo", stdout=io.StringIO())
    base = live_server.url
    last = month_before(month_of(timezone.localdate()))
    earlier = month_before(month_before(last))
    county = Region.objects.get(code="621226000000")
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
    refused: list[str] = []  # the content security policy holds for ECharts too
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text
            else None)  # fmt: skip
    sign_in(page, base, "county")

    page.goto(f"{base}/figures/")
    assert "礼县" in page.locator("h1").inner_text()
    page.wait_for_selector("wf-chart[data-option=chart-trend] svg")  # ECharts drew the trend
    assert page.locator("wf-chart svg").count() >= 4
    grids = list(Grid.objects.filter(site__county=county).values_list("pk", flat=True))
    figures = total(month_counts(grids, [last]).values())
    assert _tile(page, "working") == f"{figures.working} / {figures.recorded}"
    # How the work went: the households followed by label add up to the count's.
    quality = total(month_figures_count(grids, [last]).values())
    cells = page.locator("[data-test=quality-visits] tbody tr td:nth-child(2)").all_inner_texts()
    assert sum(int(cell) for cell in cells) == quality.households_followed > 0
    page.locator("[data-test=quality]").screenshot(
        path=str(artifacts / "month-figures-quality.png")
    )
    page.hover("wf-chart[data-option=chart-trend]")  # its tooltip
    page.screenshot(path=str(artifacts / "month-figures-county.png"), full_page=True)

    # Another month, through the form.
    page.select_option("#mf-month", earlier.strftime("%Y-%m"))
    with page.expect_navigation():
        page.locator("[data-test=month-form] button[type=submit]").click()
    assert f"month={earlier:%Y-%m}" in page.url
    assert earlier.strftime("%Y-%m") in page.locator("h1").inner_text()
    then = total(month_counts(grids, [earlier]).values())
    assert _tile(page, "working") == f"{then.working} / {then.recorded}"

    # Down the tiers: the township, its site, a grid, by the tables' links.
    for expected in ("城关镇", "安置社区", "网格"):
        _follow(page, page.locator("[data-test=children] tbody a").first, expected)
        assert f"month={earlier:%Y-%m}" in page.url
    assert not page.locator("[data-test=children]").count()  # a grid has no tier below
    unit = re.search(r"unit=grid%3A(\d+)", page.url)
    assert unit, page.url
    grid_figures = month_counts([int(unit.group(1))], [earlier]).get((int(unit.group(1)), earlier))
    assert _tile(page, "working") == f"{grid_figures.working} / {grid_figures.recorded}"
    page.screenshot(path=str(artifacts / "month-figures-grid.png"), full_page=True)

    # The people behind the grid's number in work.
    before = page.url
    page.locator("[data-figure=working]").click()
    page.wait_for_url(lambda url: url != before)
    page.wait_for_selector("[data-test=people]")
    assert page.locator("[data-test=people] tbody tr").count() == min(grid_figures.working, 50)
    page.screenshot(path=str(artifacts / "month-figures-list.png"), full_page=True)

    # The same county page on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/figures/")
    page.wait_for_selector("wf-chart[data-option=chart-trend] svg")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    page.screenshot(path=str(artifacts / "month-figures-county-phone.png"), full_page=True)
    context.close()
    assert outside == []
    assert refused == []
