"""Removal / disposal fee tables, liquidation proceeds and Grade & Resell assumptions, read
from dated data (``data/removal_fees.json``) with their source; code never repeats them."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from typing import Any

DEFAULT = "default"
KG_PER_LB = Decimal("0.45359237")


class SizeTier(StrEnum):
    STANDARD = "standard"
    OVERSIZE = "oversize"


class FeeKind(StrEnum):
    REMOVAL = "removal"
    DISPOSAL = "disposal"


@dataclass(frozen=True)
class WeightBand:
    fee: Decimal
    up_to: Decimal | None = None  # None: the open last band
    over: Decimal = Decimal(0)
    per_extra_unit: Decimal = Decimal(0)


@dataclass(frozen=True)
class FeeTable:
    id: str
    marketplaces: tuple[str, ...]
    effective_from: date
    currency: str
    weight_unit: str  # "lb" or "kg"
    source: str
    bands: dict[tuple[FeeKind, SizeTier], tuple[WeightBand, ...]]

    def fee(self, kind: FeeKind, tier: SizeTier, weight_kg: Decimal) -> Decimal | None:
        """The per-unit fee for a unit of ``weight_kg``; None when the table has no such tier."""
        bands = self.bands.get((kind, tier))
        if not bands:
            return None
        weight = weight_kg / KG_PER_LB if self.weight_unit == "lb" else weight_kg
        for band in bands:
            if band.up_to is not None and weight <= band.up_to:
                return band.fee
            if band.up_to is None:
                extra = max(weight - band.over, Decimal(0))
                # Amazon charges the weight above the band's start by started unit.
                return band.fee + band.per_extra_unit * math.ceil(extra)
        return None


@dataclass(frozen=True)
class LiquidationRule:
    id: str
    applies_to: str
    effective_from: date
    recovery_share: Decimal
    charges_removal_fee: bool
    source: str


@dataclass(frozen=True)
class GradeAndResellRule:
    id: str
    applies_to: str
    effective_from: date
    processing_fee: dict[SizeTier, Decimal]
    currency: str
    resale_share: Decimal
    source: str


def _bands(raw: dict[str, Any]) -> dict[tuple[FeeKind, SizeTier], tuple[WeightBand, ...]]:
    result = {}
    for kind in FeeKind:
        for tier_name, bands in raw.get(kind.value, {}).items():
            result[(kind, SizeTier(tier_name))] = tuple(
                WeightBand(
                    fee=Decimal(band["fee"]),
                    up_to=Decimal(band["up_to"]) if "up_to" in band else None,
                    over=Decimal(band.get("over", "0")),
                    per_extra_unit=Decimal(band.get("per_extra_unit", "0")),
                )
                for band in bands
            )
    return result


def parse(
    raw: dict[str, Any],
) -> tuple[tuple[FeeTable, ...], tuple[LiquidationRule, ...], tuple[GradeAndResellRule, ...]]:
    tables = tuple(
        FeeTable(
            id=item["id"],
            marketplaces=tuple(item["marketplaces"]),
            effective_from=date.fromisoformat(item["effective_from"]),
            currency=item["currency"],
            weight_unit=item["weight_unit"],
            source=item["source"],
            bands=_bands(item),
        )
        for item in raw.get("fee_tables", [])
    )
    liquidation = tuple(
        LiquidationRule(
            id=item["id"],
            applies_to=item["applies_to"],
            effective_from=date.fromisoformat(item["effective_from"]),
            recovery_share=Decimal(item["recovery_share"]),
            charges_removal_fee=bool(item["charges_removal_fee"]),
            source=item["source"],
        )
        for item in raw.get("liquidation", [])
    )
    grade_and_resell = tuple(
        GradeAndResellRule(
            id=item["id"],
            applies_to=item["applies_to"],
            effective_from=date.fromisoformat(item["effective_from"]),
            processing_fee={SizeTier(k): Decimal(v) for k, v in item["processing_fee"].items()},
            currency=item["currency"],
            resale_share=Decimal(item["resale_share"]),
            source=item["source"],
        )
        for item in raw.get("grade_and_resell", [])
    )
    return tables, liquidation, grade_and_resell


@lru_cache(maxsize=1)
def _loaded() -> tuple[
    tuple[FeeTable, ...], tuple[LiquidationRule, ...], tuple[GradeAndResellRule, ...]
]:
    text = (
        resources.files("aftersales.amazon").joinpath("data/removal_fees.json").read_text("utf-8")
    )
    return parse(json.loads(text))


def all_fee_tables() -> tuple[FeeTable, ...]:
    return _loaded()[0]


def fee_table_for(
    marketplace_code: str, *, on: date, tables: tuple[FeeTable, ...] | None = None
) -> FeeTable | None:
    """The table in force on ``on`` for the marketplace; None when none had started (or
    the marketplace has no table yet: its fees are then unknown, never borrowed)."""
    started = [
        table
        for table in (all_fee_tables() if tables is None else tables)
        if marketplace_code in table.marketplaces and table.effective_from <= on
    ]
    return max(started, key=lambda table: table.effective_from) if started else None


def _in_force(rules: tuple[Any, ...], marketplace_code: str, on: date) -> Any:
    for target in (marketplace_code, DEFAULT):
        started = [r for r in rules if r.applies_to == target and r.effective_from <= on]
        if started:
            return max(started, key=lambda rule: rule.effective_from)
    return None


def liquidation_for(marketplace_code: str, *, on: date) -> LiquidationRule | None:
    rule: LiquidationRule | None = _in_force(_loaded()[1], marketplace_code, on)
    return rule


def grade_and_resell_for(marketplace_code: str, *, on: date) -> GradeAndResellRule | None:
    rule: GradeAndResellRule | None = _in_force(_loaded()[2], marketplace_code, on)
    return rule
