"""Locust users of the web benchmark (bench/web.py starts locust with this file).

Settings come from the environment that bench/web.py sets:

- BENCH_WEB_MODE: ``pages`` (sign in, then dashboard and filtered returns list in a loop)
  or ``baseline`` (GET /login signed out: the same server's cheapest page).
- BENCH_WEB_USERS: JSON list of [email, password] pairs (``pages`` mode).
- BENCH_WEB_DASHBOARD: path of the dashboard (``/`` or ``/?as_of=YYYY-MM-DD``).
- BENCH_WEB_MONTHS: JSON list of [first day, last day] of the months to filter on.
- BENCH_WEB_MARKETS: JSON list of marketplace codes to choose in the switcher.
- BENCH_WEB_REASONS: JSON list of [reason, weight] to filter on.
- BENCH_WEB_USER_COUNT, BENCH_WEB_SECONDS: users that sign in (one at a time) before the
  load starts, and the seconds measured from then on (stats are reset at that moment).

There is no think time: each user sends its next request as soon as the last one answered,
so 20 users keep 20 requests in flight (like ``wrk -c 20``).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from urllib.parse import urlencode

import gevent
from gevent.event import Event
from gevent.lock import Semaphore
from locust import FastHttpUser, constant, task

MODE = os.environ.get("BENCH_WEB_MODE", "pages")
USERS = json.loads(os.environ.get("BENCH_WEB_USERS", "[]"))
DASHBOARD = os.environ.get("BENCH_WEB_DASHBOARD", "/")
MONTHS = json.loads(os.environ.get("BENCH_WEB_MONTHS", "[]"))
MARKETS = json.loads(os.environ.get("BENCH_WEB_MARKETS", "[]"))
REASONS = json.loads(os.environ.get("BENCH_WEB_REASONS", "[]"))

USER_COUNT = int(os.environ.get("BENCH_WEB_USER_COUNT", "1"))
SECONDS = float(os.environ.get("BENCH_WEB_SECONDS", "30"))

# FastHttpUser (geventhttpclient) costs the load generator far less CPU per request than
# HttpUser (requests); on a 2-core machine shared with the server that CPU is the server's.
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
_CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
_numbers = itertools.count()
# Sign-ins one at a time: concurrent ones fail on SQLite ("database is locked", see
# bench/README.md), and the load starts only when every user is signed in.
_sign_in_lock = Semaphore(1)
_signed_in = itertools.count(1)
_all_signed_in = Event()


class PagesUser(FastHttpUser):
    """Signs in once, then: dashboard of all stores, a filtered returns list, again."""

    wait_time = constant(0)

    def on_start(self) -> None:
        number = next(_numbers)
        self.rng = random.Random(number)
        if MODE != "pages":
            return
        with _sign_in_lock:
            self._sign_in(*USERS[number % len(USERS)])
        if next(_signed_in) >= USER_COUNT:
            # Everyone is in: the measured window starts now and lasts BENCH_WEB_SECONDS
            # (locust's own -t is only a safety limit that includes the sign-ins).
            self.environment.stats.reset_all()
            runner = self.environment.runner
            if runner is not None:
                gevent.spawn_later(SECONDS, runner.quit)
            _all_signed_in.set()
        _all_signed_in.wait()

    def _sign_in(self, email: str, password: str) -> None:
        page = self.client.get("/login", name="sign-in")
        found = _CSRF.search(page.text)
        if found is None:
            raise RuntimeError("no csrf_token on /login")
        self.csrf = found.group(1)
        with self.client.post(
            "/login",
            data=urlencode(
                {"email": email, "password": password, "csrf_token": self.csrf, "next": "/"}
            ),
            headers=FORM,
            name="sign-in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 303:
                response.failure(f"sign-in answered {response.status_code}")
                raise RuntimeError(f"sign-in failed: {response.status_code}")
        # A new session after sign-in: its csrf token is on any page.
        page = self.client.get("/login?next=/settings", name="sign-in")
        found = _CSRF.search(page.text)
        if found is None:
            raise RuntimeError("no csrf_token after sign-in")
        self.csrf = found.group(1)

    def _scope(self, marketplace: str) -> None:
        """The store and marketplace switcher (a session setting)."""
        with self.client.post(
            "/scope",
            data=urlencode({"store": "all", "marketplace": marketplace, "csrf_token": self.csrf}),
            headers=FORM,
            name="scope",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 303:
                response.failure(f"/scope answered {response.status_code}")

    @task
    def loop(self) -> None:
        if MODE != "pages":
            with self.client.get("/login", name="baseline", catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"answered {response.status_code}")
            return
        rng = self.rng
        self._scope("all")
        with self.client.get(DASHBOARD, name="dashboard", catch_response=True) as response:
            if response.status_code != 200 or "<h1" not in response.text:
                response.failure(f"dashboard answered {response.status_code}")
        self._scope(rng.choice(MARKETS))
        first, last = rng.choice(MONTHS)
        reasons, weights = zip(*REASONS, strict=True)
        params = {
            "date_from": first,
            "date_to": last,
            "reason": rng.choices(reasons, weights)[0],
            "sort": "-return_date",
            "page": "1" if rng.random() < 0.8 else "2",
        }
        with self.client.get(
            "/returns?" + urlencode(params), name="returns-filtered", catch_response=True
        ) as response:
            if response.status_code != 200 or "returns-filters" not in response.text:
                response.failure(f"returns list answered {response.status_code}")
