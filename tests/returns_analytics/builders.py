"""A SKU with known shipped and returned units around 2026-05-31, in one store."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.models import OrderItem, Product, Store
from aftersales.replenishment import sales_repository
from tests.orders.builders import CA, Line, add_order
from tests.returns.builders import add_return

AS_OF = date(2026, 5, 31)
SKU = "SKU-P"


def as_imported(session: Session, store: Store) -> None:
    """What an orders import does after writing the lines the order builders add directly:
    a product per SKU (with the ASIN of its lines, where one names it) that has none yet,
    and the store's daily sales rebuilt (the explorer reads its shipped units there)."""
    known = set(session.scalars(select(Product.sku).where(Product.store_id == store.id)))
    lines = session.execute(
        select(OrderItem.sku, OrderItem.asin)
        .where(OrderItem.store_id == store.id)
        .order_by(OrderItem.id)
    ).all()
    asins: dict[str, str | None] = {}
    for sku, asin in lines:
        if sku not in known and (asins.get(sku) is None):
            asins[sku] = asin
    session.add_all(Product(store_id=store.id, sku=sku, asin=asin) for sku, asin in asins.items())
    session.flush()
    sales_repository.rebuild(session, store_id=store.id, first=None, last=None)


def build_profile(session: Session, store: Store, *, prefix: str = "A") -> None:
    """Shipped (by purchase day): last 30 days 4 (US) + 2 (CA); last 90 days 6 more;
    the 90 days before 10. Returned: last 30 days 3, last 90 days 5, the 90 before 2."""

    def order(number: int, when: str, lines: list[Line], **options: str) -> None:
        add_order(session, store, order_id=f"{prefix}-{number}", when=when, lines=lines, **options)

    order(1, "2026-05-30T08:00:00", [Line(SKU, 4), Line("SKU-Q", 7)])
    order(2, "2026-04-15T08:00:00", [Line(SKU, 6)])
    order(3, "2026-02-01T08:00:00", [Line(SKU, 10)])
    order(4, "2026-05-29T08:00:00", [Line(SKU, 5, item_status="Unshipped")])
    order(5, "2026-05-20T08:00:00", [Line(SKU, 2, currency="CAD")], marketplace_id=CA)
    order(6, "2026-06-01T08:00:00", [Line(SKU, 9)])

    def returned(when: str, reason: str | None, disposition: str, **options: object) -> None:
        comment = options.pop("comment", None)
        row = add_return(
            session,
            store,
            when=when,
            sku=SKU,
            reason=reason,
            disposition=disposition,
            product_name="Pour-over kettle",
            **options,  # type: ignore[arg-type]
        )
        row.customer_comments = comment  # type: ignore[assignment]
        session.flush()

    returned(
        "2026-05-31T23:59:00",
        "DEFECTIVE",
        "DEFECTIVE",
        comment="stopped working",
        lpn=f"{prefix}LPN1",
    )
    returned("2026-05-10T10:00:00", "NOT_AS_DESCRIBED", "SELLABLE", comment="colour differs")
    returned("2026-05-05T10:00:00", None, "SELLABLE")
    returned("2026-04-01T10:00:00", "WEIRD_NEW_CODE", "CUSTOMER_DAMAGED")
    returned("2026-04-02T10:00:00", "DEFECTIVE", "DEFECTIVE")
    returned("2026-02-10T10:00:00", "UNWANTED_ITEM", "SELLABLE", quantity=2)
    returned("2026-06-01T00:00:00", "DEFECTIVE", "DEFECTIVE", comment="after the day")
