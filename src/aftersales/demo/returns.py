"""Simulate FBA customer returns, refunds and Amazon reimbursements for a store's year of sales."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from aftersales.demo.catalog import Listing
from aftersales.demo.ids import IdFactory, jitter, poisson, weighted
from aftersales.demo.phrases import REASON_GROUP, RETURN_COMMENTS
from aftersales.demo.sales import OrderLine, SalesYear

SELLABLE = "SELLABLE"
UNSELLABLE_HELD = frozenset({"CUSTOMER_DAMAGED", "DEFECTIVE", "CARRIER_DAMAGED"})

_REMORSE = {"SELLABLE": 80, "CUSTOMER_DAMAGED": 14, "DAMAGED": 3, "CARRIER_DAMAGED": 3}
_DISPOSITIONS: dict[str, dict[str, float]] = {
    "DEFECTIVE": {"DEFECTIVE": 65, "CUSTOMER_DAMAGED": 15, "SELLABLE": 20},
    "QUALITY_UNACCEPTABLE": {"DEFECTIVE": 55, "CUSTOMER_DAMAGED": 20, "SELLABLE": 25},
    "NOT_AS_DESCRIBED": {"SELLABLE": 50, "CUSTOMER_DAMAGED": 25, "DEFECTIVE": 25},
    "MISSING_PARTS": {"SELLABLE": 40, "CUSTOMER_DAMAGED": 30, "DEFECTIVE": 30},
    "DAMAGED_BY_CARRIER": {"CARRIER_DAMAGED": 55, "CUSTOMER_DAMAGED": 20, "SELLABLE": 25},
    "DAMAGED_BY_FC": {"DAMAGED": 65, "SELLABLE": 35},
    "SWITCHEROO": {"CUSTOMER_DAMAGED": 60, "DEFECTIVE": 40},
}
_CARRIER_RETURNS = frozenset({"UNDELIVERABLE_REFUSED", "UNDELIVERABLE_UNKNOWN", "NEVER_ARRIVED"})
_DEFECT_REASONS = {"DEFECTIVE": 0.6, "QUALITY_UNACCEPTABLE": 0.4}


@dataclass(slots=True)
class Reimbursement:
    """One row of the FBA reimbursements report (amounts in hundredths)."""

    approved: datetime
    reimbursement_id: str
    case_id: str
    order_id: str
    reason: str
    listing: Listing
    amount_per_unit: int
    quantity_cash: int
    quantity_inventory: int
    original_id: str = ""
    original_type: str = ""

    @property
    def amount_total(self) -> int:
        # Reversals carry a negative unit amount and a negative quantity; the total
        # follows the sign of the unit amount.
        return self.amount_per_unit * abs(self.quantity_cash)


@dataclass(slots=True)
class CustomerReturn:
    """One refunded FBA unit: returned to an FC (received set) or never sent back."""

    line: OrderLine
    reason: str
    disposition: str
    requested: datetime
    received: datetime | None
    refunded: datetime | None
    lpn: str
    fulfillment_center: str
    status: str
    comment: str
    adjustment_id: str
    never_back: bool = False
    reimbursement_id: str = ""
    reimbursement_reversed: bool = False
    removal_order_id: str = ""
    removal_done: bool = False

    @property
    def unsellable_in_stock(self) -> bool:
        """Still in the seller's FBA inventory as an unsellable unit."""
        return (
            self.received is not None
            and self.disposition in UNSELLABLE_HELD
            and self.status == "Unit returned to inventory"
            and not self.removal_done
        )

    @property
    def removable(self) -> bool:
        """Unsellable, in stock and not yet covered by a removal order."""
        return self.unsellable_in_stock and not self.removal_order_id


@dataclass
class ReturnsYear:
    """FBA customer returns and reimbursements of one store."""

    returns: list[CustomerReturn]
    reimbursements: list[Reimbursement]


