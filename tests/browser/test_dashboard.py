"""The dashboard once its chart has rendered: a full-page screenshot for the test artefacts."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import VIEWPORT

pytestmark = pytest.mark.browser


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_dashboard_screenshot_after_the_chart_rendered(signed_in: Page, artifacts: Path) -> None:
    page = signed_in
    chart = page.locator("#trend-chart")
    expect(chart).to_have_attribute("data-rendered", "true")
    # ECharts drew into the div (SVG renderer): the legend names the series.
    expect(chart.locator("svg")).to_have_count(1)
    expect(chart.locator("svg")).to_contain_text("Units returned")
    expect(page.locator("#top-skus tbody tr").first).to_be_visible()

    target = artifacts / "dashboard.png"
    target.unlink(missing_ok=True)
    page.screenshot(path=target, full_page=True)
    width, height = png_size(target)
    assert width == VIEWPORT["width"]
    assert height >= VIEWPORT["height"]
