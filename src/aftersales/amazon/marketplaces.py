"""Amazon marketplaces as static reference data loaded from a dated, sourced data file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import resources


class Region(StrEnum):
    NA = "NA"
    EU = "EU"
    FE = "FE"


@dataclass(frozen=True, slots=True)
class Marketplace:
    id: str
    code: str
    country: str
    domain: str
    currency: str
    time_zone: str
    language: str
    region: Region
    feedback_date_format: str

    @property
    def sales_channel(self) -> str:
        """How the marketplace is written in report columns such as `sales-channel`."""
        return "Amazon." + self.domain.removeprefix("amazon.")


@lru_cache(maxsize=1)
def all_marketplaces() -> tuple[Marketplace, ...]:
    raw = json.loads(
        resources.files("aftersales.amazon").joinpath("data/marketplaces.json").read_text("utf-8")
    )
    return tuple(
        Marketplace(**{**item, "region": Region(item["region"])}) for item in raw["marketplaces"]
    )


def by_code(code: str) -> Marketplace | None:
    code = code.strip().upper()
    if code == "GB":
        code = "UK"
    return next((m for m in all_marketplaces() if m.code == code), None)


def by_id(marketplace_id: str) -> Marketplace | None:
    return next((m for m in all_marketplaces() if m.id == marketplace_id), None)


def resolve(value: str) -> Marketplace | None:
    """Find a marketplace by code (US, DE), Amazon id or domain / sales channel (Amazon.de)."""
    value = value.strip()
    found = by_code(value) or by_id(value)
    if found:
        return found
    lowered = value.lower().removeprefix("www.")
    return next(
        (m for m in all_marketplaces() if lowered in (m.domain, m.sales_channel.lower())), None
    )


def sales_channel_to_code() -> dict[str, str]:
    """`Amazon.com` / `amazon.com` / `www.amazon.com` → `US`, for vectorised mapping."""
    mapping: dict[str, str] = {}
    for m in all_marketplaces():
        for name in (m.sales_channel, m.domain, "www." + m.domain):
            mapping[name] = m.code
            mapping[name.lower()] = m.code
    return mapping


def currency_to_code(region: Region | None) -> dict[str, str]:
    """Currencies that identify exactly one marketplace (USD → US; EUR is ambiguous)."""
    candidates = [m for m in all_marketplaces() if region is None or m.region == region]
    counts: dict[str, int] = {}
    for m in candidates:
        counts[m.currency] = counts.get(m.currency, 0) + 1
    return {m.currency: m.code for m in candidates if counts[m.currency] == 1}
