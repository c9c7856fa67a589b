"""Uploading report files on the Imports page: each file gets a card that polls itself (HTMX)
while the server's job threads import it, then shows the summary or the rejected lines."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DATA, STORE_A, report_rows

pytestmark = pytest.mark.browser

GOOD = DATA / "feedback_us.txt"  # seller feedback: changes no figure the other tests read
BAD = DATA / "fba_returns_bad_rows.txt"


def test_upload_shows_the_summary_of_a_good_file_and_the_errors_of_a_bad_one(
    signed_in: Page,
) -> None:
    page = signed_in
    page.locator("nav.areas").get_by_role("link", name="Imports").click()
    expect(page.get_by_role("heading", name="Imports", level=1)).to_be_visible()
    form = page.locator("#upload-form")
    form.get_by_label("Store").select_option(label=f"{STORE_A} (NA)")

    uploads = page.locator("#uploads")
    good = uploads.locator("article.job").filter(has_text=GOOD.name)
    bad = uploads.locator("article.job").filter(has_text=BAD.name)

    # One file at a time: two uploads at once can fail on SQLite ("database is locked").
    page.locator("#file-input").set_input_files(GOOD)
    expect(good).to_have_attribute("data-status", "done")
    expect(good.locator(".status")).to_have_text("Imported")
    rows = len(report_rows(GOOD))
    expect(good.locator("dd[data-count=rows]")).to_have_text(str(rows))
    expect(good.locator("dd[data-count=inserted]")).to_have_text(str(rows))
    expect(good.locator("dd[data-count=rejected]")).to_have_text("0")
    expect(good.locator("dd").first).to_have_text("GET_SELLER_FEEDBACK_DATA")

    page.locator("#file-input").set_input_files(BAD)
    expect(bad).to_have_attribute("data-status", "rejected")
    expect(bad.locator(".status")).to_have_text("Rejected: nothing was written")
    expect(bad.locator("dd[data-count=inserted]")).to_have_text("0")
    expect(bad.locator("dd[data-count=rejected]")).to_have_text("2")
    errors = bad.locator("table.errors tbody tr")
    expect(errors).to_have_count(2)
    # Line numbers count the header as line 1, as an editor shows the file.
    expect(errors.nth(0).locator("td")).to_have_text(["3", "quantity", "one", "not a whole number"])
    expect(errors.nth(1).locator("td")).to_have_text(
        ["4", "order-id", "", "required value is empty"]
    )
    expect(
        bad.get_by_role("link", name="Download all 2 errors with their lines (CSV)")
    ).to_be_visible()

    # After a reload both uploads are listed; only the good file made it into the history.
    page.reload()
    recent = page.locator("article.job")
    expect(recent.filter(has_text=GOOD.name)).to_have_count(1)
    expect(recent.filter(has_text=BAD.name)).to_have_count(1)
    history = page.locator("#batches tbody tr")
    expect(history.filter(has_text=GOOD.name)).to_have_count(1)
    expect(history.filter(has_text=BAD.name)).to_have_count(0)


def test_a_failed_upload_shows_the_servers_message_not_the_whole_page(signed_in: Page) -> None:
    page = signed_in
    page.goto("/imports")
    # The server's own error page (the layout around a message), answered with status 500
    # in place of the upload: what a server error during an upload sends back.
    error_page = page.request.get("/imports/jobs/999999")
    assert error_page.status == 404
    page.route(
        "**/imports/upload",
        lambda route: route.fulfill(status=500, content_type="text/html", body=error_page.body()),
    )

    page.locator("#file-input").set_input_files(GOOD)

    card = page.locator("#uploads article.job").filter(has_text=GOOD.name)
    expect(card).to_have_class(re.compile(r"\bjob-rejected\b"))
    message = card.locator(".flash-error")
    expect(message).to_have_text(re.compile(r"^Not found \S"))
    expect(message).not_to_contain_text("Sign out")
    expect(message).not_to_contain_text("amazon.com")
