"""Quantities, dates and band for one SKU × marketplace, and its day-by-day FBA projection.

Pure; called through ``calc.recommend`` and ``calc.project``. With ADS the daily forecast
(a promotion's figure on its days), P_fba = FBA fulfillable + reserved + inbound + expected
sellable returns and P_all = P_fba + local + overseas 3PL + open purchase orders:

* need(lead) = ⌈ADS × (lead + cycle) + safety⌉, safety = ADS × safety days, or with a service
  level z: z × √(lead × σ_d² + ADS² × σ_lead²) (lead in days, σ_d units/day, σ_lead days);
* transfer from 3PL = min(⌈need(transfer + receiving) − P_fba⌉ to case packs, 3PL stock);
* send to FBA by mode m = ⌈need(transit_m + receiving) − P_fba − transfer⌉ to case packs,
  then at most the local stock (whole case packs);
* buy = need(stocking + QC + transit + receiving) − P_all, up to case packs and at least the MOQ;
* the restock limit (what FBA still accepts) caps transfer + send, shown as a cap;
* stock-out = first day FBA stock (with scheduled arrivals) is below that day's demand;
  ship-by = stock-out − (transit + receiving + safety days); purchase-by = the day every unit
  owned is sold − (stocking + QC + transit + receiving + safety days).
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from aftersales.kit.i18n import N_, Message
from aftersales.replenishment import explain
from aftersales.replenishment.calc import (
    BAND_LABELS,
    EPSILON,
    PROJECTION_DAYS,
    Arrival,
    Band,
    Cap,
    Constraints,
    LeadTime,
    ProjectionDay,
    Promotion,
    Recommendation,
    SalesHistory,
    ShippingMode,
    Step,
    StockPosition,
    VelocityResult,
    VelocityRule,
    round_down,
    round_up,
)

# How far ahead a stock-out, or the day every unit owned is sold, is looked for.
STOCKOUT_HORIZON = 730
RUNOUT_HORIZON = 3650


def scheduled_arrivals(stock: StockPosition, lead: LeadTime, as_of: date) -> tuple[Arrival, ...]:
    """Units that will reach FBA without any new decision: dated inbound shipments, the
    undated rest of the inbound units and the expected sellable returns after receiving."""
    arrivals = [arrival for arrival in stock.inbound_arrivals if arrival.quantity > 0]
    undated = stock.inbound - sum(arrival.quantity for arrival in arrivals)
    received = as_of + timedelta(days=lead.receiving_days)
    if undated > 0:
        arrivals.append(Arrival(received, undated, "inbound"))
    if stock.expected_returns > 0:
        arrivals.append(Arrival(received, stock.expected_returns, "returns"))
    return tuple(sorted(arrivals, key=lambda arrival: (arrival.day, arrival.source)))


def demand_on(day: date, daily: float, promotions: tuple[Promotion, ...]) -> float:
    for promotion in promotions:
        if promotion.covers(day):
            return promotion.daily_units
    return daily


def _promotions_ahead(
    promotions: tuple[Promotion, ...], as_of: date, days: int
) -> tuple[Promotion, ...]:
    last = as_of + timedelta(days=days)
    return tuple(p for p in promotions if p.end >= as_of and p.start < last)


def demand_over(as_of: date, days: int, daily: float, promotions: tuple[Promotion, ...]) -> float:
    """Units forecast to sell from ``as_of`` over ``days`` days."""
    ahead = _promotions_ahead(promotions, as_of, days)
    if not ahead:
        return daily * days
    return sum(demand_on(as_of + timedelta(days=t), daily, ahead) for t in range(days))


def project(
    *,
    as_of: date,
    start: float,
    daily: float,
    arrivals: tuple[Arrival, ...] = (),
    promotions: tuple[Promotion, ...] = (),
    days: int = PROJECTION_DAYS,
) -> list[ProjectionDay]:
    """FBA stock day by day: arrivals come in before the day's demand; unmet demand is lost."""
    by_day: dict[date, int] = {}
    for arrival in arrivals:
        by_day[arrival.day] = by_day.get(arrival.day, 0) + arrival.quantity
    # Arrivals dated before the first day (late shipments) count on the first day.
    early = sum(quantity for day, quantity in by_day.items() if day < as_of)
    result: list[ProjectionDay] = []
    level = float(start)
    for offset in range(days):
        day = as_of + timedelta(days=offset)
        incoming = by_day.get(day, 0) + (early if offset == 0 else 0)
        available = level + incoming
        demand = demand_on(day, daily, promotions)
        short = demand - available if demand - available > EPSILON else 0.0
        end = max(0.0, available - demand)
        result.append(ProjectionDay(day, level, demand, incoming, end, short))
        level = end
    return result


