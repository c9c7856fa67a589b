"""Net recovery per option, computed by hand: 20.00 sale price, 15% referral, 5.00
fulfilment fee, 8.00 unit cost, 0.5 kg, 10 units; removal and disposal 0.75 per unit."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from aftersales.disposition import calc
from aftersales.disposition.calc import Option

LOT = calc.Lot(
    sku="SKU-1",
    marketplace_code="US",
    currency="USD",
    units=10,
    sellable=False,
    sale_price=Decimal("20.00"),
    unit_cost=Decimal("8.00"),
    unit_weight_kg=Decimal("0.5"),
    referral_rate=Decimal("0.15"),
    fulfillment_fee=Decimal("5.00"),
)
COSTS = calc.Costs(
    relabel_per_unit=Decimal("0.50"),
    warehouse_handling_per_unit=Decimal("1.00"),
    freight_own_to_amazon_per_kg=Decimal("2.00"),
    freight_warehouse_to_amazon_per_kg=Decimal("1.00"),
    origin_shipping_per_kg=Decimal("3.00"),
    resellable_share=Decimal("0.5"),
)
POLICY = calc.Policy(
    removal_fee=Decimal("0.75"),
    disposal_fee=Decimal("0.75"),
    liquidation_share=Decimal("0.05"),
    grade_and_resell_fee=Decimal("1.50"),
    grade_and_resell_share=Decimal("0.70"),
)


def _per_unit(decision: calc.Decision) -> dict[Option, Decimal | None]:
    return {result.option: result.per_unit for result in decision.options}


def test_every_option_of_an_unsellable_lot() -> None:
    decision = calc.decide(LOT, COSTS, POLICY)
    assert _per_unit(decision) == {
        # 14.00 used price − 2.10 referral − 5.00 fulfilment − 1.50 processing
        Option.GRADE_AND_RESELL: Decimal("5.40"),
        # 5% × 20.00 − 0.75 removal fee
        Option.LIQUIDATE: Decimal("0.25"),
        Option.DISPOSE: Decimal("-0.75"),
        # −0.75 − 0.5 × 0.50 relabel − 0.5 × 0.5 kg × 2.00 + 0.5 × (20 − 3 − 5)
        Option.REMOVE_TO_OWN_ADDRESS: Decimal("4.50"),
        # −0.75 − 1.00 handling − 0.25 relabel − 0.5 × 0.5 kg × 1.00 + 6.00
        Option.REMOVE_TO_WAREHOUSE: Decimal("3.75"),
        # −0.75 − 1.00 − 0.5 kg × 3.00 + 0.5 × 8.00
        Option.SHIP_TO_ORIGIN: Decimal("0.75"),
    }
    assert decision.best == Option.GRADE_AND_RESELL
    assert decision.not_ranked == ()
    grade = decision.options[0]
    assert grade.per_lot == Decimal("54.00")
    assert grade.versus_unit_cost == Decimal("-2.60")
    amounts = [line.amount for line in grade.lines]
    assert amounts[:4] == [Decimal("14.00"), Decimal("-2.10"), Decimal("-5.00"), Decimal("-1.50")]
    assert grade.lines[0].params == {"share": "0.70", "price": "20.00"}


def test_a_sellable_lot_can_be_resold_or_relabelled() -> None:
    decision = calc.decide(replace(LOT, sellable=True), COSTS, POLICY)
    found = _per_unit(decision)
    assert found[Option.RESELL] == Decimal("12.00")
    assert found[Option.RELABEL] == Decimal("11.50")
    assert Option.GRADE_AND_RESELL not in found
    # No inspection loss: every unit goes back, 0.5 kg × 2.00 and 0.50 relabel each.
    assert found[Option.REMOVE_TO_OWN_ADDRESS] == Decimal("12.00") - Decimal("0.75") - Decimal(
        "0.50"
    ) - Decimal("1.00")
    assert decision.best == Option.RESELL


def test_unknown_unit_cost_is_said_and_leaves_ship_to_origin_unranked() -> None:
    decision = calc.decide(replace(LOT, unit_cost=None), COSTS, POLICY)
    origin = next(r for r in decision.options if r.option == Option.SHIP_TO_ORIGIN)
    assert origin.per_unit is None
    assert origin.missing == (calc.UNIT_COST,)
    assert decision.not_ranked == ((Option.SHIP_TO_ORIGIN, (calc.UNIT_COST,)),)
    assert decision.best == Option.GRADE_AND_RESELL
    grade = decision.options[0]
    assert grade.versus_unit_cost is None
    assert grade.lines[-1].label.startswith("Unit cost unknown")


def test_unknown_sale_price_ranks_only_what_does_not_need_it() -> None:
    decision = calc.decide(replace(LOT, sale_price=None), COSTS, POLICY)
    found = _per_unit(decision)
    assert found[Option.DISPOSE] == Decimal("-0.75")
    assert found[Option.SHIP_TO_ORIGIN] == Decimal("0.75")
    assert found[Option.LIQUIDATE] is None
    assert decision.best == Option.SHIP_TO_ORIGIN
    assert (Option.LIQUIDATE, (calc.SALE_PRICE,)) in decision.not_ranked


def test_no_fee_table_means_no_ranked_removal() -> None:
    decision = calc.decide(replace(LOT, sale_price=None, unit_cost=None), COSTS, calc.Policy())
    assert decision.best is None
    assert all(result.per_unit is None for result in decision.options)
