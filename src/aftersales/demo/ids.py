"""Identifier factories and value formatters shared by the demo data generator."""

from __future__ import annotations

import functools
import math
import random
import string
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

UPPER_ALNUM = string.ascii_uppercase + string.digits
MIXED_ALNUM = string.ascii_letters + string.digits


class IdFactory:
    """Draws identifiers from one random stream and guarantees they never repeat."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._seen: set[str] = set()

    def _unique(self, make: Callable[[], str]) -> str:
        while True:
            candidate = make()
            if candidate not in self._seen:
                self._seen.add(candidate)
                return candidate

    def digits(self, length: int) -> str:
        return str(self._rng.randrange(10 ** (length - 1), 10**length))

    def alnum(self, length: int, alphabet: str = UPPER_ALNUM) -> str:
        return "".join(self._rng.choices(alphabet, k=length))

    def order_id(self, prefix: str) -> str:
        return self._unique(
            lambda: f"{prefix}-{self._rng.randrange(10**7):07d}-{self._rng.randrange(10**7):07d}"
        )

    def asin(self) -> str:
        return self._unique(lambda: "B0" + self.alnum(8))

    def fnsku(self) -> str:
        return self._unique(lambda: "X00" + self.alnum(7))

    def lpn(self) -> str:
        return self._unique(lambda: "LPN" + self.alnum(9))

    def merchant_id(self) -> str:
        return self._unique(lambda: "A" + self.alnum(13))

    def number(self, length: int) -> str:
        """A unique decimal identifier (reimbursement ids, order item codes, case ids)."""
        return self._unique(lambda: self.digits(length))

    def shipment_id(self) -> str:
        return self._unique(lambda: "D" + self.alnum(8, MIXED_ALNUM))

    def rma_id(self) -> str:
        return self._unique(lambda: "D" + self.alnum(7, MIXED_ALNUM) + "RRMA")

    def removal_order_id(self) -> str:
        return self._unique(lambda: self.alnum(10, MIXED_ALNUM))

    def tracking(self, carrier: str) -> str:
        """A tracking number shaped like the carrier's own."""
        if carrier == "UPS":
            return self._unique(lambda: "1Z" + self.alnum(6) + self.digits(10))
        if carrier == "USPS":
            return self._unique(lambda: "9400" + self.digits(18))
        if carrier in {"DHL", "YAMATO", "JAPAN_POST", "CANADA_POST"}:
            return self._unique(lambda: self.digits(12))
        if carrier.startswith("AMZN"):
            return self._unique(lambda: "TBA" + self.digits(12))
        if carrier == "ROYAL_MAIL":
            return self._unique(lambda: "RM" + self.digits(9) + "GB")
        return self._unique(lambda: self.digits(14))


@functools.lru_cache(maxsize=65536)
def money(hundredths: int) -> str:
    """Format an amount held in hundredths of the currency unit, Amazon style (`-12.50`)."""
    sign = "-" if hundredths < 0 else ""
    whole, cents = divmod(abs(hundredths), 100)
    return f"{sign}{whole}.{cents:02d}"


def share(amount: int, rate_basis_points: int) -> int:
    """`amount * rate` for a rate in basis points, rounded half away from zero."""
    value = abs(amount) * rate_basis_points
    rounded = (value + 5000) // 10000
    return rounded if amount >= 0 else -rounded


@functools.lru_cache(maxsize=65536)
def iso(moment: datetime) -> str:
    """SP-API flat-file timestamp, e.g. `2026-05-12T09:59:13+00:00`."""
    return moment.isoformat(timespec="seconds")


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw; Knuth's method is fast enough for the small means used here."""
    if mean <= 0:
        return 0
    if mean > 40:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit = math.exp(-mean)
    count = 0
    product = rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def jitter(rng: random.Random, low_hours: float, high_hours: float) -> timedelta:
    """A random whole-second delay between two bounds given in hours."""
    return timedelta(seconds=rng.randint(int(low_hours * 3600), int(high_hours * 3600)))


def weighted(rng: random.Random, table: Mapping[str, float]) -> str:
    """Pick one key of `table` with probability proportional to its value."""
    keys = list(table)
    return rng.choices(keys, weights=[table[key] for key in keys], k=1)[0]
