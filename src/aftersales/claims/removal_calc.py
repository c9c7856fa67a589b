"""Pure decisions of removal claims: units of a removal order that never reached the seller.

What the reports can tell (FORMATS.md 2.9 and 2.10): the removal order detail gives per
order and SKU the requested, cancelled, disposed, shipped and in-process quantities and the
order status; the removal shipment detail gives the parcels (ship date, quantity, carrier,
tracking number). Neither report carries a delivery or receipt status, so:

- "lost" is read from the reports only where they contradict themselves: units the order
  detail counts as shipped with no parcel in the shipment detail, and units of a completed
  order that are neither cancelled, disposed, shipped nor in process (unaccounted for);
- a parcel that shipped but never arrived, and a parcel that arrived damaged or
  incomplete, are known only to the seller: they record it on the removal orders page
  (claims/removals.py), which creates the "removal_lost" / "removal_damaged" candidate.

The lost window counts from the ship date (the last parcel's; the order's last update when
no parcel row exists). No database here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from aftersales.amazon.claim_rules import ClaimRule, Valuation
from aftersales.claims.calc import Outcome

COMPLETED = "completed"


@dataclass(frozen=True)
class RemovalLine:
    """The order-detail row(s) of one removal order and SKU, summed over dispositions."""

    row_ids: tuple[int, ...]
    order_id: str
    sku: str
    order_type: str | None
    status: str | None
    request_date: datetime
    last_updated: datetime | None
    requested: int
    cancelled: int
    disposed: int
    shipped: int
    in_process: int


@dataclass(frozen=True)
class Parcel:
    row_id: int
    shipped_on: datetime | None
    quantity: int
    carrier: str | None
    tracking_number: str | None


@dataclass(frozen=True)
class RemovalAssessment:
    outcome: Outcome | None  # None: nothing is missing
    units_unaccounted: int
    units_without_parcel: int
    units_lost: int
    units_in_parcels: int
    event_day: date
    opens_on: date
    closes_on: date


def unaccounted(line: RemovalLine) -> int:
    """Units of a completed order that the detail does not account for."""
    if (line.status or "").strip().lower() != COMPLETED:
        return 0
    return max(line.requested - line.cancelled - line.disposed - line.shipped - line.in_process, 0)


def event_day(line: RemovalLine, parcels: list[Parcel]) -> date:
    """The ship date the lost window counts from: the last parcel's, else the order's last
    update (when Amazon last changed it), else its request date."""
    days = [parcel.shipped_on for parcel in parcels if parcel.shipped_on is not None]
    if days:
        return max(days).date()
    return (line.last_updated or line.request_date).date()


def assess_lost(
    line: RemovalLine, parcels: list[Parcel], *, rule: ClaimRule, as_of: date
) -> RemovalAssessment:
    in_parcels = sum(parcel.quantity for parcel in parcels)
    without_parcel = max(line.shipped - in_parcels, 0)
    missing = unaccounted(line)
    lost = missing + without_parcel
    day = event_day(line, parcels)
    opens_on, closes_on = rule.opens_on(day), rule.closes_on(day)
    outcome: Outcome | None
    if lost <= 0:
        outcome = None
    elif as_of < opens_on:
        outcome = Outcome.WAITING
    elif as_of > closes_on:
        outcome = Outcome.WINDOW_CLOSED
    else:
        outcome = Outcome.OPEN
    return RemovalAssessment(
        outcome=outcome,
        units_unaccounted=missing,
        units_without_parcel=without_parcel,
        units_lost=lost,
        units_in_parcels=in_parcels,
        event_day=day,
        opens_on=opens_on,
        closes_on=closes_on,
    )


def unit_value(
    rule: ClaimRule, *, unit_cost: Decimal | None, sale_price: Decimal | None
) -> Decimal | None:
    """A unit lost before a customer order, under the rule's valuation (None: unknown)."""
    if rule.valuation is Valuation.MANUFACTURING_COST:
        return unit_cost
    return sale_price


def worth(units: int, per_unit: Decimal | None) -> Decimal:
    return (per_unit * units).quantize(Decimal("0.01")) if per_unit is not None else Decimal(0)
