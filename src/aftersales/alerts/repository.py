"""SQL of the alerts domain: the return facts the rules read, and rules, alerts, channels and
deliveries of a set of stores."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, case, cast, func, select, update
from sqlalchemy.orm import Session

from aftersales.kit.query import dialect_of
from aftersales.models import (
    Alert,
    AlertDelivery,
    AlertRule,
    FbaReturn,
    NotificationChannel,
    OrderItem,
    ReplenishmentResult,
    Store,
)

SHIPPED = "Shipped"
SELLABLE = "SELLABLE"


def _utc_day(session: Session, column: Any) -> Any:
    if dialect_of(session) == "sqlite":
        # SQLite keeps UTC timestamps as "YYYY-MM-DD HH:MM:SS...": the day is the prefix.
        return func.substr(column, 1, 10)
    return cast(func.timezone("UTC", column), Date)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


# --- facts the rules read ----------------------------------------------------------------------


def returned_by_sku(
    session: Session, *, store_id: int, start: datetime, end: datetime
) -> dict[str, int]:
    rows = session.execute(
        select(FbaReturn.sku, func.sum(FbaReturn.quantity))
        .where(
            FbaReturn.store_id == store_id,
            FbaReturn.return_date >= start,
            FbaReturn.return_date < end,
        )
        .group_by(FbaReturn.sku)
    )
    return {str(sku): int(units or 0) for sku, units in rows}


def shipped_by_sku(
    session: Session, *, store_id: int, start: datetime, end: datetime, skus: Iterable[str]
) -> dict[str, int]:
    wanted = sorted(set(skus))
    if not wanted:
        return {}
    rows = session.execute(
        select(OrderItem.sku, func.sum(OrderItem.quantity))
        .where(
            OrderItem.store_id == store_id,
            OrderItem.item_status == SHIPPED,
            OrderItem.purchase_date >= start,
            OrderItem.purchase_date < end,
            OrderItem.sku.in_(wanted),
        )
        .group_by(OrderItem.sku)
    )
    return {str(sku): int(units or 0) for sku, units in rows}


def unsellable_by_day(
    session: Session, *, store_id: int, start: datetime, end: datetime
) -> dict[date, int]:
    """Unsellable returned units per UTC day (as the dashboard counts them)."""
    day = _utc_day(session, FbaReturn.return_date).label("day")
    units = case((FbaReturn.detailed_disposition == SELLABLE, 0), else_=FbaReturn.quantity)
    rows = session.execute(
        select(day, func.sum(units))
        .where(
            FbaReturn.store_id == store_id,
            FbaReturn.return_date >= start,
            FbaReturn.return_date < end,
        )
        .group_by(day)
    )
    return {_as_date(found): int(total or 0) for found, total in rows}


def reason_units_by_sku(
    session: Session, *, store_id: int, reason: str, start: datetime, end: datetime
) -> dict[str, int]:
    rows = session.execute(
        select(FbaReturn.sku, func.sum(FbaReturn.quantity))
        .where(
            FbaReturn.store_id == store_id,
            FbaReturn.reason == reason,
            FbaReturn.return_date >= start,
            FbaReturn.return_date < end,
        )
        .group_by(FbaReturn.sku)
    )
    return {str(sku): int(units or 0) for sku, units in rows}


# --- rules ---------------------------------------------------------------------------------------


def rules_of(session: Session, *, store_ids: Sequence[int]) -> list[AlertRule]:
    return list(
        session.execute(
            select(AlertRule)
            .where(AlertRule.store_id.in_(store_ids))
            .order_by(AlertRule.store_id, AlertRule.id)
        ).scalars()
    )


# --- alerts --------------------------------------------------------------------------------------


def existing_keys(session: Session, *, store_id: int, kind: str) -> set[str]:
    return set(
        session.execute(
            select(Alert.key).where(Alert.store_id == store_id, Alert.kind == kind)
        ).scalars()
    )


def alerts_in(
    session: Session, *, store_ids: Sequence[int], unread_only: bool, limit: int
) -> list[tuple[Alert, str]]:
    statement = (
        select(Alert, Store.name)
        .join(Store, Store.id == Alert.store_id)
        .where(Alert.store_id.in_(store_ids))
        .order_by(Alert.created_at.desc(), Alert.id.desc())
        .limit(limit)
    )
    if unread_only:
        statement = statement.where(Alert.read_at.is_(None))
    return [(alert, str(name)) for alert, name in session.execute(statement).all()]


def alert_by_id(session: Session, *, store_ids: Sequence[int], alert_id: int) -> Alert | None:
    return session.execute(
        select(Alert).where(Alert.id == alert_id, Alert.store_id.in_(store_ids))
    ).scalar_one_or_none()


def alerts_by_ids(session: Session, *, alert_ids: Sequence[int]) -> list[Alert]:
    return list(
        session.execute(select(Alert).where(Alert.id.in_(alert_ids)).order_by(Alert.id)).scalars()
    )


def unread_count(session: Session, *, store_ids: Sequence[int]) -> int:
    return int(
        session.execute(
            select(func.count())
            .select_from(Alert)
            .where(Alert.store_id.in_(store_ids), Alert.read_at.is_(None))
        ).scalar_one()
    )


def mark_all_read(session: Session, *, store_ids: Sequence[int], at: datetime) -> int:
    result = session.execute(
        update(Alert)
        .where(Alert.store_id.in_(store_ids), Alert.read_at.is_(None))
        .values(read_at=at)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


# --- channels and deliveries ---------------------------------------------------------------------


def channels_of(
    session: Session, *, store_ids: Sequence[int], enabled_only: bool = False
) -> list[NotificationChannel]:
    statement = (
        select(NotificationChannel)
        .where(NotificationChannel.store_id.in_(store_ids))
        .order_by(NotificationChannel.store_id, NotificationChannel.id)
    )
    if enabled_only:
        statement = statement.where(NotificationChannel.enabled.is_(True))
    return list(session.execute(statement).scalars())


def channel_by_id(
    session: Session, *, store_ids: Sequence[int], channel_id: int
) -> NotificationChannel | None:
    return session.execute(
        select(NotificationChannel).where(
            NotificationChannel.id == channel_id, NotificationChannel.store_id.in_(store_ids)
        )
    ).scalar_one_or_none()


def deliveries_of(session: Session, *, alert_ids: Sequence[int]) -> list[AlertDelivery]:
    if not alert_ids:
        return []
    return list(
        session.execute(
            select(AlertDelivery)
            .where(AlertDelivery.alert_id.in_(alert_ids))
            .order_by(AlertDelivery.id)
        ).scalars()
    )


def store_ids(session: Session) -> list[int]:
    return list(session.execute(select(Store.id).order_by(Store.id)).scalars())


def failing_deliveries(
    session: Session, *, since: datetime, alert_ids: Sequence[int] | None = None
) -> list[tuple[int, int, int, datetime]]:
    """(alert id, channel id, attempts, last attempt) of every alert raised since ``since``
    (or of ``alert_ids``) whose attempts to an enabled channel have all failed so far."""
    sent = func.sum(case((AlertDelivery.status == "sent", 1), else_=0))
    statement = (
        select(
            AlertDelivery.alert_id,
            AlertDelivery.channel_id,
            func.count(),
            func.max(AlertDelivery.attempted_at),
        )
        .join(Alert, Alert.id == AlertDelivery.alert_id)
        .join(NotificationChannel, NotificationChannel.id == AlertDelivery.channel_id)
        .where(NotificationChannel.enabled.is_(True))
        .group_by(AlertDelivery.alert_id, AlertDelivery.channel_id)
        .having(sent == 0)
        .order_by(AlertDelivery.alert_id, AlertDelivery.channel_id)
    )
    if alert_ids is not None:
        statement = statement.where(Alert.id.in_(list(alert_ids)))
    else:
        statement = statement.where(Alert.created_at >= since)
    return [
        (int(alert_id), int(channel_id), int(attempts), last)
        for alert_id, channel_id, attempts, last in session.execute(statement)
    ]


def replenishment_listings(session: Session, *, store_id: int) -> list[dict[str, Any]]:
    """The store's listings as its last replenishment run left them."""
    rows = session.execute(
        select(
            ReplenishmentResult.marketplace_id,
            ReplenishmentResult.sku,
            ReplenishmentResult.band,
            ReplenishmentResult.stockout_date,
            ReplenishmentResult.ship_by,
            ReplenishmentResult.send_quantity,
            ReplenishmentResult.buy_quantity,
        ).where(ReplenishmentResult.store_id == store_id)
    )
    return [dict(row._mapping) for row in rows]
