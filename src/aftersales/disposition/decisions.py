"""Recorded disposition decisions: a deciding user chooses an option and a number of units for
a lot; the decision keeps the figures of every option and the fee table it was made with, the
lot shows it, and the removal plan file can be built from the removal / disposal ones."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from aftersales.accounts.service import Access
from aftersales.amazon import disposition_fees, marketplaces
from aftersales.disposition import calc
from aftersales.disposition import repository as disposition_repository
from aftersales.disposition import service as disposition_service
from aftersales.disposition.schemas import (
    Decision,
    DecisionCreate,
    DecisionList,
    Lot,
    RemovalPlanLot,
)
from aftersales.exceptions import InvalidInput
from aftersales.kit.i18n import N_
from aftersales.kit.scope import Scope
from aftersales.kit.tabular import Column
from aftersales.models import DispositionDecision

EXPORT_COLUMNS = (
    Column("decided_at", N_("Decided at")),
    Column("decided_by", N_("Decided by")),
    Column("store_name", N_("Store")),
    Column("marketplace_code", N_("Marketplace")),
    Column("sku", N_("SKU")),
    Column("option_label", N_("Option")),
    Column("units", N_("Units")),
    Column("lot_units", N_("Units in the lot")),
    Column("per_unit", N_("Per unit")),
    Column("per_lot", N_("Per lot")),
    Column("currency", N_("Currency")),
    Column("best_option", N_("Best option then")),
    Column("fee_table", N_("Fee table")),
    Column("fee_table_effective", N_("Fee table effective")),
    Column("snapshot_date", N_("Snapshot date")),
    Column("note", N_("Note")),
)


def _now() -> datetime:
    return datetime.now(UTC)


def _market_id(value: str) -> str:
    market = marketplaces.resolve(value)
    if market is None:
        raise InvalidInput(N_("unknown marketplace %(value)s"), value=value, field="marketplace")
    return market.id


def _lot_of(session: Session, *, store_id: int, marketplace_id: str, sku: str, as_of: date) -> Lot:
    scope = Scope(store_ids=(store_id,), marketplace_ids=(marketplace_id,))
    found = next(
        (
            lot
            for lot in disposition_service.recommendations(session, scope=scope, as_of=as_of).lots
            if lot.sku == sku
        ),
        None,
    )
    if found is None:
        raise disposition_service.LotNotFound(N_("no unsellable units of %(sku)s"), sku=sku)
    return found


def _arithmetic(lot: Lot) -> dict[str, Any]:
    """Every option's figures and lines as the page showed them, and the lot's inputs."""
    return {
        "inputs": {
            "sale_price": None if lot.sale_price is None else str(lot.sale_price),
            "unit_cost": None if lot.unit_cost is None else str(lot.unit_cost),
            "unit_weight_kg": None if lot.unit_weight_kg is None else str(lot.unit_weight_kg),
            "size_tier": str(lot.size_tier),
            "source": lot.source,
            "notes": lot.notes,
        },
        "options": [option.model_dump(mode="json") for option in lot.options],
    }


def record_decision(
    session: Session, *, access: Access, body: DecisionCreate, as_of: date | None = None
) -> Decision:
    """Record what the user decided for a lot (404 outside their stores or for a lot with no
    unsellable units, 403 for viewers and agents, 422 for an option the lot does not offer
    or more units than it holds)."""
    disposition_service.ensure_can_decide(access, body.store_id)
    marketplace_id = _market_id(body.marketplace)
    today = as_of or _now().date()
    lot = _lot_of(
        session, store_id=body.store_id, marketplace_id=marketplace_id, sku=body.sku, as_of=today
    )
    chosen = next((option for option in lot.options if option.option == body.option), None)
    if chosen is None:
        raise InvalidInput(
            N_("%(option)s is not an option for %(sku)s"),
            option=str(body.option),
            sku=body.sku,
            field="option",
        )
    units = body.units or lot.units
    if units > lot.units:
        raise InvalidInput(
            N_("%(sku)s: %(units)s units chosen, the lot has %(available)s"),
            sku=body.sku,
            units=units,
            available=lot.units,
            field="units",
        )
    table = (
        disposition_fees.fee_table_for(lot.marketplace_code, on=today) if lot.fee_table else None
    )
    row = disposition_repository.add_decision(
        session,
        DispositionDecision(
            store_id=body.store_id,
            marketplace_id=marketplace_id,
            sku=lot.sku,
            fnsku=lot.fnsku,
            option=body.option.value,
            units=units,
            note=(body.note or "").strip() or None,
            lot_units=lot.units,
            snapshot_date=lot.snapshot_date,
            currency=lot.currency,
            best_option=lot.best.value if lot.best else None,
            per_unit=chosen.per_unit,
            per_lot=None if chosen.per_unit is None else chosen.per_unit * units,
            fee_table=lot.fee_table,
            fee_table_effective=table.effective_from
            if table and table.id == lot.fee_table
            else None,
            arithmetic=_arithmetic(lot),
            decided_by_id=access.user_id,
            decided_at=_now(),
        ),
    )
    return disposition_service.decision_out(row, lot.store_name, lot.marketplace_code, access.email)


def list_decisions(session: Session, *, scope: Scope, latest_only: bool = False) -> DecisionList:
    return DecisionList(
        items=[
            disposition_service.decision_out(row, name, code, email)
            for row, name, code, email in disposition_repository.decisions(
                session, scope=scope, latest_only=latest_only
            )
        ]
    )


def iter_decisions(session: Session, *, scope: Scope) -> Iterator[dict[str, Any]]:
    """The decisions as export rows (every decision, newest first)."""
    for item in list_decisions(session, scope=scope).items:
        row = item.model_dump()
        row["best_option"] = str(item.best_option) if item.best_option else None
        yield row


def removal_plan_from_decisions(
    session: Session, *, access: Access, store_id: int, marketplace: str, as_of: date
) -> str:
    """The removal order file of the store's and marketplace's lots whose decision in force is
    a removal or a disposal, each for the decided units (capped at what the lot still holds:
    units sold off or removed since leave the plan)."""
    disposition_service.ensure_can_decide(access, store_id)
    marketplace_id = _market_id(marketplace)
    scope = Scope(store_ids=(store_id,), marketplace_ids=(marketplace_id,))
    chosen = []
    for lot in disposition_service.recommendations(session, scope=scope, as_of=as_of).lots:
        decided = lot.decision
        if decided is None or decided.option not in calc.REMOVAL_DISPOSITION:
            continue
        chosen.append(
            RemovalPlanLot(
                store_id=store_id,
                marketplace=marketplace_id,
                sku=lot.sku,
                option=decided.option,
                units=min(decided.units, lot.units),
            )
        )
    if not chosen:
        raise InvalidInput(
            N_("no recorded removal or disposal decision for lots of this store and marketplace"),
            field="decisions",
        )
    return disposition_service.removal_plan_csv(session, access=access, lots=chosen, as_of=as_of)
