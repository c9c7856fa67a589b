"""Properties: more stock never raises what to buy or send; longer lead times never lower it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.replenishment import calc
from aftersales.replenishment.calc import ShippingMode

AS_OF = date(2026, 11, 26)

histories = st.lists(st.tuples(st.integers(0, 60), st.booleans()), min_size=0, max_size=45).map(
    lambda days: calc.SalesHistory(
        as_of=AS_OF,
        units=tuple(float(units) for units, _ in days),
        out_of_stock=tuple(out for _, out in days),
    )
)
stocks = st.builds(
    calc.StockPosition,
    fba_fulfillable=st.integers(0, 3000),
    fba_reserved=st.integers(0, 300),
    inbound_working=st.integers(0, 800),
    inbound_shipped=st.integers(0, 800),
    local=st.integers(0, 2000),
    overseas=st.integers(0, 1000),
    expected_returns=st.integers(0, 50),
)
leads = st.builds(
    calc.LeadTime,
    stocking_days=st.integers(0, 60),
    qc_days=st.integers(0, 10),
    receiving_days=st.integers(0, 20),
    safety_days=st.integers(0, 30),
    cycle_days=st.integers(0, 30),
    transfer_days=st.integers(0, 20),
    mode=st.sampled_from(list(ShippingMode)),
)
constraints = st.builds(
    calc.Constraints,
    case_pack=st.integers(1, 60),
    moq=st.integers(0, 500),
    restock_limit=st.none() | st.integers(0, 3000),
)
buckets = st.sampled_from(
    [
        "fba_fulfillable",
        "fba_reserved",
        "inbound_working",
        "inbound_shipped",
        "inbound_receiving",
        "local",
        "overseas",
        "expected_returns",
    ]
)
lead_parts = st.sampled_from(
    ["stocking_days", "qc_days", "receiving_days", "safety_days", "cycle_days"]
)


def _recommend(
    history: calc.SalesHistory,
    stock: calc.StockPosition,
    lead: calc.LeadTime,
    limits: calc.Constraints,
) -> calc.Recommendation:
    return calc.recommend(
        history=history, rule=calc.VelocityRule(), lead=lead, stock=stock, constraints=limits
    )


@settings(max_examples=150, deadline=None)
@given(histories, stocks, leads, constraints, buckets, st.integers(1, 2000))
def test_more_stock_never_increases_the_quantities(
    history: calc.SalesHistory,
    stock: calc.StockPosition,
    lead: calc.LeadTime,
    limits: calc.Constraints,
    bucket: str,
    extra: int,
) -> None:
    before = _recommend(history, stock, lead, limits)
    after = _recommend(
        history, replace(stock, **{bucket: getattr(stock, bucket) + extra}), lead, limits
    )
    assert after.buy <= before.buy
    if bucket not in ("local", "overseas"):
        assert after.transfer <= before.transfer
    if stock.overseas == 0 and bucket != "overseas":
        # (a 3PL transfer rounded to case packs can shrink by more than the stock added)
        for mode in ShippingMode:
            assert after.send_need[mode] <= before.send_need[mode]


@settings(max_examples=150, deadline=None)
@given(histories, stocks, leads, constraints, lead_parts, st.integers(1, 60))
def test_longer_lead_time_never_decreases_the_quantities(
    history: calc.SalesHistory,
    stock: calc.StockPosition,
    lead: calc.LeadTime,
    limits: calc.Constraints,
    part: str,
    extra: int,
) -> None:
    stock = replace(stock, overseas=0)
    before = _recommend(history, stock, lead, limits)
    after = _recommend(history, stock, replace(lead, **{part: getattr(lead, part) + extra}), limits)
    assert after.buy >= before.buy
    if part not in ("stocking_days", "qc_days"):
        for mode in ShippingMode:
            assert after.send_need[mode] >= before.send_need[mode]
    longer_transit = replace(
        lead, transit_days=tuple((mode, days + extra) for mode, days in lead.transit_days)
    )
    assert _recommend(history, stock, longer_transit, limits).buy >= before.buy
