"""The month's 通报 as PDF (issue 23, acceptance 5): a page for the unit and one for each unit one
tier down, each with its figures, its year's trend, its charts (static SVG) and the figures'
definitions; every figure on the page can be read back from the PDF; printing it is recorded."""

import re
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from casework.audit.models import AuditEvent
from casework.reports.monthly.counts import total
from casework.reports.monthly.dates import months_ending
from casework.reports.monthly.quality import month_figures_count
from casework.reports.monthly.services import _tier
from casework.reports.monthly.units import unit_named

from .world import MONTH

pytestmark = pytest.mark.django_db
URL = "/figures/bulletin.pdf"


def _text(content: bytes, tmp_path: Path) -> tuple[str, int]:
    source = tmp_path / "bulletin.pdf"
    source.write_bytes(content)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(source), "-"],
                          check=True, capture_output=True, text=True).stdout  # fmt: skip
    info = subprocess.run(["pdfinfo", str(source)], check=True, capture_output=True, text=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
    return re.sub(r"\s+", "", text), pages


def test_the_bulletin_holds_every_figure_of_each_tier(li_county, tmp_path):
    client = Client()
    client.force_login(li_county.bureau)
    key = f"county:{li_county.li.pk}"
    response = client.post(URL, {"unit": key, "month": MONTH.strftime("%Y-%m")})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    text, pages = _text(response.content, tmp_path)
    assert pages >= 3  # the county, then 城关镇 and 石桥镇, each on its own page(s)
    a1, a2, b1 = li_county.grid_a1.pk, li_county.grid_a2.pk, li_county.grid_b1.pk
    year = months_ending(MONTH)
    counted = month_figures_count([a1, a2, b1], year)
    for grids, title in (([a1, a2, b1], "礼县2026年8月就业帮扶工作通报"),
                         ([a1, a2], "礼县城关镇2026年8月就业帮扶工作通报"),
                         ([b1], "礼县石桥镇2026年8月就业帮扶工作通报")):  # fmt: skip
        assert title in text
        figures = total(counted.get((g, MONTH)) or total([]) for g in grids)
        for shown in (f"{figures.working}/{figures.recorded}",
                      f"{figures.households_working}/{figures.households_recorded}"):  # fmt: skip
            assert shown in text, (title, shown)
        for month in year:  # the year's table: every month's share in work
            m = total(counted.get((g, month)) or total([]) for g in grids)
            assert f"{m.working}/{m.recorded}" in text
    assert "统计口径" in text and "务工月监测" in text
    event = AuditEvent.objects.get(action="dashboard.month_bulletin")
    assert event.changes["unit"] == [None, key]


def test_the_bulletins_charts_are_drawn_as_svg(li_county):
    tier = _tier(unit_named(f"county:{li_county.li.pk}"), MONTH)
    assert len(tier.trend.columns) == 12
    recorded = [m for m in tier.page.trend if m.counts.recorded]  # July and August
    assert len(recorded) == 2
    # One point for each month with records; a month without any has no share to draw.
    assert all(line.points.count(",") == len(recorded) for line in tier.trend.lines)
    assert [bar.label for bar in tier.children.bars] == ["礼县 城关镇", "礼县 石桥镇"]
    assert any(chart.bars for chart, _figures in tier.breakdowns)


def test_a_bulletin_of_a_unit_not_the_readers_is_refused(li_county):
    client = Client()
    client.force_login(li_county.manager)
    key = f"county:{li_county.li.pk}"  # B is not his
    assert client.post(URL, {"unit": key, "month": "2026-08"}).status_code == 404
    assert client.get(URL).status_code == 405
    assert not AuditEvent.objects.filter(action="dashboard.month_bulletin").exists()
