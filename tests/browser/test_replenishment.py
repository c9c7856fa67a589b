"""Replenishment in the browser: from the list to the inbound page, whose shipped units
name the day they reach FBA and why, then to the listing that counts them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_inbound_units_from_the_list_to_the_listing(signed_in: Page) -> None:
    page = signed_in
    page.locator("nav.areas").get_by_role("link", name="Replenishment", exact=True).click()
    page.get_by_role("link", name="Inbound to FBA").click()
    # Store B's restock report (DE): 10 units of LM-KT-0042-BLK shipped, first seen on the
    # report's day (today): sea 35 + receiving 10 days. Store A's inventory report names no
    # marketplace, so it cannot be planned and is not listed.
    rows = page.locator("#inbound-lots tbody tr")
    expect(rows).to_have_count(1)
    row = rows.first
    expect(row).to_have_attribute("data-sku", "LM-KT-0042-BLK")
    expect(row).to_have_attribute("data-status", "shipped")
    expect(row.locator("td.num")).to_have_text("10")
    expect(row).to_contain_text("DE")
    expect(row).to_contain_text("+ 35 days sea + 10 receiving days")
    expect(page.locator('[data-units="shipped"]')).to_have_text("10")
    expect(page.locator('[data-units="working"]')).to_have_text("0")
    arrives = datetime.now(UTC).date() + timedelta(days=45)
    row.get_by_role("link", name="LM-KT-0042-BLK").click()
    arrival = page.locator('#arrivals tr[data-arrival="inbound"][data-status="shipped"]')
    expect(arrival).to_contain_text("in transit")
    expect(arrival).to_contain_text(f"{arrives.strftime('%b')} {arrives.day}, {arrives.year}")
    expect(arrival.locator("td.num")).to_have_text("10")
