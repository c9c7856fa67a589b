"""The returns list: search and filter (HTMX swaps the table), then export what is shown."""

from __future__ import annotations

import csv
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    ALPHA_RETURNS,
    BRAVO_RETURNS,
    STORE_A,
    STORE_B,
    report_rows,
)

pytestmark = pytest.mark.browser

SKU = "LM-KT-0042-BLK"
REASON = "UNWANTED_ITEM"


def expected(q: str, reason: str | None = None) -> set[tuple[str, str, str]]:
    """(store, SKU, LPN) of the imported returns that match, read from the report files."""
    found = set()
    for store, path in ((STORE_A, ALPHA_RETURNS), (STORE_B, BRAVO_RETURNS)):
        for row in report_rows(path):
            if q in row["sku"] and reason in (None, row["reason"]):
                found.add((store, row["sku"], row["license-plate-number"]))
    return found


def test_filter_the_returns_and_export_exactly_the_rows_shown(signed_in: Page) -> None:
    page = signed_in
    page.locator("nav.areas").get_by_role("link", name="Returns", exact=True).click()
    rows = page.locator("#returns-table tbody tr")
    everything = len(report_rows(ALPHA_RETURNS)) + len(report_rows(BRAVO_RETURNS))
    expect(rows).to_have_count(everything)

    def shown() -> set[tuple[str, str, str]]:
        return {
            (
                row.locator("td").nth(1).inner_text(),
                row.locator("td").nth(3).inner_text().splitlines()[0],
                row.locator("td").nth(8).inner_text(),
            )
            for row in rows.all()
        }

    filters = page.locator("#returns-filters")
    filters.get_by_label("SKU, ASIN, order or LPN").fill(SKU)
    filters.get_by_label("SKU, ASIN, order or LPN").press("Enter")
    by_sku = expected(SKU)
    assert 0 < len(by_sku) < everything
    expect(rows).to_have_count(len(by_sku))
    expect(page).to_have_url(re.compile(rf"/returns\?.*q={SKU}"))
    assert shown() == by_sku

    # Choosing a reason applies at once (no button); the search stays.
    filters.get_by_label("Reason").select_option(REASON)
    by_reason = expected(SKU, REASON)
    assert 0 < len(by_reason) < len(by_sku)
    expect(rows).to_have_count(len(by_reason))
    expect(page).to_have_url(re.compile(rf"reason={REASON}"))
    assert shown() == by_reason

    with page.expect_download() as info:
        page.get_by_role("link", name="Export CSV").click()
    download = info.value
    assert re.fullmatch(r"returns-\d{8}-\d{6}\.csv", download.suggested_filename)
    with open(download.path(), encoding="utf-8-sig", newline="") as handle:
        exported = list(csv.DictReader(handle))
    assert {(r["Store"], r["SKU"], r["LPN"]) for r in exported} == by_reason
    assert len(exported) == len(by_reason)
    assert {r["Reason"] for r in exported} == {REASON}

    # Clearing brings every return back.
    page.get_by_role("link", name="Clear").click()
    expect(rows).to_have_count(everything)
