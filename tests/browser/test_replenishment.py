"""Replenishment in the browser: from the list to the inbound page, whose shipped units
name the day they reach FBA and why, then to the listing that counts them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from aftersales.inbound.views import ADDRESS_FIELDS
from tests.inbound.builders import SHENZHEN

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


def test_a_plan_marked_shipped_dates_the_listings_inbound_units(signed_in: Page) -> None:
    """Make a plan of 30 units of the DE listing whose report shows 10 in transit, export it,
    mark it shipped today by air: the inbound page then shows the shipment's 30 units (the
    report's 10 and 20 it could not show yet) with a link to the plan; set back to exported,
    the report's 10 units are dated by the report again."""
    page = signed_in
    page.goto("/inbound-plans/new")
    choose = page.locator('form[action="/inbound-plans/new"][method="get"]')
    # The store first: the marketplaces offered are its own.
    choose.locator('select[name="store_id"]').select_option(label="bravo-eu")
    choose.get_by_role("button", name="Show recommendations").click()
    choose.locator('select[name="marketplace"]').select_option("DE")
    choose.locator('select[name="shipping_mode"]').select_option("air")
    choose.get_by_role("button", name="Show recommendations").click()
    expect(page.locator("#recommendations")).to_be_visible()
    for box in page.locator('#recommendations input[name="sku"]').all():
        box.uncheck()
    page.locator('textarea[name="lines"]').fill("LM-KT-0042-BLK 30")
    page.get_by_role("button", name="Create draft plan").click()
    expect(page.locator('#plan-items [data-sku="LM-KT-0042-BLK"]')).to_have_count(1)
    plan_url = page.url
    address = SHENZHEN.model_dump()
    for name, label in ADDRESS_FIELDS:
        page.locator("#plan-form").get_by_label(label, exact=True).fill(address[name] or "")
    page.locator("#plan-form").get_by_role("button", name="Save").click()
    page.locator("#status-exported button").click()
    expect(page.locator("td[data-status]")).to_have_attribute("data-status", "exported")
    today = datetime.now(UTC).date()
    shipped = page.locator("#status-shipped")
    expect(shipped.locator('input[name="shipped_on"]')).to_have_value(today.isoformat())
    shipped.get_by_label("Shipment ID").fill("FBA15BROWSER1")
    shipped.locator("button").click()
    expect(page.locator("td[data-status]")).to_have_attribute("data-status", "shipped")
    expect(page.locator("[data-shipment-id]")).to_have_text("FBA15BROWSER1")

    page.goto("/replenishment/inbound")
    expect(page.locator('[data-units="shipped"]')).to_have_text("30")
    lots = page.locator('#inbound-lots tbody tr[data-sku="LM-KT-0042-BLK"]')
    for index in range(lots.count()):
        row = lots.nth(index)
        expect(row).to_have_attribute("data-status", "shipped")
        expect(row.locator("a[data-shipment]")).to_have_text("FBA15BROWSER1")
        expect(row).to_contain_text("shipment FBA15BROWSER1 left")
        expect(row).to_contain_text("days air")
    assert sum(int(lots.nth(i).locator("td.num").inner_text()) for i in range(lots.count())) == 30

    # Back to exported (as if it had not left): the reports date the units again.
    lots.first.locator("a[data-shipment]").click()
    page.wait_for_url(plan_url)
    page.locator("#status-exported button").click()
    expect(page.locator("td[data-status]")).to_have_attribute("data-status", "exported")
    page.goto("/replenishment/inbound")
    expect(page.locator('[data-units="shipped"]')).to_have_text("10")
    expect(page.locator("#inbound-lots a[data-shipment]")).to_have_count(0)
