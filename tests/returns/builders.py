"""Builders for FBA return rows with only the fields a test cares about."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from aftersales.models import FbaReturn, Store

US = "ATVPDKIKX0DER"
CA = "A2EUQ1WTGCTBG2"

_sequence = itertools.count(1)


def add_return(
    session: Session,
    store: Store,
    *,
    when: datetime | str,
    sku: str = "SKU-1",
    quantity: int = 1,
    reason: str | None = "UNWANTED_ITEM",
    disposition: str | None = "SELLABLE",
    marketplace_id: str | None = US,
    order_id: str | None = None,
    asin: str | None = None,
    fnsku: str | None = None,
    lpn: str | None = None,
    product_name: str | None = None,
) -> FbaReturn:
    number = next(_sequence)
    moment = datetime.fromisoformat(when).replace(tzinfo=UTC) if isinstance(when, str) else when
    lpn = lpn if lpn is not None else f"LPN{number:09d}"
    order_id = order_id or f"114-{number:07d}-0000000"
    row = FbaReturn(
        store_id=store.id,
        marketplace_id=marketplace_id,
        natural_key=f"{lpn}|{order_id}|{sku}",
        return_date=moment,
        amazon_order_id=order_id,
        sku=sku,
        asin=asin,
        fnsku=fnsku,
        product_name=product_name,
        quantity=quantity,
        detailed_disposition=disposition,
        reason=reason,
        status="Unit returned to inventory",
        license_plate_number=lpn,
    )
    session.add(row)
    session.flush()
    return row
