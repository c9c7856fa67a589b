"""The explanation of a recommendation: one step per formula, numbers named for the catalogs.

Each step is a catalog template with named values (``calc.Step``); a page renders it in the
reader's language with ``Step.text()``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from aftersales.kit.i18n import N_, Message
from aftersales.replenishment.calc import (
    MODE_LABELS,
    VELOCITY_SOURCE_LABELS,
    Cap,
    Constraints,
    LeadTime,
    ShippingMode,
    Step,
    StockPosition,
    VelocityResult,
    VelocitySource,
)


def velocity_steps(result: VelocityResult) -> list[Step]:
    steps = [
        Step(
            "velocity",
            N_("Average daily sales %(ads)s/day, from %(source)s (rule “%(rule)s”)"),
            {
                "ads": result.daily,
                "source": Message(VELOCITY_SOURCE_LABELS[result.source]),
                "rule": result.rule_name,
            },
        )
    ]
    for window in result.windows:
        if window.average is None:
            steps.append(
                Step(
                    "window_empty",
                    N_("%(days)s-day window: no in-stock day, left out (weight %(weight)s)"),
                    {"days": window.days, "weight": window.weight},
                )
            )
            continue
        steps.append(
            Step(
                "window",
                N_(
                    "%(days)s-day window: %(units)s units over %(in_stock)s in-stock days "
                    "of %(span)s = %(average)s/day, weight %(weight)s"
                ),
                {
                    "days": window.days,
                    "units": window.units,
                    "in_stock": window.in_stock_days,
                    "span": window.span_days,
                    "average": window.average,
                    "weight": window.weight,
                },
            )
        )
    fallback = result.last_in_stock
    if fallback is not None:
        steps.append(
            Step(
                "last_in_stock",
                N_(
                    "No in-stock day in the last %(window)s days: %(units)s units over the "
                    "last %(days)s in-stock days before %(since)s = %(average)s/day"
                ),
                {
                    "window": fallback.window,
                    "units": fallback.units,
                    "days": fallback.days,
                    "since": fallback.since,
                    "average": fallback.average,
                },
            )
        )
    if result.source is VelocitySource.NO_HISTORY:
        steps.append(
            Step(
                "no_history",
                N_(
                    "No in-stock sales history: nothing to base a quantity on; "
                    "enter a fixed daily figure for this SKU"
                ),
                {},
            )
        )
    out_of_stock = sum(1 for day in result.excluded if day.reason == "out_of_stock")
    if out_of_stock:
        steps.append(
            Step(
                "excluded_out_of_stock",
                N_("%(count)s out-of-stock days left out of the averages"),
                {"count": out_of_stock},
            )
        )
    promotion_days = len(result.excluded) - out_of_stock
    if promotion_days:
        steps.append(
            Step(
                "excluded_promotion",
                N_("%(count)s promotion days left out of the averages"),
                {"count": promotion_days},
            )
        )
    if result.spikes and result.spike_threshold is not None:
        steps.append(
            Step(
                "spikes",
                N_("%(count)s spike days counted as %(threshold)s units instead of %(units)s"),
                {
                    "count": len(result.spikes),
                    "threshold": result.spike_threshold,
                    "units": sum(spike.units for spike in result.spikes),
                },
            )
        )
    if result.seasonality_factor is not None:
        steps.append(
            Step(
                "seasonality",
                N_("%(weighted)s/day × season factor %(factor)s from last year = %(ads)s/day"),
                {
                    "weighted": result.weighted,
                    "factor": result.seasonality_factor,
                    "ads": result.weighted * result.seasonality_factor,
                },
            )
        )
    if result.promotion is not None:
        steps.append(
            Step(
                "promotion",
                N_("Promotion from %(start)s to %(end)s: fixed %(ads)s/day"),
                {
                    "start": result.promotion.start,
                    "end": result.promotion.end,
                    "ads": result.promotion.daily_units,
                },
            )
        )
    return steps


def buy_steps(
    *,
    ads: float,
    lead: LeadTime,
    stock: StockPosition,
    constraints: Constraints,
    need: int,
    demand: float,
    safety: float,
    raw: int,
    buy: int,
    promotional: bool,
) -> list[Step]:
    parts = {
        "ads": ads,
        "stocking": lead.stocking_days,
        "qc": lead.qc_days,
        "transit": lead.transit(),
        "mode": Message(MODE_LABELS[lead.mode]),
        "receiving": lead.receiving_days,
        "cycle": lead.cycle_days,
        "safety": lead.safety_days,
        "need": need,
    }
    steps: list[Step] = []
    if promotional or lead.service_level_z is not None:
        steps.append(
            Step(
                "buy_need_detailed",
                N_(
                    "Demand over %(stocking)s stocking + %(qc)s QC + %(transit)s %(mode)s + "
                    "%(receiving)s receiving + %(cycle)s cycle days = %(demand)s, "
                    "+ %(safety_units)s safety stock = %(need)s"
                ),
                {**parts, "demand": demand, "safety_units": safety},
            )
        )
    else:
        steps.append(
            Step(
                "buy_need",
                N_(
                    "%(ads)s/day × (%(stocking)s stocking + %(qc)s QC + %(transit)s %(mode)s + "
                    "%(receiving)s receiving + %(cycle)s cycle + %(safety)s safety) = %(need)s"
                ),
                parts,
            )
        )
    steps.append(
        Step(
            "buy_stock",
            N_(
                "%(need)s − %(fba)s on hand − %(inbound)s inbound − %(returns)s returns − "
                "%(local)s local − %(overseas)s overseas 3PL − %(on_order)s on order = %(raw)s"
            ),
            {
                "need": need,
                "fba": stock.fba_on_hand,
                "inbound": stock.inbound,
                "returns": stock.expected_returns,
                "local": stock.local,
                "overseas": stock.overseas,
                "on_order": stock.on_order,
                "raw": raw,
            },
        )
    )
    if buy > 0:
        steps.append(
            Step(
                "buy_rounded",
                N_("Buy %(raw)s → %(buy)s (case pack %(case_pack)s, MOQ %(moq)s)"),
                {
                    "raw": raw,
                    "buy": buy,
                    "case_pack": constraints.case_pack,
                    "moq": constraints.moq,
                },
            )
        )
    else:
        steps.append(Step("buy_none", N_("Nothing to buy: stock covers the lead time"), {}))
    return steps


def movement_steps(
    *,
    ads: float,
    send_demand: dict[ShippingMode, int],
    lead: LeadTime,
    stock: StockPosition,
    transfer_need: int,
    transfer: int,
    send_need: dict[ShippingMode, int],
    send: dict[ShippingMode, int],
    cap: Cap | None,
) -> list[Step]:
    steps: list[Step] = []
    if stock.overseas > 0 or transfer > 0:
        steps.append(
            Step(
                "transfer",
                N_(
                    "Move from the overseas 3PL: %(ads)s/day × (%(days)s transfer + "
                    "%(receiving)s receiving + %(cycle)s cycle + %(safety)s safety) = %(need)s "
                    "− %(fba)s FBA position → %(transfer)s (3PL holds %(overseas)s)"
                ),
                {
                    "ads": ads,
                    "need": transfer_need,
                    "days": lead.transfer_days,
                    "receiving": lead.receiving_days,
                    "cycle": lead.cycle_days,
                    "safety": lead.safety_days,
                    "fba": stock.fba_position,
                    "transfer": transfer,
                    "overseas": stock.overseas,
                },
            )
        )
    for mode, quantity in send.items():
        steps.append(
            Step(
                "send",
                N_(
                    "Send by %(mode)s: %(ads)s/day × (%(transit)s transit + %(receiving)s "
                    "receiving + %(cycle)s cycle + %(safety)s safety) = %(demand)s − "
                    "%(fba)s FBA position − %(transfer)s from the 3PL → %(need)s in case packs "
                    "→ send %(send)s (local stock %(local)s)"
                ),
                {
                    "mode": Message(MODE_LABELS[mode]),
                    "ads": ads,
                    "transit": lead.transit(mode),
                    "receiving": lead.receiving_days,
                    "cycle": lead.cycle_days,
                    "safety": lead.safety_days,
                    "demand": send_demand[mode],
                    "fba": stock.fba_position,
                    "transfer": transfer,
                    "need": send_need[mode],
                    "send": quantity,
                    "local": stock.local,
                },
            )
        )
    if cap is not None:
        steps.append(
            Step(
                "restock_cap",
                N_("Capped by the restock limit of %(limit)s units: %(before)s → %(after)s"),
                {"limit": cap.limit, "before": cap.before, "after": cap.after},
            )
        )
    return steps


def date_steps(
    lead: LeadTime,
    stockout: date | None,
    runout: date | None,
    ship_by: date | None,
    purchase_by: date | None,
) -> list[Step]:
    steps: list[Step] = []
    if stockout is None:
        steps.append(Step("no_stockout", N_("No FBA stock-out within two years"), {}))
    else:
        steps.append(
            Step(
                "ship_by",
                N_(
                    "FBA runs out on %(stockout)s; ship by %(ship_by)s "
                    "(%(transit)s %(mode)s + %(receiving)s receiving + %(safety)s safety days)"
                ),
                {
                    "stockout": stockout,
                    "ship_by": ship_by,
                    "transit": lead.transit(),
                    "mode": Message(MODE_LABELS[lead.mode]),
                    "receiving": lead.receiving_days,
                    "safety": lead.safety_days,
                },
            )
        )
    if runout is not None:
        steps.append(
            Step(
                "purchase_by",
                N_(
                    "All stock is sold by %(runout)s; purchase by %(purchase_by)s "
                    "(%(days)s days of lead time and safety)"
                ),
                {
                    "runout": runout,
                    "purchase_by": purchase_by,
                    "days": lead.stocking_days
                    + lead.qc_days
                    + lead.transit()
                    + lead.receiving_days
                    + lead.safety_days,
                },
            )
        )
    return steps


def day_ranges(days: Iterable[date]) -> list[tuple[date, date]]:
    """``days`` as runs of consecutive days, oldest first: [(first, last), …]."""
    ranges: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if ranges and ranges[-1][1] + timedelta(days=1) == day:
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


def out_of_stock_ranges(result: VelocityResult) -> list[tuple[date, date]]:
    """The runs of days the velocity left out as out of stock."""
    return day_ranges(day.day for day in result.excluded if day.reason == "out_of_stock")
