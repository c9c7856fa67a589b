"""Simulate seller-fulfilled (FBM) returns and negative or neutral seller feedback."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from aftersales.demo.ids import IdFactory, jitter, weighted
from aftersales.demo.markets import Marketplace
from aftersales.demo.phrases import FEEDBACK_COMMENTS, FEEDBACK_RESPONSES
from aftersales.demo.returns import CustomerReturn
from aftersales.demo.sales import OrderLine, SalesYear

_SELLER_FAULT = frozenset(
    {
        "DEFECTIVE",
        "QUALITY_UNACCEPTABLE",
        "NOT_AS_DESCRIBED",
        "MISSING_PARTS",
        "DAMAGED_BY_CARRIER",
        "SWITCHEROO",
        "MISSED_ESTIMATED_DELIVERY",
    }
)


@dataclass(slots=True)
class MerchantReturn:
    """One row of the FBM returns report (amounts in hundredths)."""

    line: OrderLine
    reason: str
    requested: datetime
    status: str
    rma_id: str
    label_cost: int
    carrier: str
    tracking_id: str
    paid_by: str
    a_to_z: bool
    prime: bool
    quantity: int
    in_policy: bool
    resolution: str
    delivered: datetime | None
    refunded: datetime | None
    refund_amount: int
    adjustment_id: str
    safet_reason: str = ""
    safet_claim_id: str = ""
    safet_state: str = ""
    safet_created: datetime | None = None
    safet_amount: int | None = None

    @property
    def reason_code(self) -> str:
        """FBM reports prefix customer reasons with `CR-`; bad descriptions are `AMZ-PG-`."""
        if self.reason == "NOT_AS_DESCRIBED":
            return "AMZ-PG-BAD-DESC"
        return f"CR-{self.reason}"


@dataclass(slots=True)
class Feedback:
    """One 1-3 star seller feedback entry."""

    marketplace: Marketplace
    day: date
    rating: int
    comment: str
    response: str
    order_id: str
    rater_email: str


def simulate_merchant_returns(sales: SalesYear, seed: int) -> list[MerchantReturn]:
    """Returns of seller-fulfilled orders, with prepaid labels and seller refunds."""
    rng = random.Random(f"{seed}:fbm-returns:{sales.store.name}")
    ids = IdFactory(random.Random(f"{seed}:fbm-return-ids:{sales.store.name}"))
    as_of = sales.as_of
    found: list[MerchantReturn] = []
    for line in sales.lines():
        shipped = line.shipped
        if shipped is None or not line.listing.fbm:
            continue
        if rng.random() > line.listing.return_rate * 1.3:
            continue
        reason = weighted(rng, line.listing.product.category.reasons)
        if reason.startswith("UNDELIVERABLE") or reason in {"NEVER_ARRIVED", "DAMAGED_BY_FC"}:
            reason = "UNWANTED_ITEM"
        requested = (
            shipped
            + jitter(rng, 24 * 3, 24 * 6)
            + timedelta(days=min(25.0, rng.expovariate(1 / 6)))
        )
        if requested > as_of:
            continue
        delivered: datetime | None = requested + jitter(rng, 24 * 4, 24 * 10)
        resolution = "StandardRefund"
        refunded: datetime | None
        if rng.random() < 0.25:
            resolution = "RefundAtFirstScan"
            refunded = requested + jitter(rng, 24, 24 * 3)
        else:
            assert delivered is not None
            refunded = delivered + jitter(rng, 2, 40)
        if delivered is not None and delivered > as_of:
            delivered = None
        if refunded is not None and refunded > as_of:
            refunded = None
        seller_fault = reason in _SELLER_FAULT
        quantity = line.quantity
        refund = (line.unit_price() - line.unit_discount() + line.unit_tax()) * quantity
        label_cost = rng.randint(550, 995)
        if not seller_fault:
            refund -= label_cost
        item = MerchantReturn(
            line=line,
            reason=reason,
            requested=requested,
            status="Closed" if refunded is not None and delivered is not None else "Approved",
            rma_id=ids.rma_id(),
            label_cost=label_cost,
            carrier="UPS",
            tracking_id=ids.tracking("UPS"),
            paid_by="Seller" if seller_fault else "Customer",
            a_to_z=rng.random() < 0.03,
            prime=rng.random() < 0.6,
            quantity=quantity,
            in_policy=rng.random() < 0.95,
            resolution=resolution,
            delivered=delivered,
            refunded=refunded,
            refund_amount=refund,
            adjustment_id=ids.number(14) if refunded is not None else "",
        )
        if delivered is not None and not seller_fault and rng.random() < 0.08:
            created = delivered + jitter(rng, 24 * 3, 24 * 10)
            if created <= as_of:
                item.safet_reason = "Returned item damaged"
                item.safet_claim_id = ids.number(10)
                item.safet_created = created
                decided = created + timedelta(days=7) <= as_of
                item.safet_state = "Decided" if decided else "Under Investigation"
                item.safet_amount = refund // 2 if decided else None
        found.append(item)
    found.sort(key=lambda item: (item.requested, item.rma_id))
    return found


def simulate_feedback(sales: SalesYear, returns: list[CustomerReturn], seed: int) -> list[Feedback]:
    """A few dozen 1-3 star feedback entries per marketplace, skewed to troubled orders."""
    rng = random.Random(f"{seed}:feedback:{sales.store.name}")
    ids = IdFactory(random.Random(f"{seed}:feedback-ids:{sales.store.name}"))
    window_start = sales.as_of - timedelta(days=90)
    returned = {item.line.order.order_id for item in returns}
    found: list[Feedback] = []
    for marketplace in sales.store.marketplaces:
        shipped = [
            order
            for order in sales.orders
            if order.marketplace is marketplace
            and order.shipped is not None
            and order.shipped >= window_start
        ]
        troubled = [order for order in shipped if order.order_id in returned]
        count = rng.randint(25, 45)
        chosen: dict[str, datetime] = {}
        while len(chosen) < count:
            pool = troubled if troubled and rng.random() < 0.5 else shipped
            order = rng.choice(pool)
            assert order.shipped is not None
            left = order.shipped + jitter(rng, 24 * 3, 24 * 25)
            if left <= sales.as_of:
                chosen[order.order_id] = left
        language = marketplace.language
        for order_id, left in chosen.items():
            rating = rng.choices((1, 2, 3), weights=(45, 30, 25), k=1)[0]
            email = ""
            if rng.random() < 0.7:
                email = f"{ids.alnum(16).lower()}@{marketplace.relay_domain}"
            response = ""
            if rng.random() < 0.3:
                response = rng.choice(FEEDBACK_RESPONSES[language])
            found.append(
                Feedback(
                    marketplace=marketplace,
                    day=left.date(),
                    rating=rating,
                    comment=rng.choice(FEEDBACK_COMMENTS[language]),
                    response=response,
                    order_id=order_id,
                    rater_email=email,
                )
            )
    found.sort(key=lambda item: (item.marketplace.code, item.day, item.order_id))
    return found
