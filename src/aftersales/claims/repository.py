"""SQL of the claims domain: the facts detection reads, and claims within a scope."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from aftersales.claims.calc import (
    AMAZON_DAMAGED_DISPOSITIONS,
    AMAZON_DAMAGED_REASONS,
    SWITCHEROO_REASON,
    RefundLine,
    ReimbursementLine,
    ReturnLine,
)
from aftersales.kit.scope import Scope
from aftersales.models import Claim, ClaimEvent, FbaReturn, Order, Refund, Reimbursement, Store

CHUNK = 500
T = TypeVar("T")

OrderSku = tuple[str, str]


def _chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def refunds_by_order_sku(
    session: Session, *, store_id: int
) -> dict[OrderSku, tuple[str | None, list[RefundLine]]]:
    """Refund lines per (order, SKU), with the marketplace of the first line."""
    rows = session.execute(
        select(Refund)
        .where(
            Refund.store_id == store_id,
            Refund.amazon_order_id.is_not(None),
            Refund.sku.is_not(None),
        )
        .order_by(Refund.id)
    ).scalars()
    grouped: dict[OrderSku, tuple[str | None, list[RefundLine]]] = {}
    for row in rows:
        key = (str(row.amazon_order_id), str(row.sku))
        marketplace, lines = grouped.setdefault(key, (row.marketplace_id, []))
        if marketplace is None and row.marketplace_id:
            grouped[key] = (row.marketplace_id, lines)
        lines.append(
            RefundLine(
                id=row.id,
                adjustment_id=row.adjustment_id,
                posted=row.posted_date,
                quantity=row.quantity,
                amount_type=row.amount_type,
                amount_description=row.amount_description,
                amount=row.amount,
                currency=row.currency,
                fulfillment_id=row.fulfillment_id,
            )
        )
    return grouped


def order_channels(
    session: Session, *, store_id: int, order_ids: Iterable[str]
) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for chunk in _chunks(sorted(set(order_ids))):
        for order_id, channel in session.execute(
            select(Order.amazon_order_id, Order.fulfillment_channel).where(
                Order.store_id == store_id, Order.amazon_order_id.in_(chunk)
            )
        ):
            found[order_id] = channel
    return found


def returns_by_order_sku(
    session: Session, *, store_id: int, order_ids: Iterable[str]
) -> dict[OrderSku, list[ReturnLine]]:
    found: dict[OrderSku, list[ReturnLine]] = defaultdict(list)
    for chunk in _chunks(sorted(set(order_ids))):
        for row in session.execute(
            select(FbaReturn).where(
                FbaReturn.store_id == store_id, FbaReturn.amazon_order_id.in_(chunk)
            )
        ).scalars():
            found[(row.amazon_order_id, row.sku)].append(
                ReturnLine(
                    id=row.id,
                    return_date=row.return_date,
                    quantity=row.quantity,
                    disposition=row.detailed_disposition,
                    license_plate_number=row.license_plate_number,
                    reason=row.reason,
                )
            )
    return found


def claimable_returns(
    session: Session, *, store_id: int
) -> dict[OrderSku, tuple[str | None, list[ReturnLine]]]:
    """Return rows that may make a damaged or switcheroo claim, per (order, SKU), with the
    marketplace of the first row. calc decides which rows really qualify."""
    rows = session.execute(
        select(FbaReturn)
        .where(
            FbaReturn.store_id == store_id,
            FbaReturn.amazon_order_id.is_not(None),
            FbaReturn.sku.is_not(None),
            or_(
                FbaReturn.detailed_disposition.in_(sorted(AMAZON_DAMAGED_DISPOSITIONS)),
                FbaReturn.reason.in_(sorted(AMAZON_DAMAGED_REASONS | {SWITCHEROO_REASON})),
            ),
        )
        .order_by(FbaReturn.return_date, FbaReturn.id)
    ).scalars()
    grouped: dict[OrderSku, tuple[str | None, list[ReturnLine]]] = {}
    for row in rows:
        key = (str(row.amazon_order_id), str(row.sku))
        marketplace, lines = grouped.setdefault(key, (row.marketplace_id, []))
        if marketplace is None and row.marketplace_id:
            grouped[key] = (row.marketplace_id, lines)
        lines.append(
            ReturnLine(
                id=row.id,
                return_date=row.return_date,
                quantity=row.quantity,
                disposition=row.detailed_disposition,
                license_plate_number=row.license_plate_number,
                reason=row.reason,
            )
        )
    return grouped


def reimbursements_by_order_sku(
    session: Session, *, store_id: int, order_ids: Iterable[str]
) -> dict[OrderSku, list[ReimbursementLine]]:
    found: dict[OrderSku, list[ReimbursementLine]] = defaultdict(list)
    for chunk in _chunks(sorted(set(order_ids))):
        for row in session.execute(
            select(Reimbursement).where(
                Reimbursement.store_id == store_id, Reimbursement.amazon_order_id.in_(chunk)
            )
        ).scalars():
            quantity = row.quantity_reimbursed_total
            if quantity is None:
                quantity = (row.quantity_reimbursed_cash or 0) + (
                    row.quantity_reimbursed_inventory or 0
                )
            found[(str(row.amazon_order_id), str(row.sku or ""))].append(
                ReimbursementLine(
                    id=row.id,
                    reimbursement_id=row.reimbursement_id,
                    approval_date=row.approval_date,
                    reason=row.reason,
                    original_type=row.original_reimbursement_type,
                    quantity=quantity,
                    amount=row.amount_total,
                    currency=row.currency,
                )
            )
    return found


def claims_of_store(session: Session, *, store_id: int) -> list[Claim]:
    return list(
        session.execute(select(Claim).where(Claim.store_id == store_id).order_by(Claim.id))
        .scalars()
        .all()
    )


def in_scope(
    session: Session, *, scope: Scope, status: str | None, claim_type: str | None = None
) -> list[tuple[Claim, str]]:
    """Claims of the scope with their store's name."""
    query = (
        select(Claim, Store.name)
        .join(Store, Store.id == Claim.store_id)
        .where(Claim.store_id.in_(scope.store_ids))
    )
    if scope.marketplace_ids:
        query = query.where(Claim.marketplace_id.in_(scope.marketplace_ids))
    if status:
        query = query.where(Claim.status == status)
    if claim_type:
        query = query.where(Claim.claim_type == claim_type)
    return [(claim, name) for claim, name in session.execute(query.order_by(Claim.id))]


def by_id(session: Session, *, scope: Scope, claim_id: int) -> tuple[Claim, str] | None:
    row = session.execute(
        select(Claim, Store.name)
        .join(Store, Store.id == Claim.store_id)
        .where(Claim.id == claim_id, Claim.store_id.in_(scope.store_ids))
    ).first()
    return (row[0], row[1]) if row else None


def events_of(session: Session, *, claim_id: int) -> list[ClaimEvent]:
    return list(
        session.execute(
            select(ClaimEvent)
            .where(ClaimEvent.claim_id == claim_id)
            .order_by(ClaimEvent.at, ClaimEvent.id)
        )
        .scalars()
        .all()
    )
