"""Where each report's rows go: target tables, column expressions and natural keys.

A natural key is the set of report values that identify one real-world thing; importing
the same thing again updates its row instead of adding one. They are listed here, one
per target, next to the columns they fill.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl
from sqlalchemy import Table

from aftersales.amazon.reports import catalog as reports
from aftersales.amazon.reports.spec import ReportSpec
from aftersales.models import (
    FbaReturn,
    InventorySnapshot,
    Order,
    OrderItem,
    Product,
    Refund,
    Reimbursement,
    RemovalOrder,
    RemovalShipment,
    SellerFeedback,
    SellerReturn,
    ShipmentItem,
)

MARKETPLACE_CODE = "__marketplace_code"
MARKETPLACE_ID = "__marketplace_id"
MARKETPLACE_CURRENCY = "__marketplace_currency"
SNAPSHOT_DATE = "__snapshot_date"


@dataclass(frozen=True)
class Target:
    table: Table
    columns: dict[str, pl.Expr]
    # None for targets keyed by their own unique columns (products).
    key: pl.Expr | None
    conflict: tuple[str, ...] = ("store_id", "natural_key")
    # Fill-only targets never blank a value another report already gave (products).
    fill_only: bool = False
    # Only rows where this holds are written (e.g. products need a SKU).
    where: pl.Expr | None = None
    extra_context: dict[str, pl.Expr] = field(default_factory=dict)

    @property
    def is_fact(self) -> bool:
        return self.key is not None


def same(*names: str) -> dict[str, pl.Expr]:
    """Report field `a-b` fills column `a_b`."""
    return {name.replace("-", "_").replace("/", "_"): pl.col(name) for name in names}


def key(*parts: str | pl.Expr) -> pl.Expr:
    exprs = [pl.col(p) if isinstance(p, str) else p for p in parts]
    return pl.concat_str([e.cast(pl.String).fill_null("") for e in exprs], separator="|")


def product_target(
    title_field: str, *, fnsku: str | None = "fnsku", asin: str | None = "asin", sku: str = "sku"
) -> Target:
    columns = {"sku": pl.col(sku), "title": pl.col(title_field)}
    columns["asin"] = pl.col(asin) if asin else pl.lit(None, dtype=pl.String)
    columns["fnsku"] = pl.col(fnsku) if fnsku else pl.lit(None, dtype=pl.String)
    return Target(
        Product.__table__,  # type: ignore[arg-type]
        columns,
        key=None,
        conflict=("store_id", "sku"),
        fill_only=True,
        where=pl.col(sku).is_not_null(),
    )


_MONEY = (
    "item-price",
    "item-tax",
    "shipping-price",
    "shipping-tax",
    "gift-wrap-price",
    "gift-wrap-tax",
    "item-promotion-discount",
    "ship-promotion-discount",
)

_RETURN_KEY = (
    pl.when(pl.col("license-plate-number").is_null())
    .then(key("order-id", "sku", "return-date"))
    .otherwise(key("license-plate-number", "order-id", "sku"))
)


def _inventory(source: str, columns: dict[str, pl.Expr], *extra_key: str) -> Target:
    date = pl.col("snapshot-date") if "snapshot_date" in columns else pl.col(SNAPSHOT_DATE)
    base = {"source": pl.lit(source), "snapshot_date": date}
    return Target(
        InventorySnapshot.__table__,  # type: ignore[arg-type]
        {**base, **{k: v for k, v in columns.items() if k != "snapshot_date"}},
        key=key(pl.lit(source), pl.col(MARKETPLACE_CODE), date, columns["sku"], *extra_key),
    )


def _sum(*names: str) -> pl.Expr:
    return pl.sum_horizontal([pl.col(n) for n in names]).cast(pl.Int64)


_V1_AMOUNT_TYPE = (
    pl.when(pl.col("price-type").is_not_null())
    .then(pl.lit("ItemPrice"))
    .when(pl.col("item-related-fee-type").is_not_null())
    .then(pl.lit("ItemFees"))
    .when(pl.col("promotion-type").is_not_null())
    .then(pl.lit("Promotion"))
    .when(pl.col("misc-fee-amount").is_not_null())
    .then(pl.lit("Misc"))
    .otherwise(pl.lit("Other"))
)
_V1_DESCRIPTION = pl.coalesce(
    pl.col("price-type"),
    pl.col("item-related-fee-type"),
    pl.col("promotion-type"),
    pl.col("other-fee-reason-description"),
)
_V1_AMOUNT = pl.coalesce(
    pl.col("price-amount"),
    pl.col("item-related-fee-amount"),
    pl.col("promotion-amount"),
    pl.col("misc-fee-amount"),
    pl.col("other-fee-amount"),
)


def _refunds(amount_type: pl.Expr, description: pl.Expr, amount: pl.Expr) -> Target:
    columns = {
        **same(
            "settlement-id",
            "merchant-order-id",
            "adjustment-id",
            "shipment-id",
            "marketplace-name",
            "fulfillment-id",
            "order-item-code",
            "merchant-order-item-id",
            "merchant-adjustment-item-id",
            "sku",
            "promotion-id",
        ),
        "amazon_order_id": pl.col("order-id"),
        "posted_date": pl.coalesce(pl.col("posted-date-time"), pl.col("posted-date")),
        "quantity": pl.col("quantity-purchased"),
        "amount_type": amount_type,
        "amount_description": description,
        "amount": amount,
        "currency": pl.coalesce(pl.col("currency"), pl.col(MARKETPLACE_CURRENCY)),
    }
    return Target(
        Refund.__table__,  # type: ignore[arg-type]
        columns,
        key=key(
            "settlement-id",
            "adjustment-id",
            "order-item-code",
            "merchant-adjustment-item-id",
            "sku",
            amount_type,
            description,
        ),
        where=amount.is_not_null(),
    )


TARGETS: dict[str, tuple[Target, ...]] = {
    reports.FBA_RETURNS.report_type: (
        Target(
            FbaReturn.__table__,  # type: ignore[arg-type]
            {
                **same(
                    "return-date",
                    "sku",
                    "asin",
                    "fnsku",
                    "product-name",
                    "quantity",
                    "fulfillment-center-id",
                    "detailed-disposition",
                    "reason",
                    "status",
                    "license-plate-number",
                    "customer-comments",
                ),
                "amazon_order_id": pl.col("order-id"),
            },
            key=_RETURN_KEY,
        ),
        product_target("product-name"),
    ),
    reports.ALL_ORDERS.report_type: (
        Target(
            OrderItem.__table__,  # type: ignore[arg-type]
            same(
                "amazon-order-id",
                "sku",
                "asin",
                "product-name",
                "purchase-date",
                "order-status",
                "fulfillment-channel",
                "item-status",
                "quantity",
                "currency",
                "promotion-ids",
                *_MONEY,
            ),
            key=key("amazon-order-id", "sku"),
        ),
        Target(
            Order.__table__,  # type: ignore[arg-type]
            same(
                "amazon-order-id",
                "merchant-order-id",
                "purchase-date",
                "last-updated-date",
                "order-status",
                "fulfillment-channel",
                "sales-channel",
                "order-channel",
                "ship-service-level",
                "ship-city",
                "ship-state",
                "ship-postal-code",
                "ship-country",
                "is-business-order",
                "purchase-order-number",
            ),
            key=key("amazon-order-id"),
        ),
        product_target("product-name", fnsku=None),
    ),
    reports.FULFILLED_SHIPMENTS.report_type: (
        Target(
            ShipmentItem.__table__,  # type: ignore[arg-type]
            same(
                "amazon-order-id",
                "merchant-order-id",
                "shipment-id",
                "shipment-item-id",
                "amazon-order-item-id",
                "merchant-order-item-id",
                "purchase-date",
                "payments-date",
                "shipment-date",
                "reporting-date",
                "sku",
                "product-name",
                "quantity-shipped",
                "currency",
                *_MONEY,
                "ship-service-level",
                "ship-city",
                "ship-state",
                "ship-postal-code",
                "ship-country",
                "carrier",
                "tracking-number",
                "estimated-arrival-date",
                "fulfillment-center-id",
                "fulfillment-channel",
                "sales-channel",
            ),
            key=key("shipment-id", "shipment-item-id"),
        ),
        product_target("product-name", fnsku=None, asin=None),
    ),
    reports.MYI_INVENTORY.report_type: (
        _inventory(
            "myi",
            {
                **same("sku", "fnsku", "asin", "condition"),
                "fulfillable": pl.col("afn-fulfillable-quantity"),
                "unfulfillable": pl.col("afn-unsellable-quantity"),
                "reserved": pl.col("afn-reserved-quantity"),
                "inbound_working": pl.col("afn-inbound-working-quantity"),
                "inbound_shipped": pl.col("afn-inbound-shipped-quantity"),
                "inbound_receiving": pl.col("afn-inbound-receiving-quantity"),
                "researching": pl.col("afn-researching-quantity"),
                "total": pl.col("afn-total-quantity"),
            },
        ),
        product_target("product-name"),
    ),
    reports.AFN_INVENTORY.report_type: (
        _inventory(
            "afn",
            {
                "sku": pl.col("seller-sku"),
                "fnsku": pl.col("fulfillment-channel-sku"),
                "asin": pl.col("asin"),
                "condition": pl.col("condition-type"),
                "fulfillable": pl.when(
                    pl.col("warehouse-condition-code").str.to_uppercase() == "SELLABLE"
                ).then(pl.col("quantity-available")),
                "unfulfillable": pl.when(
                    pl.col("warehouse-condition-code").str.to_uppercase() == "UNSELLABLE"
                ).then(pl.col("quantity-available")),
                "total": pl.col("quantity-available"),
            },
            "warehouse-condition-code",
        ),
        product_target("asin", sku="seller-sku", fnsku="fulfillment-channel-sku"),
    ),
    reports.INVENTORY_PLANNING.report_type: (
        _inventory(
            "planning",
            {
                **same("snapshot-date", "sku", "fnsku", "asin", "condition"),
                "fulfillable": pl.col("available"),
                "reserved": pl.col("reserved-quantity"),
                "unfulfillable": pl.col("unfulfillable-quantity"),
                "inbound_working": pl.col("inbound-working"),
                "inbound_shipped": pl.col("inbound-shipped"),
                "inbound_receiving": pl.col("inbound-received"),
            },
        ),
    ),
    reports.RESTOCK.report_type: (
        _inventory(
            "restock",
            {
                "sku": pl.col("merchant-sku"),
                **same("fnsku", "asin", "condition"),
                "fulfillable": pl.col("available"),
                "reserved": _sum("fc-transfer", "fc-processing", "customer-order"),
                "unfulfillable": pl.col("unfulfillable"),
                "inbound_working": pl.col("working"),
                "inbound_shipped": pl.col("shipped"),
                "inbound_receiving": pl.col("receiving"),
                "total": pl.col("total-units"),
            },
        ),
        product_target("product-name", sku="merchant-sku"),
    ),
    reports.REIMBURSEMENTS.report_type: (
        Target(
            Reimbursement.__table__,  # type: ignore[arg-type]
            {
                **same(
                    "approval-date",
                    "reimbursement-id",
                    "case-id",
                    "amazon-order-id",
                    "reason",
                    "sku",
                    "fnsku",
                    "asin",
                    "product-name",
                    "condition",
                    "amount-per-unit",
                    "amount-total",
                    "quantity-reimbursed-cash",
                    "quantity-reimbursed-inventory",
                    "quantity-reimbursed-total",
                    "original-reimbursement-id",
                    "original-reimbursement-type",
                ),
                "currency": pl.col("currency-unit"),
            },
            key=key("reimbursement-id", "sku", "fnsku", "amazon-order-id"),
        ),
        product_target("product-name"),
    ),
    reports.REMOVAL_ORDERS.report_type: (
        Target(
            RemovalOrder.__table__,  # type: ignore[arg-type]
            same(
                "request-date",
                "order-id",
                "order-type",
                "service-speed",
                "order-status",
                "last-updated-date",
                "sku",
                "fnsku",
                "disposition",
                "requested-quantity",
                "cancelled-quantity",
                "disposed-quantity",
                "shipped-quantity",
                "in-process-quantity",
                "removal-fee",
                "currency",
            ),
            key=key("order-id", "sku", "fnsku", "disposition"),
        ),
    ),
    reports.REMOVAL_SHIPMENTS.report_type: (
        Target(
            RemovalShipment.__table__,  # type: ignore[arg-type]
            same(
                "request-date",
                "order-id",
                "shipment-date",
                "sku",
                "fnsku",
                "disposition",
                "shipped-quantity",
                "carrier",
                "tracking-number",
                "removal-order-type",
            ),
            key=key(
                "order-id",
                "sku",
                "fnsku",
                "disposition",
                "carrier",
                "tracking-number",
                "shipment-date",
            ),
        ),
    ),
    reports.SELLER_RETURNS.report_type: (
        Target(
            SellerReturn.__table__,  # type: ignore[arg-type]
            {
                **same(
                    "order-date",
                    "return-request-date",
                    "return-request-status",
                    "amazon-rma-id",
                    "merchant-rma-id",
                    "label-type",
                    "label-cost",
                    "return-carrier",
                    "tracking-id",
                    "label-to-be-paid-by",
                    "a-to-z-claim",
                    "is-prime",
                    "asin",
                    "item-name",
                    "return-quantity",
                    "return-reason",
                    "in-policy",
                    "return-type",
                    "resolution",
                    "invoice-number",
                    "return-delivery-date",
                    "order-amount",
                    "order-quantity",
                    "safet-action-reason",
                    "safet-claim-id",
                    "safet-claim-state",
                    "safet-claim-creation-time",
                    "safet-claim-reimbursement-amount",
                    "refunded-amount",
                ),
                "amazon_order_id": pl.col("order-id"),
                "sku": pl.col("merchant-sku"),
                "currency": pl.col("currency-code"),
            },
            key=key("order-id", "amazon-rma-id", "merchant-sku"),
        ),
        product_target("item-name", sku="merchant-sku", fnsku=None),
    ),
    reports.SELLER_FEEDBACK.report_type: (
        Target(
            SellerFeedback.__table__,  # type: ignore[arg-type]
            {
                "feedback_date": pl.col("date"),
                "rating": pl.col("rating"),
                "comments": pl.col("comments"),
                "response": pl.col("your-response"),
                "amazon_order_id": pl.col("order-id"),
                "rater_email": pl.col("rater-email"),
            },
            key=pl.when(pl.col("order-id").is_not_null())
            .then(key("order-id"))
            .otherwise(key("date", "rating", "comments")),
        ),
    ),
    reports.SETTLEMENT_V2.report_type: (
        _refunds(pl.col("amount-type"), pl.col("amount-description"), pl.col("amount")),
    ),
    reports.SETTLEMENT_V1.report_type: (_refunds(_V1_AMOUNT_TYPE, _V1_DESCRIPTION, _V1_AMOUNT),),
}

# Tables whose rows name an order but not a marketplace: the order tells it.
ORDER_LINKED = {
    "fba_returns": "amazon_order_id",
    "reimbursements": "amazon_order_id",
    "seller_returns": "amazon_order_id",
    "seller_feedback": "amazon_order_id",
}


def targets_for(spec: ReportSpec) -> tuple[Target, ...]:
    return TARGETS[spec.report_type]
