"""Browser fixtures: a real `aftersales serve` on a fresh SQLite data directory, prepared
through the CLI, and Playwright driving the system's Chromium (never a downloaded one).

Where no Chromium is installed the browser tests skip with a message saying so; in CI
(the CI variable is set) they fail instead, so CI never goes green without running them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize

DATA = Path(__file__).resolve().parent.parent / "data"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
BIN = Path(sys.executable).parent
CHROMIUM = os.environ.get("AFTERSALES_CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000

EMAIL = "owner@browser.test"
PASSWORD = "correct horse battery staple"
STORE_A = "alpha-na"
STORE_B = "bravo-eu"
# What each store holds (the tests read their expectations from these files).
ALPHA_REPORTS = ("fba_returns_us.txt", "all_orders_us_ca.txt", "myi_inventory_us.txt")
BRAVO_REPORTS = ("fba_returns_reordered_extra.txt", "restock_de_quoted.txt")  # marketplace DE
ALPHA_RETURNS = DATA / ALPHA_REPORTS[0]
BRAVO_RETURNS = DATA / BRAVO_REPORTS[0]

# The reports are imported from copies whose dates all move by the same number of days, so
# that the newest one falls LATEST_DAYS_AGO days before today: the dashboard's default 30-day
# window (ending today) then holds every imported order and return, whatever day it is.
LATEST_DAYS_AGO = 3
ISO_DAY = re.compile(rb"(?<![\d-])(\d{4}-\d{2}-\d{2})(?=T\d)")


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: browser tests must run in CI)", pytrace=False)
    pytest.skip(reason)


@dataclass(frozen=True)
class Server:
    url: str
    data_dir: Path
    reports: Path  # the date-shifted copies that were imported before start
    log: Path  # the server's output: look here when a page shows "Server error"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AFTERSALES_")}
    env["AFTERSALES_DATA_DIR"] = str(data_dir)
    env["AFTERSALES_LANGUAGE"] = "en"  # the output read back (the demo owner's password)
    env["PYTHONUNBUFFERED"] = "1"
    return env


# Runs `aftersales` commands one after the other in one Python process (the same entry point
# as the console script, without paying the interpreter's start-up once per command).
_RUN_COMMANDS = """
import json, sys
from aftersales.cli import app
for args in json.loads(sys.argv[1]):
    print("$ aftersales", *args, flush=True)
    code = app(args, prog_name="aftersales", standalone_mode=False)
    if code:
        sys.exit(code)
"""


def aftersales(env: dict[str, str], cwd: Path, *commands: list[str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _RUN_COMMANDS, json.dumps(commands)],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, f"aftersales failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def copy_shifted(source: Path, target_dir: Path, days: int) -> Path:
    """A copy of a report with every ISO date-time moved by ``days`` (bytes kept otherwise)."""

    def shift(match: re.Match[bytes]) -> bytes:
        moved = date.fromisoformat(match.group(1).decode()) + timedelta(days=days)
        return moved.isoformat().encode()

    target = target_dir / source.name
    target.write_bytes(ISO_DAY.sub(shift, source.read_bytes()))
    return target


def start_server(base: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str, Path]:
    port = _free_port()
    log = base / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(BIN / "aftersales"), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=base,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            raise RuntimeError(
                f"aftersales serve exited ({process.returncode}):\n{log.read_text()}"
            )
        try:
            with urllib.request.urlopen(url + "/login", timeout=1) as response:
                if response.status == 200:
                    return process, url, log
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"aftersales serve did not answer on {url}:\n{log.read_text()}")
        time.sleep(0.1)  # polling the port: there is nothing to wait on but the socket


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        _missing(
            f"no Chromium at {CHROMIUM}: install Debian's `chromium` package "
            "(or point AFTERSALES_CHROMIUM at a Chromium binary) to run the browser tests"
        )
    return CHROMIUM


@pytest.fixture(scope="session")
def server(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Two stores, reports imported through the CLI, one owner of both; then `serve`."""
    base = tmp_path_factory.mktemp("browser")
    data_dir = base / "var"
    reports = base / "reports"
    reports.mkdir()
    env = server_env(data_dir)
    newest = max(
        date.fromisoformat(day.decode())
        for name in ALPHA_REPORTS + BRAVO_REPORTS
        for day in ISO_DAY.findall((DATA / name).read_bytes())
    )
    shift = (datetime.now(UTC).date() - timedelta(days=LATEST_DAYS_AGO) - newest).days
    alpha = [str(copy_shifted(DATA / name, reports, shift)) for name in ALPHA_REPORTS]
    bravo = [str(copy_shifted(DATA / name, reports, shift)) for name in BRAVO_REPORTS]

    aftersales(
        env,
        base,
        ["stores", "add", STORE_A, "--region", "NA"],
        ["stores", "add", STORE_B, "--region", "EU"],
        ["import", "--store", STORE_A, *alpha],
        ["import", "--store", STORE_B, "--marketplace", "DE", *bravo],
        ["users", "add", EMAIL, "--store", STORE_A, "--role", "owner", "--password", PASSWORD],
        ["users", "add", EMAIL, "--store", STORE_B, "--role", "owner"],
    )

    process, url, log = start_server(base, env)
    try:
        yield Server(url=url, data_dir=data_dir, reports=reports, log=log)
    finally:
        stop_server(process)


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    from playwright.sync_api import expect, sync_playwright

    # Imports run in the server's job threads: give the page time to catch up (default 5 s).
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def context(browser: Browser, server: Server) -> Iterator[BrowserContext]:
    """A fresh profile per test: no cookie, so no session, store choice or language."""
    created = browser.new_context(
        base_url=server.url, viewport=VIEWPORT, locale="en-US", accept_downloads=True
    )
    created.set_default_timeout(TIMEOUT_MS)
    try:
        yield created
    finally:
        created.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def sign_in(page: Page, email: str = EMAIL, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def signed_in(page: Page, server: Server) -> Page:
    sign_in(page)
    page.wait_for_url(server.url + "/")
    return page


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def report_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a tab-separated report file, by header name (what the import reads)."""
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter="\t"))
