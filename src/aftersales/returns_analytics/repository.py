"""SQL for returns analytics: one SKU's daily units, reasons, dispositions and comments in a
scope, and the stores' reason overrides."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, TypeAlias

from sqlalchemy import Date, Row, cast, delete, exists, func, select
from sqlalchemy.orm import Session

from aftersales.kit.query import dialect_of, in_scope
from aftersales.kit.scope import Scope
from aftersales.models import (
    FbaReturn,
    MarketplaceRow,
    OrderItem,
    ReturnReasonOverride,
    Store,
)

# A result row of any shape (SQLAlchemy 2.1 types rows by their columns).
ResultRow: TypeAlias = Row[*tuple[Any, ...]]

SHIPPED = "Shipped"


def _utc_day(session: Session, column: Any) -> Any:
    """The UTC calendar day of a timestamp column, as ``date`` or ISO text (SQLite)."""
    if dialect_of(session) == "sqlite":
        # SQLite keeps UTC timestamps as "YYYY-MM-DD HH:MM:SS...": the day is the prefix.
        return func.substr(column, 1, 10)
    return cast(func.timezone("UTC", column), Date)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def sku_exists(session: Session, *, scope: Scope, sku: str) -> bool:
    returned = exists().where(in_scope(FbaReturn, scope), FbaReturn.sku == sku)
    sold = exists().where(in_scope(OrderItem, scope), OrderItem.sku == sku)
    return bool(session.execute(select(returned | sold)).scalar())


def product_name(session: Session, *, scope: Scope, sku: str) -> str | None:
    for model in (FbaReturn, OrderItem):
        name = session.execute(
            select(model.product_name)
            .where(in_scope(model, scope), model.sku == sku, model.product_name.is_not(None))
            .limit(1)
        ).scalar()
        if name:
            return str(name)
    return None


def daily_returned(
    session: Session, *, scope: Scope, sku: str, start: datetime, end: datetime
) -> dict[date, int]:
    """Returned units of the SKU per UTC day in [start, end)."""
    day = _utc_day(session, FbaReturn.return_date).label("day")
    statement = (
        select(day, func.sum(FbaReturn.quantity))
        .where(
            in_scope(FbaReturn, scope),
            FbaReturn.sku == sku,
            FbaReturn.return_date >= start,
            FbaReturn.return_date < end,
        )
        .group_by(day)
    )
    return {_as_date(row[0]): int(row[1] or 0) for row in session.execute(statement)}


def daily_shipped(
    session: Session, *, scope: Scope, sku: str, start: datetime, end: datetime
) -> dict[date, int]:
    """Shipped units of the SKU per UTC purchase day in [start, end)."""
    day = _utc_day(session, OrderItem.purchase_date).label("day")
    statement = (
        select(day, func.sum(OrderItem.quantity))
        .where(
            in_scope(OrderItem, scope),
            OrderItem.sku == sku,
            OrderItem.item_status == SHIPPED,
            OrderItem.purchase_date >= start,
            OrderItem.purchase_date < end,
        )
        .group_by(day)
    )
    return {_as_date(row[0]): int(row[1] or 0) for row in session.execute(statement)}


def reasons(
    session: Session, *, scope: Scope, sku: str, start: datetime, end: datetime
) -> Sequence[ResultRow]:
    """(store_id, reason, units) of the SKU's returns in [start, end)."""
    statement = (
        select(FbaReturn.store_id, FbaReturn.reason, func.sum(FbaReturn.quantity).label("units"))
        .where(
            in_scope(FbaReturn, scope),
            FbaReturn.sku == sku,
            FbaReturn.return_date >= start,
            FbaReturn.return_date < end,
        )
        .group_by(FbaReturn.store_id, FbaReturn.reason)
    )
    return session.execute(statement).all()


def dispositions(
    session: Session, *, scope: Scope, sku: str, start: datetime, end: datetime
) -> Sequence[ResultRow]:
    """(disposition, units) of the SKU's returns in [start, end)."""
    statement = (
        select(
            FbaReturn.detailed_disposition.label("disposition"),
            func.sum(FbaReturn.quantity).label("units"),
        )
        .where(
            in_scope(FbaReturn, scope),
            FbaReturn.sku == sku,
            FbaReturn.return_date >= start,
            FbaReturn.return_date < end,
        )
        .group_by(FbaReturn.detailed_disposition)
    )
    return session.execute(statement).all()


def comments(
    session: Session, *, scope: Scope, sku: str, end: datetime, limit: int
) -> Sequence[ResultRow]:
    """The latest returns of the SKU before ``end`` that carry a buyer comment."""
    statement = (
        select(
            FbaReturn.return_date,
            Store.name.label("store_name"),
            MarketplaceRow.code.label("marketplace_code"),
            FbaReturn.reason,
            FbaReturn.license_plate_number,
            FbaReturn.customer_comments.label("comment"),
        )
        .join(Store, Store.id == FbaReturn.store_id)
        .outerjoin(MarketplaceRow, MarketplaceRow.id == FbaReturn.marketplace_id)
        .where(
            in_scope(FbaReturn, scope),
            FbaReturn.sku == sku,
            FbaReturn.return_date < end,
            FbaReturn.customer_comments.is_not(None),
            FbaReturn.customer_comments != "",
        )
        .order_by(FbaReturn.return_date.desc(), FbaReturn.id.desc())
        .limit(limit)
    )
    return session.execute(statement).all()


# --- reason overrides ----------------------------------------------------------------------


def overrides_of(session: Session, *, store_ids: Sequence[int]) -> Sequence[ReturnReasonOverride]:
    if not store_ids:
        return []
    statement = select(ReturnReasonOverride).where(ReturnReasonOverride.store_id.in_(store_ids))
    return session.execute(statement).scalars().all()


def override(session: Session, *, store_id: int, reason_code: str) -> ReturnReasonOverride | None:
    statement = select(ReturnReasonOverride).where(
        ReturnReasonOverride.store_id == store_id, ReturnReasonOverride.reason_code == reason_code
    )
    return session.execute(statement).scalar_one_or_none()


def delete_override(session: Session, *, store_id: int, reason_code: str) -> None:
    session.execute(
        delete(ReturnReasonOverride).where(
            ReturnReasonOverride.store_id == store_id,
            ReturnReasonOverride.reason_code == reason_code,
        )
    )


def store_name(session: Session, *, store_id: int) -> str:
    return str(session.execute(select(Store.name).where(Store.id == store_id)).scalar_one())
