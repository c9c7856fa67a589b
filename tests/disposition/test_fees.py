"""The removal / disposal fee table in force on a date, and its weight bands."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from aftersales.amazon import disposition_fees
from aftersales.amazon.disposition_fees import FeeKind, SizeTier


def _table(table_id: str, start: str, fee: str) -> dict[str, object]:
    return {
        "id": table_id,
        "marketplaces": ["US"],
        "effective_from": start,
        "currency": "USD",
        "weight_unit": "lb",
        "source": "test",
        "removal": {"standard": [{"up_to": "1", "fee": fee}]},
    }


def test_the_table_in_force_on_a_date_is_picked() -> None:
    tables, _liquidation, _grading = disposition_fees.parse(
        {"fee_tables": [_table("old", "2020-01-01", "0.25"), _table("new", "2022-01-01", "0.52")]}
    )
    pick = disposition_fees.fee_table_for
    assert pick("US", on=date(2019, 12, 31), tables=tables) is None
    assert pick("US", on=date(2021, 12, 31), tables=tables).id == "old"  # type: ignore[union-attr]
    assert pick("US", on=date(2022, 1, 1), tables=tables).id == "new"  # type: ignore[union-attr]
    assert pick("DE", on=date(2022, 1, 1), tables=tables) is None


@pytest.mark.parametrize(
    ("kg", "fee"),
    [
        ("0.2", "0.52"),  # 0.44 lb
        ("0.4", "0.75"),  # 0.88 lb
        ("0.9", "1.14"),  # 1.98 lb
        ("1.5", "2.77"),  # 3.31 lb: 1.51 + 2 started lb × 0.63
    ],
)
def test_us_2022_standard_bands(kg: str, fee: str) -> None:
    table = disposition_fees.fee_table_for("US", on=date(2026, 5, 1))
    assert table is not None
    assert table.id == "US/2022-01-01"
    assert "200685050" in table.source
    assert table.fee(FeeKind.REMOVAL, SizeTier.STANDARD, Decimal(kg)) == Decimal(fee)
    assert table.fee(FeeKind.DISPOSAL, SizeTier.STANDARD, Decimal(kg)) == Decimal(fee)


def test_marketplaces_without_a_verified_table_have_none() -> None:
    assert disposition_fees.fee_table_for("DE", on=date(2026, 5, 1)) is None
    assert disposition_fees.fee_table_for("US", on=date(2021, 12, 31)) is None


def test_liquidation_and_grade_and_resell_assumptions_carry_their_source() -> None:
    liquidation = disposition_fees.liquidation_for("US", on=date(2026, 5, 1))
    grading = disposition_fees.grade_and_resell_for("US", on=date(2026, 5, 1))
    assert liquidation is not None
    assert grading is not None
    assert "To verify" in liquidation.source
    assert grading.processing_fee[SizeTier.STANDARD] == Decimal("1.50")
    assert "UA6RV6UA4DR2MFK" in grading.source
