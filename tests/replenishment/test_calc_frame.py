"""The vectorised Polars path gives the scalar path's numbers on crafted SKUs."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    # Out of stock for every window: the last in-stock days before.
    "GONE40": ([9] * 20 + [2] * 30 + [0] * 40, set(range(50, 90)), 0),
    "SHORTRUN": (
        [6] * 4 + [0] * 3 + [1] * 3 + [0] * 2 + [1] * 3 + [0] * 31,
        {4, 5, 6, 10, 11, *range(15, 46)},
        0,
    ),
    "GAPS": (
        [float(i % 5) * 4 for i in range(60)] + [0] * 35,
        {3, 4, 17, 18, 19, 40, *range(60, 95)},
        1,
    ),
    "NEVER": ([0] * 50, set(range(50)), 0),
    "YEARAGO": ([3] * 35 + [0] * 365, set(range(35, 400)), 0),
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
    "GONE40": calc.StockPosition(local=60),
    "SHORTRUN": calc.StockPosition(inbound_shipped=24, local=500, overseas=40),
    "GAPS": calc.StockPosition(fba_reserved=5, local=1000),
    "NEVER": calc.StockPosition(local=100),
    "YEARAGO": calc.StockPosition(fba_fulfillable=2),
}
# Every listing's whole history is in the frame (the oldest starts 400 days ago).
COVERED_FROM = AS_OF - timedelta(days=max(len(units) for units, _, _ in HISTORIES.values()))

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


def _velocities(rule: calc.VelocityRule) -> pl.DataFrame:
    return frame.velocity_frame(_daily_frame(), rule, as_of=AS_OF, covered_from=COVERED_FROM)


@pytest.mark.parametrize("rule", RULES)
def test_velocity_frame_matches_the_scalar_path(rule: calc.VelocityRule) -> None:
    result = _velocities(rule).sort("sku")
    for row in result.iter_rows(named=True):
        scalar = calc.velocity(_history(row["sku"]), rule)
        assert row["ads"] == pytest.approx(scalar.daily, rel=1e-12, abs=1e-12), row["sku"]
        assert row["source"] == scalar.source.value, row["sku"]
        fallback = scalar.last_in_stock
        if fallback is None:
            assert (row["last_in_stock_days"], row["last_in_stock_since"]) == (0, None)
        else:
            assert row["last_in_stock_days"] == fallback.days, row["sku"]
            assert row["last_in_stock_units"] == pytest.approx(fallback.units)
            assert row["last_in_stock_since"] == fallback.since, row["sku"]
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
    velocities = _velocities(rule)
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


def test_the_listings_out_of_stock_for_every_window_by_hand() -> None:
    result = {row["sku"]: row for row in _velocities(calc.VelocityRule()).iter_rows(named=True)}
    # 30 in-stock days at 2 before 40 days out; the older days at 9 are not among them.
    assert (result["GONE40"]["ads"], result["GONE40"]["source"]) == (2.0, "last_in_stock")
    assert result["GONE40"]["last_in_stock_since"] == AS_OF - timedelta(days=40)
    # Only 10 in-stock days before the stock-out: 4 × 6 + 6 × 1 = 30 units, 3 a day.
    assert (result["SHORTRUN"]["last_in_stock_days"], result["SHORTRUN"]["ads"]) == (10, 3.0)
    # Never in stock, or not within a year: nothing to go on.
    for sku in ("NEVER", "YEARAGO"):
        assert (result[sku]["ads"], result[sku]["source"]) == (0.0, "no_history"), sku
    # Some in-stock days in the 30-day window only: its weight carries the figure, no fallback.
    assert result["STOCKOUT"]["ads"] == pytest.approx(3.0)
    assert result["STOCKOUT"]["source"] == "weighted"


def test_the_fallback_looks_back_only_as_far_as_the_caller_read() -> None:
    # Without ``covered_from`` the frame holds the rule's windows only: older days are unknown,
    # not days in stock without sales, so there is no last in-stock day to find.
    result = frame.velocity_frame(_daily_frame(), calc.VelocityRule(), as_of=AS_OF)
    gone = result.filter(pl.col("sku") == "GONE40").row(0, named=True)
    assert (gone["ads"], gone["source"], gone["last_in_stock_days"]) == (0.0, "no_history", 0)
    # Read from 45 days back: the 5 in-stock days at 2 found there.
    result = frame.velocity_frame(
        _daily_frame(), calc.VelocityRule(), as_of=AS_OF, covered_from=AS_OF - timedelta(days=45)
    )
    gone = result.filter(pl.col("sku") == "GONE40").row(0, named=True)
    assert (gone["ads"], gone["last_in_stock_days"]) == (2.0, 5)


# A listing: days (units, out of stock) oldest first, then a stock-out run to yesterday.
listings = st.tuples(
    st.lists(st.tuples(st.sampled_from([0, 0, 1, 2, 5, 13]), st.booleans()), max_size=60),
    st.integers(0, 40),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(listings, min_size=1, max_size=6), st.sampled_from(RULES[:3]))
def test_the_fallback_matches_the_scalar_path_on_any_history(
    drawn: list[tuple[list[tuple[int, bool]], int]], rule: calc.VelocityRule
) -> None:
    rows, histories = [], {}
    for number, (days, run) in enumerate(drawn):
        units = [float(units) if not out else 0.0 for units, out in days] + [0.0] * run
        out = [out for _, out in days] + [True] * run
        first = AS_OF - timedelta(days=len(units))
        histories[f"S{number}"] = calc.SalesHistory(
            as_of=AS_OF, units=tuple(units), out_of_stock=tuple(out)
        )
        rows += [
            {"sku": f"S{number}", "marketplace": "US", "day": first + timedelta(days=index),
             "units": units[index], "out_of_stock": out[index]}
            for index in range(len(units))
            if units[index] or out[index] or index == 0
        ]  # fmt: skip
    if not rows:
        return
    result = frame.velocity_frame(
        pl.DataFrame(rows), rule, as_of=AS_OF, covered_from=AS_OF - timedelta(days=365)
    )
    for row in result.iter_rows(named=True):
        scalar = calc.velocity(histories[row["sku"]], rule)
        assert row["ads"] == pytest.approx(scalar.daily, rel=1e-12, abs=1e-12)
        assert row["source"] == scalar.source.value
        fallback = scalar.last_in_stock
        assert row["last_in_stock_days"] == (fallback.days if fallback else 0)
        assert row["last_in_stock_since"] == (fallback.since if fallback else None)
