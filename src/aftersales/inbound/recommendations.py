"""Inbound plans from the stored replenishment recommendations: per SKU, what to send to FBA
by the chosen shipping mode (from local and 3PL stock when there is some, else the FBA need
to buy and ship directly), rounded up to case packs, with the numbers it came from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from aftersales.accounts.roles import Permission
from aftersales.accounts.service import Access
from aftersales.amazon import marketplaces
from aftersales.exceptions import InvalidInput
from aftersales.inbound import calc
from aftersales.inbound import repository as inbound_repository
from aftersales.inbound import service as inbound_service
from aftersales.inbound.schemas import (
    FromRecommendations,
    InboundPlan,
    InboundPlanItemCreate,
    RecommendedLine,
)
from aftersales.kit.i18n import N_, gettext
from aftersales.models import ReplenishmentResult, ShippingMode
from aftersales.replenishment import stored_explanation

BASIS_STOCK = N_("from local and 3PL stock")
BASIS_NEED = N_("FBA need: buy and ship directly (no local or 3PL stock to send)")


@dataclass(frozen=True, slots=True)
class Proposal:
    quantity: int  # before case-pack rounding
    from_stock: int  # send from the local warehouse for this mode + transfer from the 3PL
    fba_need: int  # what FBA lacks for this mode, wherever it comes from
    basis: str  # untranslated


def _by_mode(values: Any, mode: ShippingMode) -> int | None:
    if isinstance(values, dict) and isinstance(values.get(mode.value), int | float):
        return int(values[mode.value])
    return None


def proposal(result: ReplenishmentResult, mode: ShippingMode) -> Proposal:
    """Stock the seller holds goes first (``send`` for the mode plus the 3PL ``transfer``);
    without any, the plan proposes the FBA need for the mode (``send_need``): cross-border
    sellers often buy and ship straight from the factory to FBA."""
    explanation = stored_explanation.decode(result.explanation)
    send = _by_mode(explanation.get("send"), mode)
    need = _by_mode(explanation.get("send_need"), mode)
    from_stock = (result.send_quantity if send is None else send) + result.transfer_quantity
    fba_need = need if need is not None else from_stock
    if from_stock > 0:
        return Proposal(from_stock, from_stock, fba_need, BASIS_STOCK)
    return Proposal(fba_need, 0, fba_need, BASIS_NEED)


def _snapshot(result: ReplenishmentResult, mode: ShippingMode, chosen: Proposal) -> dict[str, Any]:
    """The recommendation's numbers as they were when the line was made."""
    values: dict[str, Any] = {"mode": mode.value, "basis": chosen.basis}
    for name in (
        "run_id",
        "velocity",
        "fba_stock",
        "inbound_stock",
        "other_stock",
        "days_of_supply_fba",
        "days_of_supply_all",
        "stockout_date",
        "ship_by",
        "send_quantity",
        "transfer_quantity",
        "buy_quantity",
        "band",
        "cap_applied",
    ):
        value = getattr(result, name)
        values[name] = value.isoformat() if isinstance(value, date) else value
    values.update(proposed=chosen.quantity, from_stock=chosen.from_stock, fba_need=chosen.fba_need)
    return values


def _code(marketplace_id: str) -> str:
    market = marketplaces.by_id(marketplace_id)
    return market.code if market else marketplace_id


def recommended_lines(
    session: Session,
    *,
    access: Access,
    store_id: int,
    marketplace: str | None,
    shipping_mode: ShippingMode = ShippingMode.SEA,
) -> list[RecommendedLine]:
    """The SKUs the last replenishment run says FBA needs (in one marketplace or each), most
    urgent ship-by date first, each with its proposal rounded up to case packs."""
    access.require(store_id, Permission.VIEW)
    shipping_mode = ShippingMode(shipping_mode)
    market = (
        inbound_service.marketplace_of_store(access, store_id, marketplace) if marketplace else None
    )
    results = inbound_repository.recommendations(
        session, store_id=store_id, marketplace_id=market.id if market else None
    )
    products = inbound_repository.products(
        session, store_id=store_id, skus=[result.sku for result in results]
    )
    lines = []
    for result in results:
        chosen = proposal(result, shipping_mode)
        if chosen.quantity <= 0:
            continue
        product = products.get(result.sku)
        rounded = calc.round_to_case_pack(chosen.quantity, product.case_pack if product else None)
        note = calc.rounding_note(rounded.requested, rounded.quantity, rounded.case_pack)
        lines.append(
            RecommendedLine(
                marketplace_code=_code(result.marketplace_id),
                sku=result.sku,
                title=product.title if product else None,
                band=result.band,
                ship_by=result.ship_by,
                velocity=result.velocity,
                fba_stock=result.fba_stock,
                inbound_stock=result.inbound_stock,
                shipping_mode=shipping_mode,
                from_stock=chosen.from_stock,
                fba_need=chosen.fba_need,
                basis=gettext(chosen.basis),
                proposed=chosen.quantity,
                case_pack=rounded.case_pack,
                quantity=rounded.quantity,
                rounding=inbound_service.problem_text(note) if note else None,
            )
        )
    return lines


def create_from_recommendations(
    session: Session, *, access: Access, data: FromRecommendations, today: date
) -> InboundPlan:
    """A draft plan of the proposed quantities for the plan's mode (all, or the chosen SKUs),
    each line keeping the numbers it came from."""
    chosen_store = inbound_service.default_store(access, data.store_id)
    market = inbound_service.marketplace_of_store(access, chosen_store, data.marketplace)
    proposals = {
        result.sku: (result, proposal(result, data.shipping_mode))
        for result in inbound_repository.recommendations(
            session, store_id=chosen_store, marketplace_id=market.id
        )
    }
    available = [sku for sku, (_result, chosen) in proposals.items() if chosen.quantity > 0]
    wanted = list(dict.fromkeys(data.skus)) if data.skus is not None else available
    missing = [sku for sku in wanted if sku not in available]
    if missing:
        raise InvalidInput(
            N_("no quantity to send is recommended for %(sku)s in %(marketplace)s"),
            sku=missing[0],
            marketplace=market.code,
            field="skus",
        )
    if not wanted:
        raise InvalidInput(
            N_(
                "the last replenishment run recommends sending nothing to %(marketplace)s; "
                "run it again or add SKUs by hand"
            ),
            marketplace=market.code,
            field="marketplace",
        )
    plan = inbound_service.new_plan(
        session,
        access,
        store_id=chosen_store,
        marketplace=market.id,
        shipping_mode=data.shipping_mode,
        name=data.name,
        ship_from=None,
        ship_from_address_id=data.ship_from_address_id,
    )
    context = inbound_service.plan_context(plan, today)
    for sku in wanted:
        result, chosen = proposals[sku]
        line = InboundPlanItemCreate(sku=sku, quantity=chosen.quantity)
        snapshot = _snapshot(result, data.shipping_mode, chosen)
        session.add(inbound_service.new_item(session, plan, line, context, snapshot))
        session.flush()
    return inbound_service.get_plan(session, access=access, plan_id=plan.id, today=today)
