"""Make the README's screenshots of the demo data: docs/screenshot-dashboard.png (the
dashboard) and docs/screenshot-replenishment-inbound.png (inbound to FBA, with the demo's
shipped plan).

    .venv/bin/python -m tests.browser.docs_screenshot

Not a test: it generates and imports the demo data set (about half a minute), marks the
demo plans shipped, serves it, signs in as the demo owner and saves the first screen of each
page at 1280x900.
"""

from __future__ import annotations

import re
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    TIMEOUT_MS,
    VIEWPORT,
    aftersales,
    server_env,
    sign_in,
    start_server,
    stop_server,
)

DOCS = ROOT / "docs"
MAX_BYTES = 400_000


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="aftersales-docs-") as temp:
        base = Path(temp)
        env = server_env(base / "var")
        end = datetime.now(UTC).date().isoformat()
        output = aftersales(
            env,
            base,
            ["demo", "generate", str(base / "demo"), "--end-date", end],
            ["demo", "import", str(base / "demo")],
            ["demo", "owner"],
            ["demo", "plans", "--as-of", end],
        )
        found = re.search(r"Demo owner: (\S+)\s+password: (\S+)", output)
        assert found, output
        email, password = found.groups()
        process, url, _log = start_server(base, env)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                context = browser.new_context(base_url=url, viewport=VIEWPORT, locale="en-US")
                context.set_default_timeout(TIMEOUT_MS)
                page = context.new_page()
                sign_in(page, email, password)
                page.wait_for_url(url + "/")
                expect(page.locator("#trend-chart")).to_have_attribute("data-rendered", "true")
                DOCS.mkdir(exist_ok=True)
                page.screenshot(path=DOCS / "screenshot-dashboard.png")
                page.goto(url + "/replenishment/inbound?status=shipped")
                expect(page.locator("#inbound-lots [data-shipment]").first).to_be_visible()
                page.screenshot(path=DOCS / "screenshot-replenishment-inbound.png")
                browser.close()
        finally:
            stop_server(process)
    sizes = {
        name: (DOCS / name).stat().st_size
        for name in ("screenshot-dashboard.png", "screenshot-replenishment-inbound.png")
    }
    for name, size in sizes.items():
        print(f"docs/{name}: {size} bytes")
    return 0 if max(sizes.values()) <= MAX_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
