"""Build V2 settlement reports (orders, refunds, reimbursements, fees) per 14-day period."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from aftersales.demo.ids import iso, money, share
from aftersales.demo.markets import Marketplace
from aftersales.demo.merchant import MerchantReturn
from aftersales.demo.returns import CustomerReturn, ReturnsYear
from aftersales.demo.sales import OrderLine, SalesYear
from aftersales.demo.stock import StockYear

PERIOD_DAYS = 14
# Enough closed periods to cover the 60-120 day claim window for refunds.
PERIODS = 10
_SUBSCRIPTION = {"USD": 3999, "GBP": 2500, "EUR": 3900, "JPY": 490000}
_REFUND_COMMISSION_CAP = {"USD": 500, "CAD": 500, "GBP": 500, "EUR": 500, "JPY": 50000}
_REIMBURSEMENT_DESCRIPTION = {
    "CustomerReturn": "CUSTOMER_RETURN",
    "Lost_Warehouse": "WAREHOUSE_LOST",
    "Damaged_Warehouse": "WAREHOUSE_DAMAGE",
    "CustomerServiceIssue": "CS_ERROR_ITEMS",
    "Reimbursement_Reversal": "REVERSAL_REIMBURSEMENT",
}


@dataclass(slots=True)
class _Posting:
    posted: datetime
    order: int
    fields: tuple[str, ...]
    amount: int


@dataclass
class SettlementReport:
    """One settlement of one marketplace: summary row first, then its transactions."""

    marketplace: Marketplace
    number: int
    settlement_id: str
    rows: list[list[str]]


class _Ledger:
    """Collects postings of one marketplace; each posting is one settlement row."""

    def __init__(self, marketplace: Marketplace) -> None:
        self.marketplace = marketplace
        self.postings: list[_Posting] = []

    def add(
        self,
        posted: datetime,
        transaction_type: str,
        amount_type: str,
        description: str,
        amount: int,
        *,
        order_id: str = "",
        adjustment_id: str = "",
        shipment_id: str = "",
        fulfillment_id: str = "",
        item_code: str = "",
        sku: str = "",
        quantity: str = "",
        promotion_id: str = "",
    ) -> None:
        fields = (
            transaction_type,
            order_id,
            "",
            adjustment_id,
            shipment_id,
            self.marketplace.sales_channel,
            amount_type,
            description,
            money(amount),
            fulfillment_id,
            posted.date().isoformat(),
            iso(posted),
            item_code,
            "",
            "",
            sku,
            quantity,
            promotion_id,
        )
        self.postings.append(_Posting(posted, len(self.postings), fields, amount))

    def order(self, line: OrderLine) -> None:
        order = line.order
        assert order.shipped is not None
        fba = not line.listing.fbm
        common = {
            "order_id": order.order_id,
            "shipment_id": order.shipment_id,
            "fulfillment_id": "AFN" if fba else "MFN",
            "item_code": line.order_item_id,
            "sku": line.listing.sku,
            "quantity": str(line.quantity),
        }
        when = order.shipped
        self.add(when, "Order", "ItemPrice", "Principal", line.item_price, **common)
        withheld = not self.marketplace.tax_included
        if withheld and line.item_tax:
            self.add(when, "Order", "ItemPrice", "Tax", line.item_tax, **common)
        if line.shipping_price:
            self.add(when, "Order", "ItemPrice", "Shipping", line.shipping_price, **common)
            if withheld and line.shipping_tax:
                self.add(when, "Order", "ItemPrice", "ShippingTax", line.shipping_tax, **common)
        if line.promotion_discount:
            self.add(
                when,
                "Order",
                "Promotion",
                "Principal",
                -line.promotion_discount,
                promotion_id=line.promotion_id,
                **common,
            )
        if withheld and line.item_tax + line.shipping_tax:
            self.add(
                when,
                "Order",
                "ItemWithheldTax",
                "MarketplaceFacilitatorTax-Principal",
                -(line.item_tax + line.shipping_tax),
                **common,
            )
        self.add(when, "Order", "ItemFees", "Commission", -line.commission(), **common)
        if fba:
            self.add(
                when,
                "Order",
                "ItemFees",
                "FBAPerUnitFulfillmentFee",
                -line.listing.fba_fee() * line.quantity,
                **common,
            )

    def refund(
        self, line: OrderLine, refunded: datetime, adjustment_id: str, quantity: int
    ) -> None:
        order = line.order
        common = {
            "order_id": order.order_id,
            "adjustment_id": adjustment_id,
            "fulfillment_id": "MFN" if line.listing.fbm else "AFN",
            "item_code": line.order_item_id,
            "sku": line.listing.sku,
            "quantity": str(quantity),
        }
        principal = line.unit_price() * quantity
        tax = line.unit_tax() * quantity
        self.add(refunded, "Refund", "ItemPrice", "Principal", -principal, **common)
        withheld = not self.marketplace.tax_included
        if withheld and tax:
            self.add(refunded, "Refund", "ItemPrice", "Tax", -tax, **common)
        if line.promotion_discount:
            self.add(
                refunded,
                "Refund",
                "Promotion",
                "Principal",
                line.unit_discount() * quantity,
                promotion_id=line.promotion_id,
                **common,
            )
        if withheld and tax:
            self.add(
                refunded,
                "Refund",
                "ItemWithheldTax",
                "MarketplaceFacilitatorTax-Principal",
                tax,
                **common,
            )
        commission = line.commission() * quantity // line.quantity
        cap = _REFUND_COMMISSION_CAP[self.marketplace.currency]
        self.add(refunded, "Refund", "ItemFees", "Commission", commission, **common)
        self.add(
            refunded,
            "Refund",
            "ItemFees",
            "RefundCommission",
            -min(cap, share(commission, 2000)),
            **common,
        )

    def other(
        self, posted: datetime, amount_type: str, description: str, amount: int, **extra: str
    ) -> None:
        self.add(posted, "other-transaction", amount_type, description, amount, **extra)


def _period_ends(sales: SalesYear, rng: random.Random) -> list[datetime]:
    end = sales.end
    last_day = end - timedelta(days=end.toordinal() % PERIOD_DAYS + 1)
    clock = time(rng.randrange(24), rng.randrange(60), rng.randrange(60))
    last = datetime.combine(last_day, clock, tzinfo=sales.as_of.tzinfo)
    return [last - timedelta(days=PERIOD_DAYS * back) for back in range(PERIODS, -1, -1)]


def _fill_ledger(
    ledger: _Ledger,
    sales: SalesYear,
    returns: ReturnsYear,
    stock: StockYear,
    merchant_returns: list[MerchantReturn],
    first_market: bool,
    rng: random.Random,
    since: datetime,
) -> None:
    marketplace = ledger.marketplace
    for order in sales.orders:
        if (
            order.marketplace is marketplace
            and order.shipped is not None
            and order.shipped >= since
        ):
            for line in order.lines:
                ledger.order(line)
    refunds: list[CustomerReturn] = [
        item
        for item in returns.returns
        if item.line.listing.marketplace is marketplace and item.refunded is not None
    ]
    for item in refunds:
        assert item.refunded is not None
        ledger.refund(item.line, item.refunded, item.adjustment_id, 1)
    for merchant in merchant_returns:
        if merchant.line.listing.marketplace is marketplace and merchant.refunded is not None:
            ledger.refund(
                merchant.line, merchant.refunded, merchant.adjustment_id, merchant.quantity
            )
    for paid in returns.reimbursements:
        if paid.listing.marketplace is marketplace and paid.amount_total:
            ledger.other(
                paid.approved,
                "FBA Inventory Reimbursement",
                _REIMBURSEMENT_DESCRIPTION[paid.reason],
                paid.amount_total,
                order_id=paid.order_id,
                sku=paid.listing.sku,
                quantity=str(paid.quantity_cash),
            )
    for removal in stock.removals:
        fee = sum(line.fee for line in removal.lines if line.listing.marketplace is marketplace)
        if fee and removal.status == "Completed":
            description = (
                "DisposalComplete" if removal.order_type == "Disposal" else ("RemovalComplete")
            )
            ledger.other(
                removal.last_updated,
                "other-transaction",
                description,
                -fee,
                order_id=removal.order_id,
            )
    month = since.replace(day=1, hour=0, minute=0, second=0)
    while month < sales.as_of:
        if first_market and marketplace.currency in _SUBSCRIPTION:
            charged = month + timedelta(days=rng.randint(0, 2), seconds=rng.randrange(86400))
            ledger.other(
                charged,
                "other-transaction",
                "Subscription Fee",
                -_SUBSCRIPTION[marketplace.currency],
            )
        storage = (
            sum(
                listing.product.volume_cubic_feet * listing.daily_rate * 45
                for listing in sales.store.listings
                if listing.marketplace is marketplace and not listing.fbm
            )
            * 0.87
            * marketplace.price_factor
        )
        charged = month + timedelta(days=rng.randint(6, 9), seconds=rng.randrange(86400))
        amount = int(storage * 100)
        if marketplace.is_yen:
            amount = amount // 100 * 100
        ledger.other(charged, "other-transaction", "Storage Fee", -amount)
        month = (month + timedelta(days=32)).replace(day=1)


def build_settlements(
    sales: SalesYear,
    returns: ReturnsYear,
    stock: StockYear,
    merchant_returns: list[MerchantReturn],
    seed: int,
) -> list[SettlementReport]:
    """The last closed settlement periods of every marketplace of the store."""
    reports: list[SettlementReport] = []
    for index, marketplace in enumerate(sales.store.marketplaces):
        rng = random.Random(f"{seed}:settlement:{sales.store.name}:{marketplace.code}")
        ends = _period_ends(sales, rng)
        ledger = _Ledger(marketplace)
        _fill_ledger(ledger, sales, returns, stock, merchant_returns, index == 0, rng, ends[0])
        ledger.postings.sort(key=lambda posting: (posting.posted, posting.order))
        settlement_id = rng.randint(10**10, 2 * 10**10)
        cursor = 0
        postings = ledger.postings
        for number, (start, end) in enumerate(itertools.pairwise(ends), start=1):
            while cursor < len(postings) and postings[cursor].posted < start:
                cursor += 1
            chosen: list[_Posting] = []
            while cursor < len(postings) and postings[cursor].posted < end:
                chosen.append(postings[cursor])
                cursor += 1
            settlement_id += rng.randint(40_000, 900_000)
            ident = str(settlement_id)
            deposit = end + timedelta(days=2, hours=rng.randint(0, 20))
            total = sum(posting.amount for posting in chosen)
            summary = [
                ident,
                iso(start),
                iso(end),
                iso(deposit),
                money(total),
                marketplace.currency,
            ] + [""] * 18
            rows = [summary] + [[ident, "", "", "", "", "", *p.fields] for p in chosen]
            reports.append(SettlementReport(marketplace, number, ident, rows))
    return reports