def first_short_day(
    *,
    as_of: date,
    start: float,
    daily: float,
    arrivals: tuple[Arrival, ...] = (),
    promotions: tuple[Promotion, ...] = (),
    horizon: int = STOCKOUT_HORIZON,
) -> date | None:
    """The first day stock plus arrivals so far falls short of the demand so far.

    Without promotions this is solved per stretch between arrivals (as ``frame.py`` does),
    so a two-year horizon costs nothing and both paths round the same way."""
    ahead = _promotions_ahead(promotions, as_of, horizon)
    if ahead:
        for day in project(
            as_of=as_of, start=start, daily=daily, arrivals=arrivals, promotions=ahead, days=horizon
        ):
            if day.short > 0:
                return day.day
        return None
    if daily <= 0:
        return None
    offsets: dict[int, int] = {}
    for arrival in arrivals:
        offset = max(0, (arrival.day - as_of).days)
        offsets[offset] = offsets.get(offset, 0) + arrival.quantity
    points = sorted(offsets)
    supply = float(start)
    stretch_start = 0
    for index in range(len(points) + 1):
        if index < len(points) and points[index] == 0:
            supply += offsets[0]
            continue
        stretch_end = points[index] if index < len(points) else horizon
        candidate = max(stretch_start, math.floor((supply + EPSILON) / daily))
        if candidate < min(stretch_end, horizon):
            return as_of + timedelta(days=candidate)
        if index < len(points):
            supply += offsets[points[index]]
            stretch_start = points[index]
    return None


def safety_units(lead_days: int, daily: float, lead: LeadTime, deviation: float | None) -> float:
    if lead.service_level_z is None:
        return daily * lead.safety_days
    sigma = lead.demand_deviation if lead.demand_deviation is not None else deviation or 0.0
    variance = lead_days * sigma**2 + daily**2 * lead.lead_time_deviation**2
    return lead.service_level_z * math.sqrt(variance)


def recommend(
    *,
    history: SalesHistory,
    rule: VelocityRule,
    lead: LeadTime,
    stock: StockPosition,
    constraints: Constraints,
    velocity: VelocityResult | None = None,
) -> Recommendation:
    from aftersales.replenishment.velocity import compute

    result = velocity if velocity is not None else compute(history, rule)
    as_of = history.as_of
    ads = result.daily
    promotions = rule.promotions
    pack = constraints.case_pack
    steps: list[Step] = [*explain.velocity_steps(result)]

    def need(lead_days: int) -> tuple[int, float, float]:
        demand = demand_over(as_of, lead_days + lead.cycle_days, ads, promotions)
        safety = safety_units(lead_days, ads, lead, result.deviation)
        return round_up(demand + safety, 1), demand, safety

    fba_position = stock.fba_position
    transfer_need, _, _ = need(lead.transfer_days + lead.receiving_days)
    transfer = min(round_up(max(0, transfer_need - fba_position), pack), max(0, stock.overseas))
    send_need: dict[ShippingMode, int] = {}
    send: dict[ShippingMode, int] = {}
    send_demand: dict[ShippingMode, int] = {}
    local_packs = round_down(max(0, stock.local), pack)
    for mode in (lead.mode, *[m for m in lead.modes if m is not lead.mode]):
        needed, _, _ = need(lead.transit(mode) + lead.receiving_days)
        send_demand[mode] = needed
        send_need[mode] = round_up(max(0, needed - fba_position - transfer), pack)
        send[mode] = min(send_need[mode], local_packs)

    cap: Cap | None = None
    if constraints.restock_limit is not None:
        limit = constraints.restock_limit
        before = transfer + send[lead.mode]
        capped_transfer = min(transfer, limit)
        room = round_down(limit - capped_transfer, pack)
        capped_send = {mode: min(quantity, room) for mode, quantity in send.items()}
        if capped_transfer != transfer or capped_send != send:
            cap = Cap(limit, before, capped_transfer + capped_send[lead.mode])
        transfer, send = capped_transfer, capped_send

    buy_lead = lead.stocking_days + lead.qc_days + lead.transit() + lead.receiving_days
    buy_need, buy_demand, buy_safety = need(buy_lead)
    buy_raw = buy_need - stock.all_stock
    buy = 0 if buy_raw <= 0 else round_up(max(constraints.moq, round_up(buy_raw, pack)), pack)

    arrivals = scheduled_arrivals(stock, lead, as_of)
    stockout = first_short_day(
        as_of=as_of, start=stock.fba_on_hand, daily=ads, arrivals=arrivals, promotions=promotions
    )
    runout = first_short_day(
        as_of=as_of,
        start=stock.all_stock,
        daily=ads,
        promotions=promotions,
        horizon=RUNOUT_HORIZON,
    )
    ship_by = {
        mode: stockout - timedelta(days=lead.transit(mode) + lead.receiving_days + lead.safety_days)
        if stockout is not None
        else None
        for mode in send
    }
    purchase_by = (
        runout - timedelta(days=buy_lead + lead.safety_days) if runout is not None else None
    )

    def supply(units: int) -> float | None:
        return units / ads if ads > 0 else None

    days_fba = supply(stock.fba_on_hand)
    days_inbound = supply(stock.fba_on_hand + stock.inbound)
    days_all = supply(stock.all_stock)
    band = classify(
        as_of=as_of,
        fba_on_hand=stock.fba_on_hand,
        all_stock=stock.all_stock,
        days_all=days_all,
        due=[ship_by[lead.mode], purchase_by],
        constraints=constraints,
    )

    steps.append(
        Step(
            "days_of_supply",
            N_("Days of supply: %(fba)s FBA, %(fba_inbound)s with inbound, %(all)s with all stock"),
            {"fba": days_fba, "fba_inbound": days_inbound, "all": days_all},
        )
    )
    steps.extend(
        explain.buy_steps(
            ads=ads,
            lead=lead,
            stock=stock,
            constraints=constraints,
            need=buy_need,
            demand=buy_demand,
            safety=buy_safety,
            raw=buy_raw,
            buy=buy,
            promotional=bool(_promotions_ahead(promotions, as_of, buy_lead + lead.cycle_days)),
        )
    )
    steps.extend(
        explain.movement_steps(
            ads=ads,
            send_demand=send_demand,
            lead=lead,
            stock=stock,
            transfer_need=transfer_need,
            transfer=transfer,
            send_need=send_need,
            send=send,
            cap=cap,
        )
    )
    steps.extend(explain.date_steps(lead, stockout, runout, ship_by[lead.mode], purchase_by))
    steps.append(
        Step("band", N_("Status: %(band)s"), {"band": Message(BAND_LABELS[band])}),
    )
    return Recommendation(
        as_of=as_of,
        velocity=result,
        days_of_supply_fba=days_fba,
        days_of_supply_fba_inbound=days_inbound,
        days_of_supply_all=days_all,
        stockout_date=stockout,
        runout_date_all=runout,
        ship_by=ship_by,
        purchase_by=purchase_by,
        send_need=send_need,
        send=send,
        transfer=transfer,
        buy=buy,
        cap=cap,
        band=band,
        arrivals=arrivals,
        explanation=tuple(steps),
        lead=lead,
        stock=stock,
        constraints=constraints,
        promotions=promotions,
    )


