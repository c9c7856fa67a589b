"""Signing in, the language switch and the store switch, as a user clicks through them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import Locator, Page, expect

from aftersales.kit.i18n import LOCALE_DIR, LOCALES
from tests.browser.conftest import (
    ALPHA_RETURNS,
    BRAVO_RETURNS,
    EMAIL,
    STORE_A,
    STORE_B,
    Server,
    report_rows,
    sign_in,
)

pytestmark = pytest.mark.browser

ZH = "zh_CN"


def returned_units(*reports: Path) -> int:
    return sum(int(row["quantity"]) for path in reports for row in report_rows(path))


def card(page: Page, label: str) -> Locator:
    """The figure of a dashboard card, found by its label as a reader finds it."""
    return (
        page.locator("#headline .card")
        .filter(has=page.locator(".label", has_text=re.compile(f"^{re.escape(label)}$")))
        .locator(".value")
    )


def zh_translation(message: str) -> str | None:
    """The zh_CN catalog's translation of ``message``, if it has one yet (as the app reads it)."""
    path = LOCALE_DIR / ZH / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return None
    with path.open("rb") as handle:
        found = read_po(handle, locale=ZH).get(message)
    if found is None or found.fuzzy or not isinstance(found.string, str) or not found.string:
        return None
    return found.string


def test_sign_in_refuses_a_wrong_password_then_shows_the_dashboard(
    page: Page, server: Server
) -> None:
    sign_in(page, password="not the password")
    expect(page.locator("#login-error")).to_have_text("Wrong e-mail or password.")
    expect(page.get_by_label("E-mail")).to_have_value(EMAIL)
    expect(page.locator("header.topbar")).to_have_count(0)

    sign_in(page)
    expect(page).to_have_url(server.url + "/")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    expect(page.locator("header.topbar .who")).to_have_text(EMAIL)
    # All my stores by default: both stores' returns are in the last 30 days.
    expect(page.locator("#store-switch")).to_have_value("all")
    expect(card(page, "Units returned")).to_have_text(
        str(returned_units(ALPHA_RETURNS, BRAVO_RETURNS))
    )
    # Returns in the US (alpha-na) and Germany (bravo-eu): one row per marketplace.
    markets = page.locator("#by-marketplace tbody tr td:first-child")
    expect(markets.filter(has_text="US")).to_have_count(1)
    expect(markets.filter(has_text="DE")).to_have_count(1)


def test_language_switches_to_simplified_chinese_and_back(signed_in: Page, server: Server) -> None:
    page = signed_in
    html = page.locator("html")
    nav_returns = page.locator("nav.areas [data-nav=returns]")
    to_chinese = page.get_by_role("button", name=LOCALES[ZH])
    to_english = page.get_by_role("button", name=LOCALES["en"])
    expect(html).to_have_attribute("lang", "en")
    expect(nav_returns).to_have_text("Returns")
    expect(to_english).to_have_count(0)

    to_chinese.click()
    try:
        expect(html).to_have_attribute("lang", "zh-CN")
        expect(page).to_have_url(server.url + "/")
        expect(to_english).to_be_visible()
        expect(to_chinese).to_have_count(0)
        # Until the catalog translates it, a message falls back to English.
        expect(nav_returns).to_have_text(zh_translation("Returns") or "Returns")
        heading = zh_translation("Dashboard")
        if heading:
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)

        # The choice belongs to the session: the next page is in Chinese too.
        nav_returns.click()
        expect(page).to_have_url(server.url + "/returns")
        expect(html).to_have_attribute("lang", "zh-CN")

        to_english.click()
        expect(html).to_have_attribute("lang", "en")
        expect(page).to_have_url(server.url + "/returns")
        expect(nav_returns).to_have_text("Returns")
        expect(page.get_by_role("heading", level=1)).to_have_text("FBA customer returns")
    finally:
        # The language is saved on the user: never leave the shared account in Chinese.
        if html.get_attribute("lang") != "en":
            page.request.post(
                "/language",
                form={
                    "locale": "en",
                    "csrf_token": page.locator("body").get_attribute("data-csrf") or "",
                },
            )


def test_store_switch_shows_only_that_stores_data(signed_in: Page, server: Server) -> None:
    page = signed_in
    stores = page.locator("#store-switch")
    alpha = report_rows(ALPHA_RETURNS)
    bravo = report_rows(BRAVO_RETURNS)

    stores.select_option(label=STORE_B)
    expect(stores.locator("option:checked")).to_have_text(STORE_B)
    expect(page).to_have_url(server.url + "/")
    expect(card(page, "Units returned")).to_have_text(str(returned_units(BRAVO_RETURNS)))
    # An EU store: only European marketplaces are offered.
    marketplaces = page.locator("#marketplace-switch option")
    expect(marketplaces.filter(has_text=re.compile(r"^DE "))).to_have_count(1)
    expect(marketplaces.filter(has_text=re.compile(r"^US "))).to_have_count(0)
    # Inventory health: bravo-eu's one restock row (DE), none of alpha-na's US inventory.
    inventory = page.locator("#inventory tbody tr")
    expect(inventory).to_have_count(1)
    expect(inventory.locator("td:nth-child(2)")).to_have_text(["DE"])

    page.locator("nav.areas").get_by_role("link", name="Returns", exact=True).click()
    rows = page.locator("#returns-table tbody tr")
    expect(rows).to_have_count(len(bravo))
    expect(rows.locator("td:nth-child(2)")).to_have_text([STORE_B] * len(bravo))
    expect(rows.locator("td:nth-child(3)")).to_have_text(["DE"] * len(bravo))
    assert sorted(rows.locator("td:last-child").all_inner_texts()) == sorted(
        row["license-plate-number"] for row in bravo
    )

    # Switching on the returns page stays there, now with the other store's rows.
    stores.select_option(label=STORE_A)
    expect(page).to_have_url(server.url + "/returns")
    expect(stores.locator("option:checked")).to_have_text(STORE_A)
    expect(rows).to_have_count(len(alpha))
    expect(rows.locator("td:nth-child(2)")).to_have_text([STORE_A] * len(alpha))
    lpns = sorted(rows.locator("td:last-child").all_inner_texts())
    assert lpns == sorted(row["license-plate-number"] for row in alpha)
