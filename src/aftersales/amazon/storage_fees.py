"""FBA monthly storage fee rates per cubic foot, read from dated data
(``data/storage_fees.json``) with their source; code never repeats them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

from aftersales.amazon.disposition_fees import SizeTier


@dataclass(frozen=True)
class StorageFeeTable:
    id: str
    marketplaces: tuple[str, ...]
    effective_from: date
    currency: str
    source: str
    rates: dict[tuple[SizeTier, int], Decimal]  # (tier, month 1–12) → per cubic foot per month

    def monthly_rate(self, tier: SizeTier, month: int) -> Decimal | None:
        return self.rates.get((tier, month))


def parse(raw: dict[str, Any]) -> tuple[StorageFeeTable, ...]:
    tables = []
    for item in raw["tables"]:
        if item.get("volume_unit", "cubic_foot") != "cubic_foot":
            raise ValueError(f"{item['id']}: volume_unit must be cubic_foot")
        rates: dict[tuple[SizeTier, int], Decimal] = {}
        for tier, bands in item["rates"].items():
            for band in bands:
                for month in band["months"]:
                    if not 1 <= int(month) <= 12:
                        raise ValueError(f"{item['id']}: month {month} is not 1-12")
                    rates[(SizeTier(tier), int(month))] = Decimal(band["rate"])
        tables.append(
            StorageFeeTable(
                id=item["id"],
                marketplaces=tuple(item["marketplaces"]),
                effective_from=date.fromisoformat(item["effective_from"]),
                currency=item["currency"],
                source=item["source"],
                rates=rates,
            )
        )
    return tuple(tables)


@lru_cache(maxsize=1)
def all_tables() -> tuple[StorageFeeTable, ...]:
    text = (
        resources.files("aftersales.amazon").joinpath("data/storage_fees.json").read_text("utf-8")
    )
    return parse(json.loads(text))


def table_for(
    marketplace_code: str, *, on: date, tables: tuple[StorageFeeTable, ...] | None = None
) -> StorageFeeTable | None:
    """The table in force on ``on``; None when none had started for the marketplace."""
    started = [
        table
        for table in (all_tables() if tables is None else tables)
        if marketplace_code in table.marketplaces and table.effective_from <= on
    ]
    return max(started, key=lambda table: table.effective_from) if started else None
