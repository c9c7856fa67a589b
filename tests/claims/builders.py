"""Builders for settlement refund lines, reimbursement rows and returned units with only what
a test needs."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from aftersales.models import FbaReturn, Refund, Reimbursement, Store
from tests.returns.builders import add_return

US = "ATVPDKIKX0DER"
_sequence = itertools.count(1)


def add_refund(
    session: Session,
    store: Store,
    *,
    on: date,
    order_id: str,
    sku: str = "SKU-1",
    principal: str = "25.00",
    commission: str = "3.75",
    quantity: int = 1,
    fulfillment_id: str = "AFN",
) -> None:
    number = next(_sequence)
    posted = datetime(on.year, on.month, on.day, 12, tzinfo=UTC)
    for amount_type, description, amount in (
        ("ItemPrice", "Principal", -Decimal(principal)),
        ("ItemFees", "Commission", Decimal(commission)),
    ):
        session.add(
            Refund(
                store_id=store.id,
                marketplace_id=US,
                natural_key=f"S{number}|ADJ{number}|{order_id}|{sku}|{description}",
                settlement_id=f"S{number}",
                amazon_order_id=order_id,
                adjustment_id=f"ADJ{number}",
                fulfillment_id=fulfillment_id,
                posted_date=posted,
                sku=sku,
                quantity=quantity,
                amount_type=amount_type,
                amount_description=description,
                amount=amount,
                currency="USD",
            )
        )
    session.flush()


def add_reimbursement(
    session: Session,
    store: Store,
    *,
    on: date,
    order_id: str,
    sku: str = "SKU-1",
    reason: str = "CustomerReturn",
    quantity: int = 1,
    amount: str = "21.25",
    original_type: str | None = None,
) -> None:
    number = next(_sequence)
    session.add(
        Reimbursement(
            store_id=store.id,
            marketplace_id=US,
            natural_key=f"R{number}|{sku}|{order_id}",
            approval_date=datetime(on.year, on.month, on.day, 9, tzinfo=UTC),
            reimbursement_id=f"R{number:010d}",
            amazon_order_id=order_id,
            reason=reason,
            sku=sku,
            currency="USD",
            amount_total=Decimal(amount),
            quantity_reimbursed_cash=quantity,
            quantity_reimbursed_inventory=0,
            quantity_reimbursed_total=quantity,
            original_reimbursement_type=original_type,
        )
    )
    session.flush()


def add_returned_unit(
    session: Session,
    store: Store,
    *,
    on: date,
    order_id: str,
    sku: str = "SKU-1",
    disposition: str | None = "DAMAGED",
    reason: str | None = "DAMAGED_BY_FC",
    lpn: str | None = None,
) -> FbaReturn:
    """One returned unit as the FBA customer returns report shows it."""
    return add_return(
        session,
        store,
        when=datetime(on.year, on.month, on.day, 15, tzinfo=UTC),
        order_id=order_id,
        sku=sku,
        disposition=disposition,
        reason=reason,
        lpn=lpn,
    )
