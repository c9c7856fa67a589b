"""The dated rules of the new claim types: which one is in force on a day, and its window."""

from __future__ import annotations

from datetime import date

import pytest

from aftersales.amazon import claim_rules
from aftersales.amazon.claim_rules import Valuation

US = "ATVPDKIKX0DER"


@pytest.mark.parametrize(
    ("claim_type", "day", "valuation", "opens", "closes"),
    [
        # ANCHORS.md 3: removal lost 15-75 days from the ship date.
        (
            "removal_lost",
            date(2025, 1, 10),
            Valuation.SALE_PRICE,
            date(2025, 1, 25),
            date(2025, 3, 26),
        ),
        (
            "removal_lost",
            date(2025, 3, 10),
            Valuation.MANUFACTURING_COST,
            date(2025, 3, 25),
            date(2025, 5, 24),
        ),
        # Received damaged or incomplete: within 30 days of delivery.
        (
            "removal_damaged",
            date(2026, 4, 2),
            Valuation.MANUFACTURING_COST,
            date(2026, 4, 2),
            date(2026, 5, 2),
        ),
        # Inbound missing: 15-60 days from delivery.
        (
            "inbound_missing",
            date(2024, 9, 5),
            Valuation.SALE_PRICE,
            date(2024, 9, 20),
            date(2024, 11, 4),
        ),
        (
            "inbound_missing",
            date(2026, 3, 4),
            Valuation.MANUFACTURING_COST,
            date(2026, 3, 19),
            date(2026, 5, 3),
        ),
        # Reversal: 60 days from the reversal, no wait; the amount reversed.
        (
            "reimbursement_reversed",
            date(2026, 4, 1),
            Valuation.REVERSED_AMOUNT,
            date(2026, 4, 1),
            date(2026, 5, 31),
        ),
    ],
)
def test_rule_in_force_and_its_window(
    claim_type: str, day: date, valuation: Valuation, opens: date, closes: date
) -> None:
    rule = claim_rules.rule_for(claim_type, marketplace_id=US, on=day)
    assert rule is not None
    assert rule.valuation is valuation
    assert (rule.opens_on(day), rule.closes_on(day)) == (opens, closes)
    assert rule.source


@pytest.mark.parametrize(
    "claim_type", ["removal_lost", "removal_damaged", "inbound_missing", "reimbursement_reversed"]
)
def test_no_rule_before_the_2024_09_05_windows(claim_type: str) -> None:
    assert claim_rules.rule_for(claim_type, marketplace_id=US, on=date(2024, 9, 4)) is None