def unit_value(listing: Listing, rng: random.Random) -> int:
    """What Amazon pays back per unit: roughly the net proceeds of a sale."""
    value = int(listing.price * rng.uniform(0.58, 0.74))
    if listing.marketplace.is_yen:
        return max(100, value // 100 * 100)
    return value


class _ReturnSimulator:
    def __init__(self, sales: SalesYear, seed: int) -> None:
        name = sales.store.name
        self.sales = sales
        self.as_of = sales.as_of
        self.rng = random.Random(f"{seed}:returns:{name}")
        self.ids = IdFactory(random.Random(f"{seed}:return-ids:{name}"))
        self.returns: list[CustomerReturn] = []
        self.reimbursements: list[Reimbursement] = []

    def reimburse(
        self,
        approved: datetime,
        reason: str,
        listing: Listing,
        order_id: str,
        quantity: int = 1,
        *,
        in_kind: bool = False,
        case_id: str = "",
    ) -> Reimbursement:
        value = 0 if in_kind else unit_value(listing, self.rng)
        item = Reimbursement(
            approved=approved,
            reimbursement_id=self.ids.number(11),
            case_id=case_id,
            order_id=order_id,
            reason=reason,
            listing=listing,
            amount_per_unit=value,
            quantity_cash=0 if in_kind else quantity,
            quantity_inventory=quantity if in_kind else 0,
        )
        self.reimbursements.append(item)
        return item

    def reverse(self, original: Reimbursement, approved: datetime) -> None:
        self.reimbursements.append(
            Reimbursement(
                approved=approved,
                reimbursement_id=self.ids.number(11),
                case_id="",
                order_id=original.order_id,
                reason="Reimbursement_Reversal",
                listing=original.listing,
                amount_per_unit=-original.amount_per_unit,
                quantity_cash=-original.quantity_cash,
                quantity_inventory=0,
                original_id=original.reimbursement_id,
                original_type=original.reason,
            )
        )

    def comment(self, line: OrderLine, reason: str) -> str:
        rng = self.rng
        if rng.random() > 0.3 or reason not in REASON_GROUP:
            return ""
        dialect = line.listing.marketplace.comment_dialect
        group = REASON_GROUP[reason]
        texts = RETURN_COMMENTS.get(dialect, {}).get(group)
        if dialect == "uk" and (texts is None or rng.random() < 0.5):
            texts = RETURN_COMMENTS["en"][group]
        return rng.choice(texts) if texts else ""

    def pick_reason(self, line: OrderLine) -> str:
        listing = line.listing
        assert line.shipped is not None
        if listing.defect_since is not None:
            window_start = listing.defect_since - timedelta(days=20)
            if line.shipped.date() >= window_start and self.rng.random() < 0.85:
                return weighted(self.rng, _DEFECT_REASONS)
        return weighted(self.rng, listing.product.category.reasons)

    def return_probability(self, line: OrderLine) -> float:
        listing = line.listing
        assert line.shipped is not None
        since = listing.defect_since
        if since is not None and line.shipped.date() >= since - timedelta(days=20):
            return listing.return_rate + 0.22
        return listing.return_rate

    def disposition(self, line: OrderLine, reason: str) -> str:
        table = _DISPOSITIONS.get(reason, _REMORSE)
        if reason in _CARRIER_RETURNS:
            table = {"SELLABLE": 85, "CARRIER_DAMAGED": 15}
        disposition = weighted(self.rng, table)
        if (
            disposition == SELLABLE
            and line.listing.product.category.code == "beauty"
            and self.rng.random() < 0.06
        ):
            return "EXPIRED"
        return disposition

    def simulate_unit(self, line: OrderLine) -> None:
        rng = self.rng
        shipped = line.shipped
        assert shipped is not None
        reason = self.pick_reason(line)
        if reason in _CARRIER_RETURNS:
            requested = shipped + jitter(rng, 24 * 5, 24 * 10)
            received: datetime | None = shipped + jitter(rng, 24 * 12, 24 * 25)
        else:
            delivered = shipped + jitter(rng, 24, 24 * 4)
            wait_days = min(28.0, rng.expovariate(1 / 6))
            requested = delivered + timedelta(days=wait_days) + jitter(rng, 0, 6)
            received = requested + jitter(rng, 24 * 3, 24 * 12)
            earliest = shipped + timedelta(days=3)
            latest = shipped + timedelta(days=40)
            received = min(max(received, earliest + jitter(rng, 0, 30)), latest)
        if requested > self.as_of:
            return
        never_back = reason not in _CARRIER_RETURNS and rng.random() < 0.09
        if never_back:
            received = None
            refunded: datetime | None = requested + jitter(rng, 24, 24 * 4)
        else:
            assert received is not None
            if rng.random() < 0.7:
                refunded = min(requested + jitter(rng, 24, 24 * 5), received)
            else:
                refunded = received + jitter(rng, 1, 48)
        if refunded is not None and refunded > self.as_of:
            refunded = None
        if received is not None and received > self.as_of:
            received = None
            if refunded is None:
                return
        item = CustomerReturn(
            line=line,
            reason=reason,
            disposition="",
            requested=requested,
            received=received,
            refunded=refunded,
            lpn="",
            fulfillment_center="",
            status="",
            comment="",
            adjustment_id=self.ids.number(14) if refunded is not None else "",
            never_back=never_back,
        )
        self.returns.append(item)
        if received is not None:
            self.receive(item)
        elif never_back and refunded is not None:
            self.maybe_reimburse_missing(item, refunded)

    def receive(self, item: CustomerReturn) -> None:
        rng = self.rng
        line = item.line
        marketplace = line.listing.marketplace
        item.disposition = self.disposition(line, item.reason)
        item.lpn = self.ids.lpn()
        item.fulfillment_center = rng.choice(marketplace.fulfillment_centers)
        item.comment = self.comment(line, item.reason)
        item.status = "Unit returned to inventory"
        assert item.received is not None
        if item.disposition == SELLABLE and rng.random() < 0.15:
            item.status = "Repackaged Successfully"
        elif item.disposition == "EXPIRED":
            item.status = "Disposed of"
        elif item.disposition in {"DAMAGED", "CARRIER_DAMAGED"}:
            chance = 0.88 if item.disposition == "DAMAGED" else 0.5
            approved = item.received + jitter(rng, 24 * 3, 24 * 20)
            if rng.random() < chance and approved <= self.as_of:
                item.status = "Reimbursed"
                paid = self.reimburse(approved, "CustomerReturn", line.listing, line.order.order_id)
                item.reimbursement_id = paid.reimbursement_id

    def maybe_reimburse_missing(self, item: CustomerReturn, refunded: datetime) -> None:
        """Amazon pays for most refunded units that never came back, 60+ days later."""
        rng = self.rng
        approved = refunded + jitter(rng, 24 * 60, 24 * 80)
        if approved > self.as_of or rng.random() > 0.62:
            return
        line = item.line
        paid = self.reimburse(approved, "CustomerReturn", line.listing, line.order.order_id)
        item.reimbursement_id = paid.reimbursement_id
        reversal = approved + jitter(rng, 24 * 15, 24 * 60)
        if rng.random() < 0.12 and reversal <= self.as_of:
            self.reverse(paid, reversal)
            item.reimbursement_reversed = True

    def warehouse_events(self) -> None:
        """Units lost or damaged inside Amazon's network, not tied to an order."""
        rng = self.rng
        sold: dict[int, int] = {}
        for line in self.sales.lines():
            if line.shipped is not None:
                key = id(line.listing)
                sold[key] = sold.get(key, 0) + line.quantity
        span = (self.as_of - timedelta(days=2)) - datetime.combine(
            self.sales.start, datetime.min.time(), tzinfo=self.as_of.tzinfo
        )
        events: list[Reimbursement] = []
        for listing in self.sales.store.listings:
            if listing.fbm:
                continue
            for _ in range(poisson(rng, 0.3 + sold.get(id(listing), 0) * 0.0025)):
                approved = (
                    self.as_of - span + timedelta(seconds=rng.randrange(int(span.total_seconds())))
                )
                reason = "Lost_Warehouse" if rng.random() < 0.55 else "Damaged_Warehouse"
                quantity = 1 if rng.random() < 0.8 else 2
                case_id = self.ids.number(10) if rng.random() < 0.1 else ""
                event = self.reimburse(
                    approved,
                    reason,
                    listing,
                    "",
                    quantity,
                    in_kind=rng.random() < 0.15,
                    case_id=case_id,
                )
                events.append(event)
        # Amazon combines same-day events of one marketplace under one reimbursement id.
        events.sort(key=lambda event: (event.approved, event.reimbursement_id))
        listings_of: dict[str, set[int]] = {}
        for previous, current in itertools.pairwise(events):
            grouped = listings_of.setdefault(previous.reimbursement_id, {id(previous.listing)})
            if (
                previous.listing.marketplace is current.listing.marketplace
                and current.approved - previous.approved < timedelta(days=3)
                and id(current.listing) not in grouped
                and previous.reason == current.reason
                and rng.random() < 0.3
            ):
                current.reimbursement_id = previous.reimbursement_id
                current.approved = previous.approved
                grouped.add(id(current.listing))
        for event in events:
            found = event.approved + jitter(rng, 24 * 10, 24 * 40)
            if (
                event.reason == "Lost_Warehouse"
                and event.quantity_cash > 0
                and rng.random() < 0.15
                and found <= self.as_of
            ):
                self.reverse(event, found)

    def service_issues(self) -> None:
        rng = self.rng
        for line in self.sales.lines():
            if line.shipped is None or line.listing.fbm or rng.random() > 0.0006:
                continue
            approved = line.shipped + jitter(rng, 24 * 20, 24 * 50)
            if approved <= self.as_of:
                self.reimburse(approved, "CustomerServiceIssue", line.listing, line.order.order_id)


def simulate_returns(sales: SalesYear, seed: int) -> ReturnsYear:
    """Draw FBA returns and reimbursements for every shipped FBA line of the store."""
    simulator = _ReturnSimulator(sales, seed)
    rng = simulator.rng
    for line in sales.lines():
        if line.shipped is None or line.listing.fbm:
            continue
        probability = simulator.return_probability(line)
        for _ in range(line.quantity):
            if rng.random() < probability:
                simulator.simulate_unit(line)
    simulator.warehouse_events()
    simulator.service_issues()
    simulator.returns.sort(key=lambda item: (item.requested, item.line.order.order_id))
    simulator.reimbursements.sort(key=lambda item: (item.approved, item.reimbursement_id))
    return ReturnsYear(returns=simulator.returns, reimbursements=simulator.reimbursements)
