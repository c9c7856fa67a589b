"""Reimbursement claim rules (waiting period, filing window, valuation) read from dated data.

The numbers live in ``data/claim_rules.json`` with their source; code never repeats them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from importlib import resources

from aftersales.amazon import marketplaces

DEFAULT = "default"


class Valuation(StrEnum):
    SALE_PRICE = "sale_price"
    SALE_PRICE_MINUS_FEES = "sale_price_minus_fees"
    MANUFACTURING_COST = "manufacturing_cost"  # the catalog unit cost
    REVERSED_AMOUNT = "reversed_amount"  # what a reimbursement reversal took back


@dataclass(frozen=True)
class ClaimRule:
    id: str
    claim_type: str
    applies_to: str  # a marketplace code, a region, or "default"
    effective_from: date
    wait_days: int
    window_days: int
    valuation: Valuation
    source: str

    @property
    def version(self) -> str:
        return self.effective_from.isoformat()

    def opens_on(self, event_day: date) -> date:
        return event_day + timedelta(days=self.wait_days)

    def closes_on(self, event_day: date) -> date:
        return event_day + timedelta(days=self.window_days)


@lru_cache(maxsize=1)
def all_rules() -> tuple[ClaimRule, ...]:
    raw = json.loads(
        resources.files("aftersales.amazon").joinpath("data/claim_rules.json").read_text("utf-8")
    )
    return tuple(
        ClaimRule(
            id=item["id"],
            claim_type=item["claim_type"],
            applies_to=item["applies_to"],
            effective_from=date.fromisoformat(item["effective_from"]),
            wait_days=int(item["wait_days"]),
            window_days=int(item["window_days"]),
            valuation=Valuation(item["valuation"]),
            source=item["source"],
        )
        for item in raw["rules"]
    )


def rule_for(claim_type: str, *, marketplace_id: str | None, on: date) -> ClaimRule | None:
    """The rule in force on ``on`` for the marketplace: its own rule first, then its
    region's, then the default; None when no rule had started yet."""
    market = marketplaces.by_id(marketplace_id) if marketplace_id else None
    targets = [market.code, market.region, DEFAULT] if market else [DEFAULT]
    for target in targets:
        started = [
            rule
            for rule in all_rules()
            if rule.claim_type == claim_type
            and rule.applies_to == target
            and rule.effective_from <= on
        ]
        if started:
            return max(started, key=lambda rule: rule.effective_from)
    return None


def by_id(rule_id: str) -> ClaimRule | None:
    return next((rule for rule in all_rules() if rule.id == rule_id), None)