def planned_arrivals(recommendation: Recommendation) -> tuple[Arrival, ...]:
    """What reaches FBA if the planner follows the recommendation today: the 3PL transfer,
    the send in the default mode, the purchase (shipped on in the default mode when ready)
    and the open purchase orders (shipped on the day they reach the local warehouse)."""
    lead, as_of = recommendation.lead, recommendation.as_of
    transit = lead.transit() + lead.receiving_days
    planned = []
    if recommendation.transfer > 0:
        planned.append(
            Arrival(
                as_of + timedelta(days=lead.transfer_days + lead.receiving_days),
                recommendation.transfer,
                "transfer",
            )
        )
    if recommendation.send_default > 0:
        planned.append(
            Arrival(as_of + timedelta(days=transit), recommendation.send_default, "send")
        )
    if recommendation.buy > 0:
        ready = lead.stocking_days + lead.qc_days
        planned.append(Arrival(as_of + timedelta(days=ready + transit), recommendation.buy, "buy"))
    for order in recommendation.stock.purchase_orders:
        if order.quantity > 0:
            arrival = max(order.day, as_of) + timedelta(days=transit)
            planned.append(Arrival(arrival, order.quantity, "purchase_order"))
    return tuple(sorted(planned, key=lambda arrival: (arrival.day, arrival.source)))


def classify(
    *,
    as_of: date,
    fba_on_hand: int,
    all_stock: int,
    days_all: float | None,
    due: list[date | None],
    constraints: Constraints,
) -> Band:
    if fba_on_hand <= 0:
        return Band.OUT_OF_STOCK
    dates = [day for day in due if day is not None]
    if dates and min(dates) <= as_of:
        return Band.ORDER_NOW
    if dates and min(dates) <= as_of + timedelta(days=constraints.soon_days):
        return Band.ORDER_SOON
    if (days_all is None and all_stock > 0) or (
        days_all is not None and days_all > constraints.overstock_days
    ):
        return Band.OVERSTOCKED
    return Band.HEALTHY
