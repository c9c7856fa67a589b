"""The vectorised Polars path gives the scalar path's numbers on crafted SKUs."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest

from aftersales.replenishment import calc, frame
from aftersales.replenishment.calc import ShippingMode, SpikeMode

AS_OF = date(2026, 11, 26)


# sku → (daily units oldest first ending yesterday, out-of-stock days (offset from the first),
# returns per day)
HISTORIES: dict[str, tuple[list[float], set[int], float]] = {
    "STEADY": ([38.4] * 30, set(), 0),
    "RAMP": ([5] * 16 + [10] * 7 + [20] * 7, set(), 0),
    "STOCKOUT": ([3] * 10 + [0] * 20, set(range(10, 30)), 0),
    "YOUNG": ([4, 0, 7, 1, 9], set(), 0),
    "LONG": ([float(i % 9) for i in range(120)], {100, 101, 115}, 1),
    "SPIKE": ([2] * 27 + [100] + [2] * 2, set(), 0),
    "EMPTYWEEK": ([6] * 23 + [0] * 7, set(range(23, 30)), 0),
}

STOCKS: dict[str, calc.StockPosition] = {
    "STEADY": calc.StockPosition(fba_fulfillable=1920, inbound_shipped=600),
    "RAMP": calc.StockPosition(fba_fulfillable=100, local=2000, overseas=300),
    "STOCKOUT": calc.StockPosition(),
    "YOUNG": calc.StockPosition(
        fba_fulfillable=30,
        inbound_working=100,
        inbound_shipped=50,
        inbound_arrivals=(calc.Arrival(AS_OF + timedelta(days=12), 100, "inbound"),),
        expected_returns=4,
    ),
    "LONG": calc.StockPosition(
        fba_fulfillable=5000,
        purchase_orders=(calc.Arrival(AS_OF + timedelta(days=9), 70, "purchase_order"),),
    ),
    "SPIKE": calc.StockPosition(fba_fulfillable=60, fba_reserved=3, local=500),
    "EMPTYWEEK": calc.StockPosition(
        fba_fulfillable=90,
        inbound_arrivals=(calc.Arrival(AS_OF - timedelta(days=2), 40, "inbound"),),
        inbound_receiving=40,
    ),
}

LEAD = calc.LeadTime(
    stocking_days=30, qc_days=2, receiving_days=10, safety_days=14, cycle_days=7, transfer_days=6
)
CONSTRAINTS = calc.Constraints(case_pack=12, moq=100, restock_limit=250, overstock_days=90)


def _daily_frame() -> pl.DataFrame:
    rows = []
    for sku, (units, out, returns) in HISTORIES.items():
        first = AS_OF - timedelta(days=len(units))
        for index, quantity in enumerate(units):
            if quantity == 0 and index not in out and index > 0:
                continue  # a missing day is a day in stock without sales
            rows.append(
                {
                    "sku": sku,
                    "marketplace": "US",
                    "day": first + timedelta(days=index),
                    "units": quantity,
                    "out_of_stock": index in out,
                    "returns": returns,
                }
            )
    return pl.DataFrame(rows)


def _history(sku: str) -> calc.SalesHistory:
    units, out, returns = HISTORIES[sku]
    return calc.SalesHistory(
        as_of=AS_OF,
        units=tuple(units),
        out_of_stock=tuple(index in out for index in range(len(units))),
        returns=tuple(
            returns if units[index] or index in out or index == 0 else 0.0
            for index in range(len(units))
        ),
    )


RULES = [
    calc.VelocityRule(),
    calc.VelocityRule(weights=((3, 0.1), (30, 0.4), (90, 0.5)), returns_sellable_share=0.5),
    calc.VelocityRule(spike_mode=SpikeMode.CAP, spike_cap=10),
    calc.VelocityRule(weights=((30, 1.0),), exclude_out_of_stock=False),
]


@pytest.mark.parametrize("rule", RULES)
def test_velocity_frame_matches_the_scalar_path(rule: calc.VelocityRule) -> None:
    result = frame.velocity_frame(_daily_frame(), rule, as_of=AS_OF).sort("sku")
    for row in result.iter_rows(named=True):
        scalar = calc.velocity(_history(row["sku"]), rule)
        assert row["ads"] == pytest.approx(scalar.daily, rel=1e-12, abs=1e-12), row["sku"]
        for window in scalar.windows:
            assert row[f"in_stock_{window.days}"] == window.in_stock_days
            assert row[f"span_{window.days}"] == window.span_days
            if window.average is None:
                assert row[f"average_{window.days}"] is None
            else:
                assert row[f"average_{window.days}"] == pytest.approx(window.average)
    assert result.height == len(HISTORIES)


def _positions(velocities: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    rows = []
    arrivals = []
    for sku, stock in STOCKS.items():
        rows.append(
            {
                "sku": sku,
                "marketplace": "US",
                "fba_fulfillable": stock.fba_fulfillable,
                "fba_reserved": stock.fba_reserved,
                "inbound_working": stock.inbound_working,
                "inbound_shipped": stock.inbound_shipped,
                "inbound_receiving": stock.inbound_receiving,
                "local": stock.local,
                "overseas": stock.overseas,
                "expected_returns": stock.expected_returns,
                "on_order": stock.on_order,
                "stocking_days": LEAD.stocking_days,
                "qc_days": LEAD.qc_days,
                "receiving_days": LEAD.receiving_days,
                "safety_days": LEAD.safety_days,
                "cycle_days": LEAD.cycle_days,
                "transfer_days": LEAD.transfer_days,
                "case_pack": CONSTRAINTS.case_pack,
                "moq": CONSTRAINTS.moq,
                "restock_limit": CONSTRAINTS.restock_limit,
                "overstock_days": CONSTRAINTS.overstock_days,
                "mode": "sea" if sku != "SPIKE" else "air",
            }
        )
        arrivals += [
            {"sku": sku, "marketplace": "US", "day": a.day, "quantity": a.quantity}
            for a in stock.inbound_arrivals
        ]
    positions = pl.DataFrame(rows).join(
        velocities.select(["sku", "marketplace", "ads"]), on=["sku", "marketplace"]
    )
    return positions, pl.DataFrame(arrivals)


@pytest.mark.parametrize("rule", RULES)
def test_recommend_frame_matches_the_scalar_path(rule: calc.VelocityRule) -> None:
    velocities = frame.velocity_frame(_daily_frame(), rule, as_of=AS_OF)
    positions, arrivals = _positions(velocities)
    result = frame.recommend_frame(positions, as_of=AS_OF, arrivals=arrivals)
    assert result.height == len(STOCKS)
    for row in result.iter_rows(named=True):
        sku = row["sku"]
        lead = (
            LEAD
            if sku != "SPIKE"
            else LEAD.__class__(**{**LEAD.__dict__, "mode": ShippingMode.AIR})
        )
        scalar = calc.recommend(
            history=_history(sku), rule=rule, lead=lead, stock=STOCKS[sku], constraints=CONSTRAINTS
        )
        assert row["buy"] == scalar.buy, sku
        assert row["transfer"] == scalar.transfer, sku
        for mode in ShippingMode:
            assert row[f"send_{mode.value}"] == scalar.send[mode], (sku, mode)
            assert row[f"send_need_{mode.value}"] == scalar.send_need[mode], (sku, mode)
        assert row["send"] == scalar.send_default
        assert row["stockout_date"] == scalar.stockout_date, sku
        assert row["runout_date_all"] == scalar.runout_date_all, sku
        assert row["ship_by"] == scalar.ship_by[lead.mode], sku
        assert row["purchase_by"] == scalar.purchase_by, sku
        assert row["band"] == scalar.band.value, sku
        assert (row["cap_after"] is None) == (scalar.cap is None), sku
        if scalar.cap is not None:
            assert (row["cap_before"], row["cap_after"]) == (scalar.cap.before, scalar.cap.after)
        for name in ("days_of_supply_fba", "days_of_supply_fba_inbound", "days_of_supply_all"):
            expected = getattr(scalar, name)
            assert row[name] == (pytest.approx(expected) if expected is not None else None)


def test_vectorised_path_refuses_rules_it_does_not_compute() -> None:
    rule = calc.VelocityRule(spike_mode=SpikeMode.PERCENT, spike_percent=50)
    assert not frame.supports(rule)
    with pytest.raises(calc.InvalidRule):
        frame.velocity_frame(_daily_frame(), rule, as_of=AS_OF)
